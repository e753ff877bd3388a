# Inside a trailing block passed to a graph method, bare calls reach that graph's methods.
graph Builder {
    parts: []
    fn add(p) {
        parts.append!(p)
        return self
    }
    fn build(block) {
        block()
        return parts.join("+")
    }
}
b = Builder.clone()
print(b.build() { ||
    add("a")
    add("b")
})
# expect: a+b
