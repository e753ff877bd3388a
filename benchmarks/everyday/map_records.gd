fn run(n) {
    cities = ["Oslo", "Lima", "Pune", "Kyiv", "Baku"]
    people = []
    i = 0
    while i < n {
        people.append!({"name": "p" + i, "age": 18 + i % 60, "city": cities[i % 5]})
        i = i + 1
    }
    by_city = {}
    for person in people {
        city = person["city"]
        if not by_city.has_key(city) {
            by_city[city] = {"count": 0, "ages": 0}
        }
        stats = by_city[city]
        stats["count"] = stats["count"] + 1
        stats["ages"] = stats["ages"] + person["age"]
        by_city[city] = stats
    }
    out = []
    for city in by_city.keys() {
        stats = by_city[city]
        out.append!(city + ":" + stats["count"] + "/" + stats["ages"] // stats["count"])
    }
    return out.join(",")
}
