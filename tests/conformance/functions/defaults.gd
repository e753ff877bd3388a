fn greet(name, greeting = "Hello") {
    return greeting + ", " + name
}
print(greet("Ann"))          # expect: Hello, Ann
print(greet("Bob", "Hi"))    # expect: Hi, Bob
fn base_plus(x, y = x * 2) { return x + y }
print(base_plus(3))          # expect: 9
