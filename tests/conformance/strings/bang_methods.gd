s = "  Mixed Case  "
s.trim!()
print("[" + s + "]")   # expect: [Mixed Case]
s.upper!()
print(s)               # expect: MIXED CASE
s.lower!()
print(s)               # expect: mixed case
s.reverse!()
print(s)               # expect: esac dexim
