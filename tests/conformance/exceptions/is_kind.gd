# e.is_kind(K) is true exactly when `catch K` would catch e.
try { raise IndexError("out of range") } catch as e {
    print(e.type(), e.is_kind("IndexError"), e.is_kind("RuntimeError"), e.is_kind("Error"))   # expect: IndexError true true true
    print(e.is_kind("IOError"), e.is_kind("KeyError"))   # expect: false false
}
try { raise ValueError("v") } catch as e {
    print(e.is_kind("ValueError"), e.is_kind("Error"))   # expect: true true
}
try {
    try { 1 / 0 } catch as e { e.is_kind(:RuntimeError) }
} catch TypeError as t {
    print(t.message())   # expect: is_kind() expects an error kind name (a string)
}
