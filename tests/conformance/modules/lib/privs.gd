priv SECRET = 42
priv {
    HIDDEN = 1
    fn hidden_fn() { return HIDDEN }
}
fn reveal() { return SECRET + hidden_fn() }
PUBLIC = "visible"
