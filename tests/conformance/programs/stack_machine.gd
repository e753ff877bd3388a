fn run(program) {
    stack = []
    for op in program {
        match op {
            [:push, v] => { stack.append!(v) }
            :add => {
                b = stack.pop!()
                a = stack.pop!()
                stack.append!(a + b)
            }
            :mul => {
                b = stack.pop!()
                a = stack.pop!()
                stack.append!(a * b)
            }
        }
    }
    return stack.last()
}
print(run([[:push, 2], [:push, 3], :add, [:push, 4], :mul]))   # expect: 20
