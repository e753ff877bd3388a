# Value-transforming rules on lists.

describe "list behaviors" {
    it "replace none with zero" {
        xs = [1, none, 2].add_rule(:none_to_zero)
        assert(expect(xs).to_equal([1, 0, 2]))
        assert(expect(xs.to_string()).to_equal("[1, 0, 2]"))
    }

    it "apply to elements added later" {
        xs = [].add_rule(:positive)
        xs.append!(-3)
        expect(xs).to_equal([3])
    }

    it "round, clamp and change case" {
        assert(expect([1.4, 1.6].add_rule(:round_to_int)).to_equal([1, 2]))
        assert(expect([5, 50, 500].add_rule(:validate_range, 10, 100)).to_equal([10, 50, 100]))
        assert(expect(["a", "B"].add_rule(:uppercase)).to_equal(["A", "B"]))
        assert(expect(["a", "B"].add_rule(:lowercase)).to_equal(["a", "b"]))
    }

    it "drop duplicates" {
        expect([1, 1, 2, 1].add_rule(:no_duplicates)).to_equal([1, 2])
    }

    it "chain across lines" {
        xs = [-1.6, none]
            .add_rule(:none_to_zero)
            .add_rule(:positive)
            .add_rule(:round_to_int)
        expect(xs).to_equal([2, 0])
    }

    it "do not affect equality with a plain list" {
        expect([1, 2].add_rule(:positive) == [1, 2]).to_be_truthy()
    }
}
