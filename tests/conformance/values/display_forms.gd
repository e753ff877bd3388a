print(none)           # expect: none
print(true)           # expect: true
print(:name)          # expect: :name
print("raw")          # expect: raw
print(["s", :t, none])  # expect: [s, :t, none]
print({"k": "v"})     # expect: {"k": v}
print()               # expect:
print("a", 1, none, [2])  # expect: a 1 none [2]
