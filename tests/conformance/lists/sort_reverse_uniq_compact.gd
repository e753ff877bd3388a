print([3, 1, 2].sort())            # expect: [1, 2, 3]
print([1, 2, 3].reverse())         # expect: [3, 2, 1]
print([1, 2, 1, 3, 2].uniq())      # expect: [1, 2, 3]
print([1, none, 2, none].compact())  # expect: [1, 2]
xs = [5, 4, 6]
xs.sort!()
print(xs)                          # expect: [4, 5, 6]
xs.reverse!()
print(xs)                          # expect: [6, 5, 4]
