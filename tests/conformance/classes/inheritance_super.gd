graph Animal {
    name: "animal"
    fn speak() { return "..." }
    fn describe() { return name + ": " + speak() }
}
graph Dog from Animal {
    name: "dog"
    fn speak() { return "Woof " + super.speak() }
}
d = Dog.clone()
print(d.speak())       # expect: Woof ...
print(d.describe())    # expect: dog: Woof ...
print(d.is_a("Animal"))  # expect: true
print(d.is_a(Dog))     # expect: true
print(Animal.clone().is_a("Dog"))  # expect: false
