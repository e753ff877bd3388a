fn grow(xs) {
    xs.append!(99)
    return xs
}
orig = [1]
grown = grow(orig)
print(orig)    # expect: [1]
print(grown)   # expect: [1, 99]
