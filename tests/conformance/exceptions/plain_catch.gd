try {
    raise "oops"
} catch {
    print("caught")   # expect: caught
}
try {
    raise "text error"
} catch RuntimeError as e {
    print(e.message())  # expect: text error
    print(e.type())     # expect: RuntimeError
}
