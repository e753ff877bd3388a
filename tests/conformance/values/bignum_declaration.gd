# `bignum x = v` converts the value to a bignum (LANGUAGE_STUDY 1.5); the other declared
# types only annotate, as in the reference (no check, no conversion).
bignum big = 2
print(big, big.type())              # expect: 2 bignum
print(big.is_bignum(), big + 1 == 3)   # expect: true true
bignum from_float = 4.0
print(from_float.type())            # expect: bignum
bignum parsed = "123456789012345678901234567890"
print(parsed.type(), parsed == 123456789012345678901234567890)   # expect: bignum true
fn local_decl() {
    bignum b = 7
    return b.type()
}
print(local_decl())                 # expect: bignum
num n = "a"
print(n)                            # expect: a
string s = 5
print(s.type())                     # expect: num
list<num> xs = [1, 2]
print(xs)                           # expect: [1, 2]
bignum bad = [1]                    # expect error: TypeError: Cannot convert list to bignum
