fn log_all(prefix, ...items) {
    for i in items {
        print(prefix + i)
    }
    return items.length()
}
n = log_all("> ", "a", "b")
# expect: > a
# expect: > b
print(n)                # expect: 2
print(log_all("x"))     # expect: 0
fn all(...xs) { return xs }
print(all(1, 2, 3))     # expect: [1, 2, 3]
