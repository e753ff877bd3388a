configure { integer: :integer } {
    x = 7.9
    print(x)           # expect: 7
    y = -2.5
    print(y)           # expect: -2
}
z = 7.9
print(z)               # expect: 7.9
print(x)               # expect: 7
