# Graph values: nodes, edges, queries, equality, rules and renderings.

fn triangle() {
    g = graph { type: :directed }
    g.add_node("a", 1)
    g.add_node("b", 2)
    g.add_node("c", 3)
    g.add_edge("a", "b", "next")
    g.add_edge("b", "c", "next")
    g.add_edge("a", "c", "skip")
    return g
}

describe "building graphs" {
    it "starts empty" {
        g = graph {}
        assert(expect(g.node_count()).to_equal(0))
        assert(expect(g.nodes()).to_equal([]))
        assert(expect(g.type()).to_equal("graph"))
    }

    it "stores node values and typed edges" {
        g = triangle()
        assert(expect(g.node_count()).to_equal(3))
        assert(expect(g.edge_count()).to_equal(3))
        assert(expect(g.get_node("b")).to_equal(2))
        assert(expect(g.get_node("zzz")).to_be_none())
        assert(expect(g.edges()).to_contain(["a", "c", "skip"]))
    }

    it "answers reachability and neighbourhoods" {
        g = triangle()
        assert(expect(g.has_path("a", "c")).to_be_truthy())
        assert(expect(g.has_path("c", "a")).to_be_falsy())
        assert(expect(g.has_edge("a", "b")).to_be_truthy())
        assert(expect(g.neighbors("a")).to_equal(["b", "c"]))
        assert(expect(g.out_degree("a")).to_equal(2))
        assert(expect(g.in_degree("c")).to_equal(2))
    }

    it "finds shortest paths and orders a DAG" {
        g = triangle()
        assert(expect(g.shortest_path("a", "c")).to_equal(["a", "c"]))
        assert(expect(g.topological_sort()).to_equal(["a", "b", "c"]))
        assert(expect(g.bfs("a")).to_equal(["a", "b", "c"]))
    }

    it "removes nodes with their edges" {
        g = triangle()
        g.remove_node("b")
        assert(expect(g.nodes()).to_equal(["a", "c"]))
        assert(expect(g.edge_count()).to_equal(1))
    }

    it "is shared by reference" {
        g = graph {}
        h = g
        h.add_node("x", 0)
        expect(g.has_node("x")).to_be_truthy()
    }
}

describe "graph equality" {
    it "compares the data layer" {
        assert(expect(triangle() == triangle()).to_be_truthy())
        g = triangle()
        g.add_node("d", 4)
        assert(expect(g == triangle()).to_be_falsy())
    }

    it "includes the graph type" {
        a = graph { type: :directed }
        b = graph { type: :undirected }
        expect(a == b).to_be_falsy()
    }

    it "can include rules in equals()" {
        a = triangle()
        b = triangle()
        a.add_rule(:no_cycles)
        assert(expect(a.equals(b)).to_be_truthy())
        assert(expect(a.equals(b, {include: :rules})).to_be_falsy())
    }
}

describe "rules" {
    it "refuses an edge that would close a cycle and leaves the graph unchanged" {
        g = triangle()
        g.add_rule(:no_cycles)
        assert(expect({ || g.add_edge("c", "a", "back") }).to_raise())
        assert(expect(g.edge_count()).to_equal(3))
    }

    it "records, reports and removes rules" {
        g = graph {}
        g.add_rule(:max_degree, 1)
        assert(expect(g.has_rule(:max_degree)).to_be_truthy())
        g.remove_rule(:max_degree)
        assert(expect(g.has_rule(:max_degree)).to_be_falsy())
    }

    it "applies rulesets" {
        dag = graph { type: :directed, ruleset: :dag }
        assert(expect(dag.has_ruleset(:dag)).to_be_truthy())
        t = graph {}.with_ruleset(:tree)
        expect(t.has_ruleset(:tree)).to_be_truthy()
    }
}

describe "renderings" {
    it "writes DOT and text" {
        g = triangle()
        assert(expect(g.to_dot()).to_contain("digraph"))
        assert(expect(g.to_ascii().length()).to_be_greater_than(0))
        assert(expect(g.visualize().length()).to_be_greater_than(0))
    }

    it "hides internal layers from nodes()" {
        graph Holder { value: 1 }
        assert(expect(Holder.nodes()).to_equal([]))
        assert(expect(Holder.nodes(:all).length()).to_be_greater_than(0))
    }
}
