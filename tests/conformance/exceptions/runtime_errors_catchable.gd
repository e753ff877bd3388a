try {
    x = 10 / 0
} catch RuntimeError as e {
    print("caught: " + e.message())   # expect: caught: Division by zero
}
try {
    y = undefined_thing + 1
} catch as e {
    print("caught undefined")          # expect: caught undefined
}
try {
    z = [1, 2][10]
} catch as e {
    print("caught index")              # expect: caught index
}
