try {
    raise ValueError("bad input")
} catch ValueError as e {
    print(e.type())      # expect: ValueError
    print(e.message())   # expect: bad input
}
