def run(n):
    xs = []
    i = 0
    while i < n:
        xs.append("x" + str(i))
        i = i + 1
    text = ",".join(xs)
    return len(text)
