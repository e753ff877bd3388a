import "./cycle_a"
fn b() { return "b" }
