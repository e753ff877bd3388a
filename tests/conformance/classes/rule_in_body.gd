graph Acyclic {
    rule :no_cycles
}
g = Acyclic.clone()
print(g.has_rule(:no_cycles))   # expect: true
