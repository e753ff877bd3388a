fn before_each(block) {
    print("hook registered")
    block()
}
before_each {
    print("hook body")
}
# expect: hook registered
# expect: hook body
fn tag(a, b, block) { print(a, b, block()) }
tag "x" 2 { "done" }
# expect: x 2 done
