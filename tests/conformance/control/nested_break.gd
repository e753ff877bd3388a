for a in [1, 2, 3] {
    for b in [1, 2, 3] {
        if b == 2 { break }
        print(a * 10 + b)
    }
}
# expect: 11
# expect: 21
# expect: 31
