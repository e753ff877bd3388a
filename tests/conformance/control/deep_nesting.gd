x = 3
if x > 0 {
    if x > 1 {
        if x > 2 {
            while x > 0 {
                x = x - 1
                if x == 1 { break }
            }
        }
    }
}
print(x)   # expect: 1
