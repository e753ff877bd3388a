graph A {
    fn who() { return "A" }
    fn chain() { return who() }
}
graph B from A {
    fn who() { return "B>" + super.who() }
}
graph C from B {
    fn who() { return "C>" + super.who() }
}
c = C.clone()
print(c.who())          # expect: C>B>A
print(c.chain())        # expect: C>B>A
print(C.ancestors().contains("A"))   # expect: true
print(c.is_a("A"))      # expect: true
