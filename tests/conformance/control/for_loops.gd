for x in [1, 2, 3] {
    print(x * x)
}
# expect: 1
# expect: 4
# expect: 9
for x in [] { print("never") }
for s in ["a", "b"] { print(s + "!") }
# expect: a!
# expect: b!
