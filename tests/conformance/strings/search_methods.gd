s = "hello world"
print(s.starts_with("hell"))  # expect: true
print(s.ends_with("world"))   # expect: true
print(s.starts_with("world")) # expect: false
print(s.index_of("o"))        # expect: 4
print(s.index_of("z"))        # expect: -1
print(s.contains("lo w"))     # expect: true
print(s.contains("xyz"))      # expect: false
