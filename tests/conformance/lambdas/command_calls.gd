fn describe(name, block) {
    print("describe " + name)
    block()
}
fn it(name, block) {
    print("  it " + name + ": " + block())
}
describe "Math" {
    it "adds" { 1 + 1 }
    it "multiplies" { 2 * 3 }
}
# expect: describe Math
# expect:   it adds: 2
# expect:   it multiplies: 6
