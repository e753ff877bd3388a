# error_mode :collect records division/modulo-by-zero errors (the operation gives none and
# execution continues); :lenient gives none and records nothing; :strict raises.
configure { error_mode: :collect } {
    x = 1 / 0
    print("still running")      # expect: still running
}
print(x)                        # expect: none
print(get_errors())             # expect: [RuntimeError: Division by zero]
configure { error_mode: :lenient } {
    y = 10 % 0
}
print(y, get_errors().length()) # expect: none 1
configure { error_mode: :collect } {
    z = 7 // 0
}
print(get_errors().length(), get_errors()[1].message())   # expect: 2 Division by zero
clear_errors()
print(get_errors())             # expect: []
try {
    w = 1 / 0
} catch as e {
    print(e.message())          # expect: Division by zero
}
