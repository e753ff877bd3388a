print(1 and 2)        # expect: true
print(0 or "x")       # expect: true
print(none or 0)      # expect: false
print(true && false)  # expect: false
print(false || true)  # expect: true
print(1 and 0)        # expect: false
