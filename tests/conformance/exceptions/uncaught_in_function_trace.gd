fn level_two() {
    raise RuntimeError("deep failure")
}
fn level_one() {
    level_two()
}
level_one()
# expect error: RuntimeError: deep failure
# expect error: level_two
# expect error: level_one
