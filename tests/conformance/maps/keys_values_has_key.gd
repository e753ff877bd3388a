m = {"x": 1, "y": 2}
print(m.keys())          # expect: [x, y]
print(m.values())        # expect: [1, 2]
print(m.has_key("x"))    # expect: true
print(m.has_key("z"))    # expect: false
print({}.is_empty())     # expect: true
print(m.is_empty())      # expect: false
