graph Animal {
    name: "unnamed"
    sound: "..."
    fn speak() { return name + " says " + sound }
    fn rename(n) {
        name = n
        return self
    }
}
a = Animal.clone()
print(a.speak())                  # expect: unnamed says ...
a.rename("Rex")
print(a.name)                     # expect: Rex
print(a.rename("Max").speak())    # expect: Max says ...
print(Animal.name)                # expect: unnamed
