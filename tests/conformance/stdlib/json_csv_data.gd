# json and csv: data in, graph out, data back (no files: the suite runs in the repository).
import "json"
import "csv"

people = json.parse("[{\"name\": \"ada\", \"born\": 1815, \"knows\": [\"charles\"]}, {\"name\": \"charles\", \"born\": 1791, \"knows\": []}]")
print(people.length(), people[0]["knows"][0], people[1]["born"] + 1)   # expect: 2 charles 1792

g = graph { type: :directed }
for person in people {
    g.add_node(person["name"], person["born"])
    for friend in person["knows"] {
        g.add_edge(person["name"], friend, "knows")
    }
}
print(g.node_count(), g.edge_count())                                 # expect: 2 1
copy = json.parse_graph(json.stringify(g, pretty: true))
print(copy.get_node("ada"), copy.has_edge("ada", "charles"))          # expect: 1815 true

edges = csv.parse("src,dst,w\na,b,1.5\nb,c,2\n", header: true, numbers: true)
total = 0
for row in edges { total = total + row["w"] }
print(total, edges[1]["dst"])                                         # expect: 3.5 c
print(csv.stringify(edges).length(), json.stringify(edges))           # expect: 24 [{"src":"a","dst":"b","w":1.5},{"src":"b","dst":"c","w":2}]

try {
    json.parse("{\"open\": [1, 2}")
} catch ParseError as e {
    print(e.message())   # expect: Invalid JSON at line 1, column 15: Expecting ',' delimiter
}
