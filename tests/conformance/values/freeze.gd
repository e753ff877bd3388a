# note: a frozen list rejects bang methods with an error; the study names freeze/is_frozen only.
xs = [1, 2].freeze()
print(xs.is_frozen())      # expect: true
print([1].is_frozen())     # expect: false
xs.append!(3)
# expect error: frozen
