# Lists and maps: methods and value semantics.

graph Fixture { items: [], person: {} }
fixture = Fixture.clone()

describe "lists" {
    before_each {
        fixture.items = [3, 1, 4, 1, 5]
    }

    it "read elements, including from the end" {
        items = fixture.items
        assert(expect(items[0]).to_equal(3))
        assert(expect(items[-1]).to_equal(5))
        assert(expect(items.first()).to_equal(3))
        assert(expect(items.last()).to_equal(5))
        assert(expect(items.length()).to_equal(5))
    }

    it "transform without changing the original" {
        doubled = fixture.items.map(n => n * 2)
        assert(expect(doubled).to_equal([6, 2, 8, 2, 10]))
        assert(expect(fixture.items).to_equal([3, 1, 4, 1, 5]))
    }

    it "filter, reject, uniq, reverse and sort" {
        items = fixture.items
        assert(expect(items.filter(n => n > 2)).to_equal([3, 4, 5]))
        assert(expect(items.reject(n => n > 2)).to_equal([1, 1]))
        assert(expect(items.uniq()).to_equal([3, 1, 4, 5]))
        assert(expect(items.reverse()).to_equal([5, 1, 4, 1, 3]))
        assert(expect(items.sort()).to_equal([1, 1, 3, 4, 5]))
    }

    it "insert, prepend, remove and slice" {
        items = [1, 2, 3]
        assert(expect(items.insert(1, 9)).to_equal([1, 9, 2, 3]))
        assert(expect(items.prepend(0)).to_equal([0, 1, 2, 3]))
        assert(expect(items.remove(2)).to_equal([1, 3]))
        assert(expect(items.slice(1, 3)).to_equal([2, 3]))
        assert(expect(items).to_equal([1, 2, 3]))
    }

    it "mutate in place with bang methods" {
        items = [1]
        items.append!(2)
        items.append!(3)
        last = items.pop!()
        assert(expect(last).to_equal(3))
        assert(expect(items).to_equal([1, 2]))
    }

    it "have value semantics" {
        a = [1, 2]
        b = a
        b.append!(3)
        assert(expect(a).to_equal([1, 2]))
        assert(expect(b).to_equal([1, 2, 3]))
    }

    it "compare structurally and join into text" {
        assert(expect([1, [2]] == [1, [2]]).to_be_truthy())
        assert(expect([1, 2] == [2, 1]).to_be_falsy())
        assert(expect(["a", "b"].join("-")).to_equal("a-b"))
        assert(expect([1, none, 2, none].compact()).to_equal([1, 2]))
    }

    it "raise on an index past the end" {
        expect({ || [1, 2][5] }).to_raise("RuntimeError")
    }
}

describe "maps" {
    before_each {
        fixture.person = {"name": "Ada", "born": 1815}
    }

    it "read by key and by dot" {
        person = fixture.person
        assert(expect(person["name"]).to_equal("Ada"))
        assert(expect(person.born).to_equal(1815))
    }

    it "list keys and values in insertion order" {
        assert(expect(fixture.person.keys()).to_equal(["name", "born"]))
        assert(expect(fixture.person.values()).to_equal(["Ada", 1815]))
    }

    it "answer has_key, size and is_empty" {
        person = fixture.person
        assert(expect(person.has_key("name")).to_be_truthy())
        assert(expect(person.has_key("died")).to_be_falsy())
        assert(expect(person.size()).to_equal(2))
        assert(expect({}.is_empty()).to_be_truthy())
    }

    it "update by index assignment with value semantics" {
        person = fixture.person
        copy = person
        copy["born"] = 1816
        assert(expect(copy["born"]).to_equal(1816))
        assert(expect(person["born"]).to_equal(1815))
    }

    it "remove keys into a new map" {
        smaller = fixture.person.remove("born")
        assert(expect(smaller).to_equal({"name": "Ada"}))
        assert(expect(fixture.person.has_key("born")).to_be_truthy())
    }

    it "accept bare identifiers as keys" {
        m = {colour: "red", size: 2}
        expect(m["colour"]).to_equal("red")
    }

    it "raise on a missing key" {
        expect({ || fixture.person["nope"] }).to_raise()
    }
}
