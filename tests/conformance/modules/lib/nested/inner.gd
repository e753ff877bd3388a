module inner_mod
import "../plain"
fn nine() { return plain.triple(3) }
