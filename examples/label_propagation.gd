# Community detection by label propagation on a distributed graph: every member starts with
# its own label and, each round, takes the label held most often among itself and its
# neighbours (ties: the smallest). Messages travel between partitions; the result equals a
# local run's.

import "distributed"

graph Member {
    label = ""
    heard = []

    fn on_message(msg) {
        match msg {
            :init => { label = self.id }
            :share => { self.graph.send([:label, label], from: self.id, via: "*") }
            [:label, other] => { heard = heard + [other] }
            :adopt => {
                if heard.length() > 0 {
                    tally = {}
                    tally[label] = 1
                    for l in heard { tally[l] = tally.get(l, 0) + 1 }
                    best = ""
                    best_count = 0
                    for l in tally.keys().sort() {
                        if tally[l] > best_count {
                            best = l
                            best_count = tally[l]
                        }
                    }
                    label = best
                }
                heard = []
            }
            :get_label => label
        }
    }
}

# two tight groups joined by one bridge (3 - 4)
friends = graph { type: :undirected }
for pair in [["1", "2"], ["1", "3"], ["2", "3"], ["0", "1"], ["0", "2"], ["3", "4"],
             ["4", "5"], ["4", "6"], ["5", "6"], ["5", "7"], ["6", "7"]] {
    friends.add_edge(pair[0], pair[1])
}

club = distributed.distribute(friends, partitions: 2)
club.set_behavior(Member)
club.broadcast(:init)
for round in range(5) {
    club.broadcast(:share)
    club.broadcast(:adopt)
}

labels = club.request(:get_label, where: n => true)
ids = club.nodes()
communities = {}
for i in range(ids.length()) {
    members = communities.get(labels[i], [])
    communities[labels[i]] = members + [ids[i]]
}
for label in communities.keys().sort() {
    print(label, communities[label])
}
