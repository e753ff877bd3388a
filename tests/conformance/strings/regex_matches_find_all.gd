# Regex methods of EXTENSIONS.md item 6.
print("2024-01-05".matches(/\d{4}-\d{2}-\d{2}/))  # expect: true
print("abc".matches(/\d/))                       # expect: false
print("a1b22c333".find_all(/\d+/))                # expect: [1, 22, 333]
print("none here".find_all(/\d+/))               # expect: []
