fn classify(x) {
    if x > 0 {
        return "pos"
    } else if x < 0 {
        return "neg"
    } else {
        return "zero"
    }
}
print(classify(5))    # expect: pos
print(classify(-2))   # expect: neg
print(classify(0))    # expect: zero
