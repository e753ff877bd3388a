def run(n):
    cities = ["Oslo", "Lima", "Pune", "Kyiv", "Baku"]
    people = []
    i = 0
    while i < n:
        people.append({"name": "p" + str(i), "age": 18 + i % 60, "city": cities[i % 5]})
        i = i + 1
    by_city = {}
    for person in people:
        city = person["city"]
        if city not in by_city:
            by_city[city] = {"count": 0, "ages": 0}
        stats = by_city[city]
        stats["count"] = stats["count"] + 1
        stats["ages"] = stats["ages"] + person["age"]
    out = []
    for city in by_city.keys():
        stats = by_city[city]
        out.append(city + ":" + str(stats["count"]) + "/" + str(stats["ages"] // stats["count"]))
    return ",".join(out)
