for i in [1, 2, 3] {
    try {
        if i == 2 { break }
        print("iter " + i)
    } finally {
        print("fin " + i)
    }
}
# expect: iter 1
# expect: fin 1
# expect: fin 2
