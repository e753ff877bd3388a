try {
    raise ValueError("escapes")
} finally {
    print("finally first")   # expect: finally first
}
print("not reached")
# expect error: ValueError: escapes
