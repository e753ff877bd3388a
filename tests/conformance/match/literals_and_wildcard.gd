fn name(x) {
    return match x { 0 => "zero", 1 => "one", _ => "other" }
}
print(name(0))    # expect: zero
print(name(1))    # expect: one
print(name(7))    # expect: other
