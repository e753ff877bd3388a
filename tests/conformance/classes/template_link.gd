graph Person {
    name: "anon"
    fn hello() { return "hi, " + name }
}
p = Person { name: "Cy" }
print(p.hello())                    # expect: hi, Cy
print(p.template() == Person)       # expect: true
