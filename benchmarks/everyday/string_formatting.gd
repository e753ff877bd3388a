fn run(n) {
    rows = []
    i = 0
    while i < n {
        price = (i % 1000) / 8
        name = ("item" + i).pad_right(12)
        rows.append!(name + "|" + ("" + price).pad_left(8) + "|" + (i % 3 == 0) + "|" + i * 1.5)
        i = i + 1
    }
    return rows[n - 1] + "#" + rows.join("\n").length()
}
