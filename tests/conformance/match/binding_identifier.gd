r = match 42 { 0 => "zero", n => n + 1 }
print(r)   # expect: 43
