f = x => {
    y = x * 2
    y + 1
}
print(f(5))    # expect: 11
g = { |n|
    if n > 0 { "pos" } else { "non-pos" }
}
print(g(1))    # expect: pos
print(g(0))    # expect: non-pos
