result = [1, 2, 3, 4, 5]
    .filter(x => x > 1)
    .map(x => x * 2)
    .take(2)
print(result)   # expect: [4, 6]
