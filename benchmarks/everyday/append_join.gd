fn run(n) {
    xs = []
    i = 0
    while i < n {
        xs.append!("x" + i)
        i = i + 1
    }
    text = xs.join(",")
    return text.length()
}
