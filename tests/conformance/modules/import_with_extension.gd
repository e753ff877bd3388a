import "./lib/plain.gd"
print(plain.triple(2))      # expect: 6
