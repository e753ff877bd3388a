if true {
    inside = 1
}
print(inside)    # expect: 1
for i in [1, 2, 3] { last_seen = i }
print(i)         # expect: 3
print(last_seen) # expect: 3
k = 0
while k < 2 {
    k = k + 1
    w = k
}
print(w)         # expect: 2
