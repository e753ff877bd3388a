i = 0
total = 0
while i < 5 {
    total = total + i
    i = i + 1
}
print(total)   # expect: 10
while false {
    print("never")
}
print(i)       # expect: 5
