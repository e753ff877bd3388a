graph Vault {
    secret: 42
    priv fn reveal() { return secret }
    fn hint() { return _reveal() - 2 }
}
v = Vault.clone()
print(v.hint())       # expect: 40
print(v.responds_to("hint"))   # expect: true
v._reveal()
# expect error: reveal
