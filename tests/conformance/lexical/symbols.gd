s = :ready
print(s)              # expect: :ready
print(:ready == s)    # expect: true
print(:ready == :done)  # expect: false
print(:a_b)           # expect: :a_b
print(:32bit)         # expect: :32bit
print(s.type())       # expect: symbol
