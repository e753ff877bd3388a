# match expressions and pattern-clause functions.

describe "match on literals" {
    it "picks the first matching arm" {
        fn name_of(n) {
            return match n { 1 => "one", 2 => "two", _ => "many" }
        }
        assert(expect(name_of(1)).to_equal("one"))
        assert(expect(name_of(2)).to_equal("two"))
        assert(expect(name_of(9)).to_equal("many"))
    }

    it "matches strings, booleans and none" {
        fn describe_value(v) {
            return match v { "hi" => "greeting", true => "yes", none => "nothing", _ => "other" }
        }
        assert(expect(describe_value("hi")).to_equal("greeting"))
        assert(expect(describe_value(true)).to_equal("yes"))
        assert(expect(describe_value(none)).to_equal("nothing"))
    }

    it "gives none when no arm matches" {
        expect(match 5 { 1 => "one" }).to_be_none()
    }

    it "binds a name that arm bodies can use" {
        expect(match 6 { n => n * 7 }).to_equal(42)
    }
}

describe "match on lists" {
    it "distinguishes lengths" {
        fn shape(xs) {
            return match xs { [] => "empty", [a] => "one", [a, b] => "two", _ => "more" }
        }
        assert(expect(shape([])).to_equal("empty"))
        assert(expect(shape([1])).to_equal("one"))
        assert(expect(shape([1, 2])).to_equal("two"))
        assert(expect(shape([1, 2, 3])).to_equal("more"))
    }

    it "splits head and rest" {
        fn sum(xs) {
            return match xs { [] => 0, [head, ...tail] => head + sum(tail) }
        }
        expect(sum([1, 2, 3, 4])).to_equal(10)
    }

    it "mixes literals and bindings inside list patterns" {
        fn command(msg) {
            return match msg { [:add, n] => n + 1, [:neg, n] => -n, _ => none }
        }
        assert(expect(command([:add, 1])).to_equal(2))
        assert(expect(command([:neg, 5])).to_equal(-5))
        assert(expect(command([:other])).to_be_none())
    }
}

describe "pattern-clause functions" {
    it "dispatch on their single argument" {
        fn fact(n) {
            |0| => 1
            |k| => k * fact(k - 1)
        }
        expect(fact(6)).to_equal(720)
    }

    it "take guards" {
        fn sign(n) {
            |x| if x < 0 => "negative"
            |0| => "zero"
            |x| => "positive"
        }
        assert(expect(sign(-2)).to_equal("negative"))
        assert(expect(sign(0)).to_equal("zero"))
        assert(expect(sign(2)).to_equal("positive"))
    }
}
