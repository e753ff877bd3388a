import "./lib/nested/inner"
print(inner_mod.nine())     # expect: 9
