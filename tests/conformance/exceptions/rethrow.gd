try {
    try {
        raise ValueError("first")
    } catch ValueError as e {
        print("inner saw " + e.message())   # expect: inner saw first
        raise e
    }
} catch as e {
    print("outer saw " + e.type())          # expect: outer saw ValueError
}
