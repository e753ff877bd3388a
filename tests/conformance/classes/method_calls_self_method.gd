graph Calc {
    base: 10
    fn double() { return base * 2 }
    fn quad() { return double() * 2 }
    fn chain() { return self.double() + 1 }
}
c = Calc.clone()
print(c.quad())     # expect: 40
print(c.chain())    # expect: 21
