counter = graph {}
counter.count = 0
fn counter.bump() {
    count = count + 1
    return count
}
counter.bump()
print(counter.bump())   # expect: 2
print(counter.count)    # expect: 2
