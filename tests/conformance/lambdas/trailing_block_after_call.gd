fn apply(v, f) { return f(v) }
r = apply(5) { |n| n * 2 }
print(r)     # expect: 10
fn run(f) { return f() }
print(run() { || "ran" })   # expect: ran
