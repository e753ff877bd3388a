fn fact(n) {
    |0| => 1
    |k| => k * fact(k - 1)
}
print(fact(5))   # expect: 120
fn sign(n) {
    |x| if x < 0 => "neg"
    |0| => "zero"
    |x| => "pos"
}
print(sign(-3))  # expect: neg
print(sign(0))   # expect: zero
print(sign(9))   # expect: pos
