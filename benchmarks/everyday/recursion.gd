fn hanoi(disks, source, target, via) {
    if disks == 0 { return 0 }
    return hanoi(disks - 1, source, via, target) + 1 + hanoi(disks - 1, via, target, source)
}

fn tree_sum(depth, value) {
    if depth == 0 { return value }
    return value + tree_sum(depth - 1, value * 2) + tree_sum(depth - 1, value * 2 + 1)
}

fn run(n) {
    return hanoi(n, "a", "c", "b") + tree_sum(n, 1)
}
