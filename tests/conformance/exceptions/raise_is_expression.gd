fn check(v) {
    ok = v > 0 or raise ValueError("must be positive")
    return ok
}
print(check(1))   # expect: true
try {
    check(-1)
} catch ValueError as e {
    print(e.message())   # expect: must be positive
}
