# Regex literal extension: `/.../` where an operand is expected.
words = "a  b\tc".split(/\s+/)
print(words)                      # expect: [a, b, c]
print("x1y22".replace(/\d+/, "#"))  # expect: x#y#
print("hello" =~ /l+/)            # expect: true
print("hello" !~ /z/)             # expect: true
r = /ab+c/i
print(r.type())                   # expect: regex
print("xABBC".contains(r))        # expect: true
