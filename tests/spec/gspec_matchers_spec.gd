# The matchers themselves: each returns {"pass": bool, "message": string}.

describe "equality matchers" {
    it "to_equal compares values structurally" {
        assert(expect([1, [2, 3]]).to_equal([1, [2, 3]]))
        assert(expect({"a": 1}).to_equal({"a": 1}))
        expect("x" + "y").to_equal("xy")
    }

    it "to_equal reports both values when it fails" {
        result = expect(3).to_equal(4)
        assert(expect(result["pass"]).to_be_falsy())
        assert(expect(result["message"]).to_equal("Expected 3 to equal 4"))
    }

    it "quotes strings in failure messages" {
        result = expect("abc").to_equal("abd")
        expect(result["message"]).to_equal("Expected \"abc\" to equal \"abd\"")
    }

    it "to_be is equality for values" {
        expect(none).to_be(none)
    }
}

describe "truthiness matchers" {
    it "to_be_truthy follows Graphoid truthiness" {
        assert(expect(1).to_be_truthy())
        assert(expect("a").to_be_truthy())
        assert(expect([0]).to_be_truthy())
        assert(expect(:sym).to_be_truthy())
        assert(expect(0).to_not().to_be_truthy())
    }

    it "to_be_falsy accepts every falsy value" {
        for value in [false, none, 0, "", [], {}] {
            assert(expect(value).to_be_falsy())
        }
    }

    it "to_be_none is strict" {
        assert(expect(none).to_be_none())
        assert(expect(false).negate().to_be_none())
    }
}

describe "type and collection matchers" {
    it "to_be_a checks the type name" {
        assert(expect(1.5).to_be_a("num"))
        assert(expect("s").to_be_a("string"))
        assert(expect([]).to_be_a("list"))
        assert(expect({}).to_be_a("map"))
        assert(expect(:s).to_be_a("symbol"))
        result = expect(1).to_be_a("string")
        expect(result["message"]).to_contain("it is a num")
    }

    it "to_be_a knows error values by kind and as errors" {
        err = ValueError("v")
        assert(expect(err).to_be_a("ValueError"))
        assert(expect(err).to_be_a("error"))
    }

    it "to_be_a accepts a class-like graph's name" {
        graph Shape { sides: 0 }
        graph Square from Shape { sides: 4 }
        sq = Square.clone()
        assert(expect(sq).to_be_a("graph"))
        assert(expect(sq).to_be_a("Square"))
        assert(expect(sq).to_be_a("Shape"))
    }

    it "to_contain works on lists, strings, maps and graphs" {
        assert(expect([1, 2, 3]).to_contain(2))
        assert(expect("haystack").to_contain("st"))
        assert(expect({"k": 1}).to_contain("k"))
        g = graph {}
        g.add_node("n1", 1)
        assert(expect(g).to_contain("n1"))
        assert(expect([1, 2]).to_not().to_contain(5))
    }

    it "to_have_length and to_be_empty measure size" {
        assert(expect([1, 2, 3]).to_have_length(3))
        assert(expect("four").to_have_length(4))
        assert(expect({"a": 1, "b": 2}).to_have_length(2))
        assert(expect([]).to_be_empty())
        assert(expect("").to_be_empty())
        assert(expect({"a": 1}).negate().to_be_empty())
        result = expect([1]).to_have_length(2)
        expect(result["message"]).to_contain("length is 1")
    }
}

describe "comparison matchers" {
    it "orders numbers" {
        assert(expect(5).to_be_greater_than(4))
        assert(expect(4).to_be_less_than(5))
        assert(expect(5).to_be_at_least(5))
        assert(expect(5).to_be_at_most(5))
        assert(expect(5).to_not().to_be_greater_than(5))
    }

    it "orders strings lexicographically" {
        expect("apple").to_be_less_than("banana")
    }

    it "to_be_close_to uses an absolute tolerance" {
        assert(expect(0.1 + 0.2).to_be_close_to(0.3, 0.000001))
        assert(expect(10).to_not().to_be_close_to(11, 0.5))
        result = expect(1).to_be_close_to(2, 0.5)
        expect(result["message"]).to_contain("difference 1")
    }

    it "to_be_within(tol).of(x) chains" {
        assert(expect(99.5).to_be_within(1).of(100))
        assert(expect(97).to_be_within(1).negate().of(100))
    }
}

describe "error matchers" {
    it "to_raise checks the kind of the error" {
        assert(expect({ || raise ValueError("bad") }).to_raise("ValueError"))
        assert(expect({ || 1 / 0 }).to_raise("RuntimeError"))
        assert(expect({ || raise TypeError("t") }).to_not().to_raise("ValueError"))
    }

    it "to_raise accepts sub-kinds and no kind at all" {
        assert(expect({ || undefined_name_here }).to_raise("RuntimeError"))
        assert(expect({ || raise IOError("io") }).to_raise())
        assert(expect({ || raise IOError("io") }).to_raise("Error"))
    }

    it "to_raise explains what happened instead" {
        result = expect({ || 42 }).to_raise("ValueError")
        assert(expect(result["message"]).to_equal("Expected ValueError to be raised, but nothing was raised"))
        other = expect({ || raise TypeError("nope") }).to_raise("ValueError")
        expect(other["message"]).to_contain("got TypeError: nope")
    }

    it "to_not_raise passes quiet blocks and reports loud ones" {
        assert(expect({ || 1 + 1 }).to_not_raise())
        result = expect({ || raise ValueError("boom") }).to_not_raise()
        expect(result["message"]).to_equal("Expected no error, but got ValueError: boom")
    }

    it "to_raise needs a block" {
        result = expect(5).to_raise("ValueError")
        expect(result["pass"]).to_equal(false)
    }
}

describe "assert" {
    it "is silent for passing results and true values" {
        assert(expect(1).to_equal(1))
        assert(true)
        assert(1 < 2, "ordering")
    }

    it "raises a ValueError naming the failure" {
        expect({ || assert(expect(1).to_equal(2)) }).to_raise("ValueError")
    }

    it "includes the optional message" {
        text = ""
        try {
            assert(false, "must hold")
        } catch ValueError as e {
            text = e.message()
        }
        expect(text).to_equal("Assertion failed: must hold")
    }

    it "combines the message with the matcher's explanation" {
        text = ""
        try {
            assert(expect([]).to_contain(1), "list check")
        } catch as e {
            text = e.message()
        }
        expect(text).to_equal("Assertion failed: list check: Expected [] to contain 1")
    }

    it "refuses an expectation without a matcher" {
        text = ""
        try {
            assert(expect(1))
        } catch ValueError as e {
            text = e.message()
        }
        expect(text).to_contain("without a matcher")
    }
}
