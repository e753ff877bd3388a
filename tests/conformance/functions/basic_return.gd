fn add(a, b) {
    return a + b
}
print(add(2, 3))   # expect: 5
fn nothing() {
    x = 1
}
print(nothing())   # expect: none
fn early(n) {
    if n > 0 { return "pos" }
    return
}
print(early(1))    # expect: pos
print(early(-1))   # expect: none
