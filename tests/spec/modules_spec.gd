# import, module values, aliases and priv.

import "./support/shapes"
import "./support/shapes" as figures
import "./support/shapes" { perimeter, unit as length_unit }

describe "modules" {
    it "bind under the declared alias" {
        assert(expect(sh.sides("square")).to_equal(4))
        assert(expect(sh.unit).to_equal("cm"))
    }

    it "bind under an explicit alias" {
        expect(figures.perimeter("triangle", 2)).to_equal(6)
    }

    it "bind selected names directly" {
        assert(expect(perimeter("square", 3)).to_equal(12))
        assert(expect(length_unit).to_equal("cm"))
    }

    it "hide priv members" {
        assert(expect({ || sh.SIDES }).to_raise())
        assert(expect(sh.exports()).to_not().to_contain("SIDES"))
        assert(expect(sh.exports()).to_contain("sides"))
    }

    it "introspect their name" {
        expect(sh.name()).to_equal("shapes")
    }

    it "are loaded once" {
        expect(sh == figures).to_be_truthy()
    }
}

describe "priv in a spec" {
    it "still works locally" {
        priv fn helper(x) { return x + 1 }
        priv hidden = 10
        expect(helper(hidden)).to_equal(11)
    }
}
