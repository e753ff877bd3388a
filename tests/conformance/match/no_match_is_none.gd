r = match 5 { 1 => "one", 2 => "two" }
print(r)   # expect: none
