fn attempt(kind) {
    try {
        if kind == 1 { raise TypeError("t") }
        if kind == 2 { raise IOError("io") }
        raise RuntimeError("rt")
    } catch TypeError as e {
        return "type: " + e.message()
    } catch IOError as e {
        return "io: " + e.message()
    } catch as e {
        return "other: " + e.message()
    }
}
print(attempt(1))   # expect: type: t
print(attempt(2))   # expect: io: io
print(attempt(3))   # expect: other: rt
