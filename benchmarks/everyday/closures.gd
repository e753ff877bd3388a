fn make_adder(k) {
    return x => x + k
}

fn compose(f, g) {
    return x => f(g(x))
}

fn make_counter() {
    count = 0
    return () => {
        count = count + 1
        count
    }
}

fn run(n) {
    add3 = make_adder(3)
    double = x => x * 2
    both = compose(add3, double)
    tick = make_counter()
    total = 0
    i = 0
    while i < n {
        total = total + both(i) + tick()
        i = i + 1
    }
    folded = [1, 2, 3, 4, 5].reduce(0, (acc, x) => acc + add3(x))
    return total + folded
}
