print("[" + "  pad  ".trim() + "]")   # expect: [pad]
print("abc".reverse())                # expect: cba
print("x".reverse())                  # expect: x
