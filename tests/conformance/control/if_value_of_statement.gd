# Statement values: a function-less block's value is its last statement.
f = () => {
    if true { "from if" } else { "from else" }
}
print(f())     # expect: from if
g = () => {
    z = 41
    z + 1
}
print(g())     # expect: 42
