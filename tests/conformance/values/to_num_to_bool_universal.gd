print({"a": 1, "b": 2}.to_num())  # expect: 2
print([].to_bool())        # expect: false
print([0].to_bool())       # expect: true
print(none.to_bool())      # expect: false
print(:s.to_bool())        # expect: true
print("12".to_num() + 1)   # expect: 13
