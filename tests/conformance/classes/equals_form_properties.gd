# Extension: `name = value` declares a property in a graph body, like `name: value`.
graph Node {
    rank = 0.5
    label: "n"
    fn show() { return label + "=" + rank }
}
n = Node.clone()
print(n.show())    # expect: n=0.5
