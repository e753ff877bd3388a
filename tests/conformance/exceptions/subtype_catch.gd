# note: interpreter errors (undefined names, bad indexes) are RuntimeErrors or subkinds of it.
try {
    nope()
} catch RuntimeError as e {
    print("runtime family")   # expect: runtime family
}
