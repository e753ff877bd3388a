n = 7
label = if n > 5 { "big" } else { "small" }
print(label)    # expect: big
other = if n > 50 { "huge" }
print(other)    # expect: none
nested = if n > 5 { if n > 6 { "seven+" } else { "six" } } else { "low" }
print(nested)   # expect: seven+
