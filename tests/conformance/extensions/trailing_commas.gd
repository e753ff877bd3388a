# Extension: trailing commas are accepted in list and map literals and argument lists.
xs = [1, 2, ]
m = {"a": 1, }
print(xs.length(), m["a"])   # expect: 2 1
print(xs.append(3, ))        # expect: [1, 2, 3]
