import "./lib/utils" as u
print(u.double(5))          # expect: 10
