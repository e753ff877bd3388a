# reflect.pattern(pattern[, guard]): the pattern is read as written, never evaluated (none of
# the names below is defined), and comes back as a graph rooted at "pattern:root".

describe "reflect.pattern" {
    describe "map patterns" {
        it "describe each field by its key" {
            p = reflect.pattern({ user: who, level: 3, note: _ })
            expect(p.get_node("pattern:root")).to_equal({ "pattern_type": "map", "field_count": 3 })
            expect(p.get_node("field:user")).to_equal({ "key": "user", "type": "binding", "name": "who" })
            expect(p.get_node("field:level")).to_equal({ "key": "level", "type": "literal", "value": 3 })
            expect(p.get_node("field:note")).to_equal({ "key": "note", "type": "wildcard" })
        }

        it "link the root to every field with has_field" {
            p = reflect.pattern({ a: x, b: y })
            expect(p.edges()).to_equal([["pattern:root", "field:a", "has_field"], ["pattern:root", "field:b", "has_field"]])
        }

        it "mark a computed field value as an expression" {
            p = reflect.pattern({ total: price * 2 })
            expect(p.get_node("field:total")["type"]).to_equal("expression")
        }
    }

    describe "list patterns" {
        it "describe each element by its index" {
            p = reflect.pattern([head, -7, :tag, none, _])
            expect(p.get_node("pattern:root")).to_equal({ "pattern_type": "list", "element_count": 5 })
            expect(p.get_node("element:0")).to_equal({ "index": 0, "type": "binding", "name": "head" })
            expect(p.get_node("element:1")["value"]).to_equal(-7)
            expect(p.get_node("element:2")["value"]).to_equal(:tag)
            expect(p.get_node("element:3")).to_equal({ "index": 3, "type": "literal", "value": none })
            expect(p.get_node("element:4")["type"]).to_equal("wildcard")
            expect(p.has_path("pattern:root", "element:4")).to_equal(true)
        }

        it "have only a root when empty" {
            p = reflect.pattern([])
            expect(p.nodes()).to_equal(["pattern:root"])
            expect(p.get_node("pattern:root")["element_count"]).to_equal(0)
        }
    }

    describe "single patterns" {
        it "describe literals, bindings and the wildcard on the root" {
            expect(reflect.pattern(2.5).get_node("pattern:root")).to_equal({ "pattern_type": "literal", "value": 2.5 })
            expect(reflect.pattern("hi").get_node("pattern:root")["value"]).to_equal("hi")
            expect(reflect.pattern(whoever).get_node("pattern:root")).to_equal({ "pattern_type": "binding", "name": "whoever" })
            expect(reflect.pattern(_).get_node("pattern:root")).to_equal({ "pattern_type": "wildcard" })
        }
    }

    describe "guards" {
        it "add guard:0 holding the guard function" {
            p = reflect.pattern([n], n => n > 0)
            expect(p.has_path("pattern:root", "guard:0")).to_equal(true)
            guard = p.get_node("guard:0")
            expect(guard["type"]).to_equal("guard")
            expect(guard["function"](5)).to_equal(true)
            expect(guard["function"](-5)).to_equal(false)
        }

        it "must be functions" {
            expect({ || reflect.pattern(x, 5) }).to_raise("TypeError")
        }
    }

    describe "errors" {
        it "reject what is not a pattern" {
            expect({ || reflect.pattern(a + b) }).to_raise("TypeError")
            expect({ || reflect.pattern(f(1)) }).to_raise("TypeError")
        }

        it "reject a wrong number of arguments" {
            expect({ || reflect.pattern() }).to_raise("TypeError")
            expect({ || reflect.pattern(a, b, c) }).to_raise("TypeError")
            expect({ || reflect.pattern(a, guard: b) }).to_raise("TypeError")
        }
    }

    describe "a user's own reflect" {
        it "is called as an ordinary method, its argument evaluated" {
            fn use(reflect) { return reflect.pattern(20 + 1) }
            expect(use({ pattern: (v) => v * 2 })).to_equal(42)
        }
    }
}
