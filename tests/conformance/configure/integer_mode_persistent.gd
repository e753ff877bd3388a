configure { integer: :integer }
a = 10 / 4
print(a)               # expect: 2
