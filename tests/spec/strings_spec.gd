# Strings: methods, characters, mutation, generation and pattern methods.

describe "string basics" {
    it "measure and slice by character" {
        s = "naïve"
        assert(expect(s.length()).to_equal(5))
        assert(expect(s.slice(1, 3)).to_equal("aï"))
        assert(expect(s.first()).to_equal("n"))
        assert(expect("".first()).to_be_none())
        assert(expect(s[2]).to_equal("ï"))
    }

    it "change case, trim and replace" {
        assert(expect("MiXed".upper()).to_equal("MIXED"))
        assert(expect("MiXed".lower()).to_equal("mixed"))
        assert(expect("  pad  ".trim()).to_equal("pad"))
        assert(expect("a-b-c".replace("-", "+")).to_equal("a+b+c"))
    }

    it "split, search and test prefixes" {
        assert(expect("a,b,c".split(",")).to_equal(["a", "b", "c"]))
        assert(expect("graphoid".contains("ph")).to_be_truthy())
        assert(expect("graphoid".starts_with("gra")).to_be_truthy())
        assert(expect("graphoid".ends_with("oid")).to_be_truthy())
        assert(expect("graphoid".index_of("ph")).to_equal(3))
    }

    it "concatenate anything with +" {
        assert(expect("n=" + 3).to_equal("n=3"))
        assert(expect("v: " + true).to_equal("v: true"))
        assert(expect("list " + [1, 2]).to_equal("list [1, 2]"))
    }

    it "map, filter and reject characters" {
        assert(expect("abc".map(c => c.upper())).to_equal(["A", "B", "C"]))
        assert(expect("banana".filter(c => c != "a")).to_equal("bnn"))
        assert(expect("banana".reject(c => c == "n")).to_equal("baaa"))
    }
}

describe "mutating string methods" {
    it "rebind the variable and evaluate to none" {
        s = "  Hello  "
        r = s.trim!()
        s.upper!()
        assert(expect(r).to_be_none())
        assert(expect(s).to_equal("HELLO"))
    }

    it "reverse by character" {
        s = "añb"
        s.reverse!()
        expect(s).to_equal("bña")
    }
}

describe "string.generate" {
    it "repeats a string" {
        assert(expect(string.generate("ab", 3)).to_equal("ababab"))
        assert(expect(string.generate("x", 0)).to_equal(""))
    }

    it "spans a character range either way" {
        assert(expect(string.generate("a", "e")).to_equal("abcde"))
        assert(expect(string.generate("3", "1")).to_equal("321"))
    }
}

describe "pattern methods" {
    it "test character classes with :any, :all and :only" {
        assert(expect("abc123".contains(:any, :digits)).to_be_truthy())
        assert(expect("abc".contains(:all, :letters, :digits)).to_be_falsy())
        assert(expect("abc def".contains(:only, :letters, :spaces)).to_be_truthy())
        assert(expect("ABC".contains(:any, :lowercase)).to_be_falsy())
    }

    it "extract runs of a class" {
        assert(expect("id 42 and 7".extract(:numbers)).to_equal(["42", "7"]))
        assert(expect("two words".extract(:words)).to_equal(["two", "words"]))
        assert(expect("mail me: x@y.org".extract(:emails)).to_equal(["x@y.org"]))
    }

    it "count and find matching characters" {
        assert(expect("a1b22".count(:digits)).to_equal(3))
        assert(expect("a1b22".find(:digits)).to_equal([1, 3, 4]))
        assert(expect("a1b22".find(:digits, :first)).to_equal(1))
        assert(expect("abc".find(:digits, :first)).to_equal(-1))
    }
}
