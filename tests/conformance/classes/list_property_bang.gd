graph Stack {
    items: []
    fn push(v) {
        items.append!(v)
        return self
    }
    fn pop() { return items.pop!() }
}
s = Stack.clone()
s.push(1).push(2).push(3)
print(s.items)       # expect: [1, 2, 3]
print(s.pop())       # expect: 3
print(s.items)       # expect: [1, 2]
