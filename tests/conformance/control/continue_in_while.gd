i = 0
odds = []
while i < 7 {
    i = i + 1
    if i % 2 == 0 { continue }
    odds.append!(i)
}
print(odds)  # expect: [1, 3, 5, 7]
