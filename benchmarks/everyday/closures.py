def make_adder(k):
    return lambda x: x + k


def compose(f, g):
    return lambda x: f(g(x))


def make_counter():
    count = 0

    def tick():
        nonlocal count
        count = count + 1
        return count

    return tick


def run(n):
    add3 = make_adder(3)
    double = lambda x: x * 2
    both = compose(add3, double)
    tick = make_counter()
    total = 0
    i = 0
    while i < n:
        total = total + both(i) + tick()
        i = i + 1
    folded = 0
    for x in [1, 2, 3, 4, 5]:
        folded = folded + add3(x)
    return total + folded
