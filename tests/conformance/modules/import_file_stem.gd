import "./lib/plain"
print(plain.triple(4))      # expect: 12
