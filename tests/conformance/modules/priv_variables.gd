import "./lib/privs"
print(privs.reveal())       # expect: 43
print(privs.PUBLIC)         # expect: visible
print(privs.exports().contains("SECRET"))     # expect: false
print(privs.exports().contains("hidden_fn"))  # expect: false
print(privs.exports().contains("reveal"))     # expect: true
