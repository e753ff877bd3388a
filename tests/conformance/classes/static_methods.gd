graph Counter {
    count: 0
    static fn starting_at(n) {
        c = Counter.clone()
        c.count = n
        return c
    }
    fn inc() {
        count = count + 1
        return count
    }
}
c = Counter.starting_at(10)
print(c.inc())     # expect: 11
print(Counter.count)   # expect: 0
