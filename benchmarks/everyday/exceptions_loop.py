def parse_positive(k):
    if k % 5 == 0:
        raise ValueError("bad value " + str(k))
    return k * 2


def run(n):
    total = 0
    failures = 0
    i = 0
    while i < n:
        try:
            total = total + parse_positive(i)
        except ValueError:
            failures = failures + 1
        i = i + 1
    return total + failures
