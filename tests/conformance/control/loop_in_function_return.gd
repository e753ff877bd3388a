fn find_first(xs, target) {
    for x in xs {
        if x == target { return "found " + x }
    }
    return "missing"
}
print(find_first([1, 2, 3], 2))   # expect: found 2
print(find_first([1], 9))         # expect: missing
