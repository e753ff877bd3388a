import "./cycle_b"
fn a() { return "a" }
