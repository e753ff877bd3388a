# Graph-level features: property access, subgraph operations, introspection, method
# constraints and layers.

describe "property access on graphs and maps" {
    it "reads data nodes and properties with a dot" {
        g = graph {}
        g.add_node("title", "Dune")
        assert(expect(g.title).to_equal("Dune"))
        assert(expect(g["title"]).to_equal("Dune"))
        assert(expect(g.missing).to_be_none())
    }

    it "creates and updates properties by assignment" {
        g = graph {}
        g.colour = "blue"
        g.colour = "green"
        expect(g.colour).to_equal("green")
    }

    it "updates a map entry through a dot" {
        settings = {"depth": 1}
        settings.depth = 2
        expect(settings["depth"]).to_equal(2)
    }
}

describe "subgraphs" {
    fn sample() {
        g = graph {}
        g.add_node("low", 1)
        g.add_node("mid", 50)
        g.add_node("high", 100)
        g.add_edge("low", "mid", "up")
        g.add_edge("mid", "high", "up")
        g.add_edge("low", "high", "jump")
        return g
    }

    it "extract keeps the nodes a filter accepts" {
        small = sample().extract(v => v < 60, none, true)
        assert(expect(small.nodes()).to_equal(["low", "mid"]))
        assert(expect(small.edge_count()).to_equal(1))
    }

    it "extract can filter edges by type" {
        jumps = sample().extract(none, (a, b, t) => t == "jump", false)
        expect(jumps.edge_count()).to_equal(1)
    }

    it "delete returns the graph without the matching nodes" {
        rest = sample().delete(v => v > 60, none)
        assert(expect(rest.has_node("high")).to_be_falsy())
        assert(expect(rest.node_count()).to_equal(2))
    }

    it "add_subgraph merges with a conflict policy" {
        a = graph {}
        a.add_node("shared", "mine")
        b = graph {}
        b.add_node("shared", "theirs")
        b.add_node("extra", 0)
        assert(expect(a.add_subgraph(b, "keep_original").get_node("shared")).to_equal("mine"))
        assert(expect(a.add_subgraph(b, "overwrite").get_node("shared")).to_equal("theirs"))
        assert(expect(a.add_subgraph(b, none).node_count()).to_equal(2))
    }
}

describe "introspection" {
    it "lists the methods a body reads and writes" {
        graph Tank {
            level: 0
            capacity: 10
            fn fill() { level = capacity }
            fn report() { return level }
        }
        assert(expect(Tank.method_writes("fill")).to_contain("level"))
        assert(expect(Tank.method_reads("fill")).to_contain("capacity"))
        assert(expect(Tank.method_reads("report")).to_contain("level"))
    }

    it "removes a method" {
        graph Tool {
            fn use() { return "used" }
        }
        assert(expect(Tool.remove_method("use")).to_be_truthy())
        assert(expect(Tool.responds_to("use")).to_be_falsy())
    }

    it "reports the template of an instance" {
        graph Part { size: 1 }
        p = Part { size: 2 }
        expect(p.template().type_of()).to_equal("Part")
    }
}

describe "rules inside declarations" {
    it "attach rules to the class-like graph" {
        graph Pipeline {
            rule :no_cycles
            fn link(a, b) {
                self.add_node(a, 0)
                self.add_node(b, 0)
                self.add_edge(a, b)
            }
        }
        p = Pipeline.clone()
        p.link("x", "y")
        assert(expect(p.has_rule(:no_cycles)).to_be_truthy())
        assert(expect({ || p.link("y", "x") }).to_raise())
    }

    it "keep data nodes apart from internal ones" {
        graph Store {
            items: 3
            fn count() { return items }
        }
        s = Store.clone()
        s.add_node("apple", 1)
        assert(expect(s.nodes()).to_equal(["apple"]))
        assert(expect(s.nodes(:all).length()).to_be_greater_than(1))
    }
}

describe "priv blocks" {
    it "declare several private names at once" {
        priv {
            BASE = 10
            fn scaled(x) { return x * BASE }
        }
        assert(expect(scaled(4)).to_equal(40))
        assert(expect(BASE).to_equal(10))
    }
}
