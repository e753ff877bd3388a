# PageRank with graph-native messaging (seeds/003) on a distributed graph: the web graph is cut
# into partitions on worker processes and the same PageRankNode handler runs at every node.
# The ranks are bit-for-bit those of examples/pagerank.gd (the local run).

import "distributed"

fn pagerank(graph, iterations, damping) {
    n = graph.node_count()

    # Initialize all nodes via broadcast
    graph.broadcast(:init, { rank: 1.0 / n, damping: damping, n: n })

    for i in range(iterations) {
        # Each node sends contributions to neighbors
        graph.broadcast(:send_contributions)

        # Each node updates its rank
        graph.broadcast(:update_rank)
    }
}

# Node behavior (defined once)
graph PageRankNode {
    rank = 0.0
    incoming = 0.0
    damping = 0.85
    n = 1

    fn on_message(msg) {
        match msg {
            [:init, params] => {
                rank = params["rank"]
                damping = params["damping"]
                n = params["n"]
            }
            :send_contributions => {
                out_degree = self.out_degree()
                if out_degree > 0 {
                    contribution = rank / out_degree
                    # Send along all outgoing edges
                    self.graph.send([:contribution, contribution], from: self.id, via: "*")
                }
            }
            [:contribution, amount] => {
                incoming = incoming + amount
            }
            :update_rank => {
                rank = (1 - damping) / n + damping * incoming
                incoming = 0.0
            }
            :get_rank => { "id": self.id, "rank": rank }
        }
    }
}

web = graph { type: :directed }
for id in ["home", "about", "blog", "post1", "post2", "contact"] {
    web.add_node(id, {})
}
links = [
    ["home", "about"], ["home", "blog"], ["blog", "post1"], ["blog", "post2"],
    ["post1", "home"], ["post2", "home"], ["post2", "post1"], ["about", "contact"],
    ["contact", "home"]
]
for link in links {
    web.add_edge(link[0], link[1], "link")
}

web = distributed.distribute(web, partitions: 2)
web.set_behavior(PageRankNode)
pagerank(web, 20, 0.85)

top = await web.request(:get_rank, where: n => true)
    .sort_by(r => r["rank"], :desc)
    .take(3)

for r in top {
    print(r["id"], r["rank"].round(4))
}
