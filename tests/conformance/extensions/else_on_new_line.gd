# Extension: `else` may start the line after `}` (the reference requires `} else`).
if false {
    print("a")
}
else {
    print("b")   # expect: b
}
