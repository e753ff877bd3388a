try {
    raise ValueError("bad")
} catch as e {
    print(e.to_string())          # expect: ValueError: bad
    print(e)                      # expect: ValueError: bad
    print(e.line())               # expect: 2
    print(e.type() == "ValueError")  # expect: true
}
err = TypeError("made, not raised")
print(err.message())              # expect: made, not raised
