line = "  Alice,30 ; Bob,25 ; Cy,41  "
people = line.trim().split(" ; ").map(s => s.split(","))
names = people.map(p => p[0].upper())
ages = people.map(p => p[1].to_num())
print(names.join("|"))      # expect: ALICE|BOB|CY
print(ages.sum() / ages.length())   # expect: 32
print(people.sort_by(p => p[1].to_num()).first()[0])  # expect: Bob
