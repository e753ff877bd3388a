graph Runner {
    log: []
    fn it(name, block) {
        log = log.append(name + "=" + block())
        return none
    }
    fn before_each(block) {
        log = log.append("hook=" + block())
    }
}
runner = Runner.clone()
runner.it "first" { 1 }
runner.before_each { "h" }
runner.it "second" { 2 }
print(runner.log)   # expect: [first=1, hook=h, second=2]
