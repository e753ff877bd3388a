# Counting and grouping in a function: local maps built from literals are updated in place, and
# `stats = by_city[c] ... by_city[c] = stats` takes the element out instead of copying it.
# Value semantics hold: maps shared with the caller or another variable never change.
fn group(people, seed) {
    by_city = {}
    for person in people {
        city = person["city"]
        if not by_city.has_key(city) { by_city[city] = seed }
        stats = by_city[city]
        stats["count"] = stats["count"] + 1
        stats["ages"] = stats["ages"] + person["age"]
        by_city[city] = stats
    }
    return by_city
}
seed = {"count": 0, "ages": 0}
people = [{"city": "Oslo", "age": 30}, {"city": "Lima", "age": 20}, {"city": "Oslo", "age": 40}]
groups = group(people, seed)
print(groups)   # expect: {"Oslo": {"count": 2, "ages": 70}, "Lima": {"count": 1, "ages": 20}}
print(seed)     # expect: {"count": 0, "ages": 0}

fn count_words(text) {
    counts = {}
    for w in text.split(" ") { counts[w] = counts.get(w, 0) + 1 }
    lines = []
    for w in counts.keys().sort() { lines.append!(w + "=" + counts[w]) }
    return lines.join(" ")
}
print(count_words("b a b c b"))   # expect: a=1 b=3 c=1

fn bad_key() {
    m = {}
    m[1] = "x"
}
bad_key()
# expect error: Map keys are strings
