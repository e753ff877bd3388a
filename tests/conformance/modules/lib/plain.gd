# A module without a declaration is bound under its file stem.
fn triple(x) { return x * 3 }
