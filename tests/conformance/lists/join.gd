print([1, 2, 3].join(", "))     # expect: 1, 2, 3
print(["a", "b"].join(""))      # expect: ab
print([].join("-") == "")       # expect: true
print([true, none].join("/"))   # expect: true/none
