# note: integer arithmetic stays exact (the reference promotes to bignum beyond 2^53).
print(2 ** 53 + 1)            # expect: 9007199254740993
print(123456789 * 987654321)  # expect: 121932631112635269
