# Top level: `n` is set before the program runs, `result` is read after.
i = 0
total = 0
while i < n {
    total = total + i % 7
    i = i + 1
}
result = total
