graph Setup { numbers: [], person: {}, flag: true }
graph Semi { a: 1; b: 2 }
s = Setup.clone()
print(s.numbers, s.person, s.flag)   # expect: [] {} true
print(Semi.clone().a + Semi.clone().b)  # expect: 3
