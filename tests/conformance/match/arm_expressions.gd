# note: arm bodies accept full expressions (a superset of the reference's primary-only bodies).
x = 4
print(match x { 4 => x * 2, _ => 0 })   # expect: 8
print(match "s" { "s" => "was " + "s" }) # expect: was s
