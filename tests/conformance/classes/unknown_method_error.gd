graph Dog {
    fn bark() { return "woof" }
}
d = Dog.clone()
d.brak()
# expect error: brak
# expect error: did you mean 'bark'
