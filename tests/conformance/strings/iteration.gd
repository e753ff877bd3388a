for c in "abc" {
    print(c)
}
# expect: a
# expect: b
# expect: c
count = 0
for ch in "" { count = count + 1 }
print(count)  # expect: 0
