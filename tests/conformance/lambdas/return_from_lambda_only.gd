fn outer() {
    f = x => {
        return x * 10
    }
    v = f(2)
    return v + 1
}
print(outer())   # expect: 21
