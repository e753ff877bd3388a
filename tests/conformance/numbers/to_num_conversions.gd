print("42".to_num())      # expect: 42
print("3.5".to_num())     # expect: 3.5
print("abc".to_num())     # expect: none
print(true.to_num())      # expect: 1
print(false.to_num())     # expect: 0
print(none.to_num())      # expect: 0
print([1, 2, 3].to_num()) # expect: 3
