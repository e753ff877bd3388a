s = "a1b22c333"
print(s.count(:digits))        # expect: 6
print(s.count(:letters))       # expect: 3
print("two words".count(:words))  # expect: 2
print(s.find(:digits))         # expect: [1, 3, 4, 6, 7, 8]
print(s.find(:digits, :first)) # expect: 1
print(s.find(:digits, 2))      # expect: [1, 3]
print("abc".find(:digits, :first))  # expect: -1
