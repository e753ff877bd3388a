f = x => x / 0
try {
    f(1)
} catch RuntimeError as e {
    print("lambda failed: " + e.message())   # expect: lambda failed: Division by zero
}
