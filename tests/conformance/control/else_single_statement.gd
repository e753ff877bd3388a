n = 2
if n == 1 {
    print("one")
} else print("not one")
# expect: not one
