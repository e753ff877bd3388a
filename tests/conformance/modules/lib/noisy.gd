print("noisy module loaded")
fn ping() { return "pong" }
