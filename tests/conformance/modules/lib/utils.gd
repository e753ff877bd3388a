module utilities alias utils

fn double(x) {
    return x * 2
}

fn greet(name) {
    return "hello " + name
}

priv fn helper(x) {
    return x + 1
}

fn uses_helper(x) {
    return helper(x)
}

VERSION = "1.0"
