fn inner() {
    try {
        raise ValueError("deep")
    } catch TypeError {
        print("wrong handler")
    }
}
try {
    inner()
} catch ValueError as e {
    print("outer got " + e.message())   # expect: outer got deep
}
