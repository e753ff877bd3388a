# Numbers never print in exponent form.
print(10 ** 21)           # expect: 1000000000000000000000
print(1.5 * 10 ** 20)     # expect: 150000000000000000000
print(1 / 10000000)       # expect: 0.0000001
print(100 / 10000000)     # expect: 0.00001
