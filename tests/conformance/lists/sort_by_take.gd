people = [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}, {"name": "cy", "age": 40}]
by_age = people.sort_by(p => p["age"])
print(by_age.map(p => p["name"]))            # expect: [bob, ann, cy]
print(people.sort_by(p => p["age"], :desc).map(p => p["name"]))  # expect: [cy, ann, bob]
print([5, 6, 7, 8].take(2))                  # expect: [5, 6]
print([5].take(3))                           # expect: [5]
print(["pear", "fig", "apple"].sort_by(s => s.length()))  # expect: [fig, pear, apple]
