graph Dog {
    name: "dog"
    fn describe() when name == "Rex" { return "the famous Rex" }
    fn describe() { return "a dog named " + name }
}
rex = Dog { name: "Rex" }
fido = Dog { name: "Fido" }
print(rex.describe())    # expect: the famous Rex
print(fido.describe())   # expect: a dog named Fido
