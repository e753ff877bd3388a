# PageRank on Zachary's karate club (examples/data/karate.txt, 34 members, 78 friendships):
# the edge list is read by the workers (each parses its own byte range of the file), so the
# driver never holds the graph. The PageRankNode handler is examples/pagerank.gd's, unchanged.
# Run it from the repository root, in-process or on worker processes: the output is the same.

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

karate = distributed.load_edges("examples/data/karate.txt", directed: false)
karate.set_behavior(PageRankNode)
pagerank(karate, 30, 0.85)

top = await karate.request(:get_rank, where: n => true)
    .sort_by(r => r["rank"], :desc)
    .take(5)

print("Top 5 of", karate.node_count(), "members by PageRank:")
for r in top {
    print(r["id"], r["rank"].round(4))
}
