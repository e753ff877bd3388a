fn show(a, b) {
    return [a, b]
}
print(show(1))      # expect: [1, none]
print(show())       # expect: [none, none]
