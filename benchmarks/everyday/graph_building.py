def run(n):
    values = {}
    edges = {}
    i = 0
    while i < n:
        node = "n" + str(i)
        values[node] = i % 13
        edges[node] = []
        i = i + 1
    i = 0
    while i < n:
        source = "n" + str(i)
        if values[source] % 2 == 0:
            target = "n" + str((i * 3 + 1) % n)
            if target not in edges[source]:
                edges[source].append(target)
        target = "n" + str((i + 1) % n)
        if target not in edges[source]:
            edges[source].append(target)
        i = i + 1
    weight = 0
    for node in values:
        for other in edges[node]:
            weight = weight + values[other]
    return weight * 10 + len(edges["n0"])
