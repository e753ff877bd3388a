for e in [RuntimeError("a"), ValueError("b"), TypeError("c"), IOError("d"), NetworkError("e"), ParseError("f")] {
    print(e.type() + ": " + e.message())
}
# expect: RuntimeError: a
# expect: ValueError: b
# expect: TypeError: c
# expect: IOError: d
# expect: NetworkError: e
# expect: ParseError: f
