# Conditionals and loops.

describe "conditionals" {
    it "choose a branch with if / else if / else" {
        fn sign(n) {
            if n > 0 {
                return "positive"
            } else if n < 0 {
                return "negative"
            } else {
                return "zero"
            }
        }
        assert(expect(sign(3)).to_equal("positive"))
        assert(expect(sign(-3)).to_equal("negative"))
        assert(expect(sign(0)).to_equal("zero"))
    }

    it "use block-if as an expression" {
        n = 12
        size = if n > 10 { "large" } else { "small" }
        expect(size).to_equal("large")
    }

    it "support the inline form" {
        n = 3
        expect("odd" if n % 2 == 1 else "even").to_equal("odd")
    }

    it "support unless and suffix conditions" {
        hits = []
        unless 1 > 2 { hits = hits.append("unless") }
        unless 2 > 1 { hits = hits.append("never") }
        assert(expect(hits).to_equal(["unless"]))
        # a suffix condition applies to the expression: it is none when the condition fails
        yes = "taken" if true
        no = "taken" if false
        also = "kept" unless false
        assert(expect(yes).to_equal("taken"))
        assert(expect(no).to_be_none())
        assert(expect(also).to_equal("kept"))
    }

    it "treat empty values as false" {
        seen = []
        for value in [0, "", [], {}, none, false, 1] {
            if value {
                seen = seen.append(value)
            }
        }
        expect(seen).to_equal([1])
    }

    it "short-circuit and / or into booleans" {
        assert(expect(1 and "x").to_equal(true))
        assert(expect(0 or none).to_equal(false))
        assert(expect(false and undefined_thing).to_equal(false))
    }

    it "give not a tighter binding than ==" {
        expect(not 1 == 2).to_equal(false)
    }
}

describe "loops" {
    it "iterate over lists and strings" {
        total = 0
        for n in [1, 2, 3] { total = total + n }
        letters = []
        for ch in "héllo" { letters = letters.append(ch) }
        assert(expect(total).to_equal(6))
        assert(expect(letters).to_equal(["h", "é", "l", "l", "o"]))
    }

    it "repeat with while" {
        n = 1
        steps = 0
        while n < 100 {
            n = n * 3
            steps = steps + 1
        }
        assert(expect(n).to_equal(243))
        assert(expect(steps).to_equal(5))
    }

    it "stop with break and skip with continue" {
        kept = []
        for n in [1, 2, 3, 4, 5, 6, 7] {
            if n == 6 { break }
            if n % 2 == 0 { continue }
            kept = kept.append(n)
        }
        expect(kept).to_equal([1, 3, 5])
    }

    it "leave the loop variable visible afterwards" {
        for item in ["a", "b"] { last_seen = item }
        expect(last_seen).to_equal("b")
    }
}
