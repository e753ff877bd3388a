# Pattern queries on graphs: node/edge/path objects and pattern literals.

fn social() {
    g = graph { type: :directed }
    g.add_node("ann", {"age": 31})
    g.add_node("bob", {"age": 25})
    g.add_node("cat", {"age": 40})
    g.add_edge("ann", "bob", "FRIEND")
    g.add_edge("bob", "cat", "FRIEND")
    g.add_edge("ann", "cat", "BOSS")
    return g
}

describe "g.match" {
    it "matches one typed edge" {
        results = social().match(node("a"), edge(type: "FRIEND"), node("b"))
        expect(results.len()).to_equal(2)
    }

    it "matches any edge without a type" {
        results = social().match(node("a"), edge(), node("b"))
        expect(results.len()).to_equal(3)
    }

    it "projects the bound variables" {
        results = social().match(node("boss"), edge(type: "BOSS"), node("worker"))
        rows = results.return(["boss", "worker"])
        assert(expect(rows.length()).to_equal(1))
        assert(expect(rows[0]["boss"]).to_equal("ann"))
    }

    it "follows variable-length paths" {
        results = social().match(node("a"), path(type: "FRIEND", min: 2, max: 2), node("b"))
        expect(results.len()).to_equal(1)
    }
}

describe "pattern literals" {
    it "chain clauses with shared variables" {
        p = pattern {
            a -> b [FRIEND]
            b -> c [FRIEND]
        }
        results = social().match(p)
        assert(expect(results.len()).to_equal(1))
        assert(expect(results[0]["a"]).to_equal("ann"))
        assert(expect(results[0]["c"]).to_equal("cat"))
    }

    it "are values of type pattern" {
        p = pattern { x -> y }
        expect(p.type()).to_equal("pattern")
    }
}
