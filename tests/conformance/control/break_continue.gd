for x in [1, 2, 3, 4, 5, 6] {
    if x == 2 { continue }
    if x == 5 { break }
    print(x)
}
# expect: 1
# expect: 3
# expect: 4
i = 0
while true {
    i = i + 1
    if i >= 3 { break }
}
print(i)   # expect: 3
