# note: closures are lexical (deliberate deviation: the reference deep-snapshots the environment).
total = 0
add = x => {
    total = total + x
}
add(5)
add(3)
print(total)   # expect: 8
