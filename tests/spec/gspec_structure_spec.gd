# describe/context/it/hooks/xit/pending, and TestRunner used directly.

import "gspec"

graph Log { entries: [] }
log = Log.clone()

fn note(text) {
    log.entries = log.entries.append(text)
}

describe "hooks" {
    before_each {
        log.entries = []
        note("outer before")
    }
    after_each {
        note("outer after")
    }

    it "runs before_each before the example" {
        expect(log.entries).to_equal(["outer before"])
    }

    context "nested" {
        before_each {
            note("inner before")
        }
        after_each {
            note("inner after")
        }

        it "inherits outer hooks, outer first" {
            expect(log.entries).to_equal(["outer before", "inner before"])
        }
    }

    it "does not keep hooks of a finished context" {
        expect(log.entries).to_equal(["outer before"])
    }
}

describe "after_each order" {
    it "runs the innermost after_each first" {
        r = gspec.TestRunner.clone()
        r.isolated = true
        r.describe("g", { ||
            r.after_each({ || note("A") })
            r.context("c", { ||
                r.after_each({ || note("B") })
                r.it("x", { || log.entries = [] })
            })
        })
        expect(log.entries).to_equal(["B", "A"])
    }
}

describe "TestRunner used directly" {
    it "counts passes, failures and skips" {
        r = gspec.TestRunner.clone()
        r.isolated = true
        r.describe("suite", { ||
            r.it("passes", { || expect(1).to_equal(1) })
            r.it("fails by result", { || expect(1).to_equal(2) })
            r.it("fails by error", { || raise ValueError("x") })
            r.xit("skipped", { || raise ValueError("never run") })
            r.pending("later")
        })
        s = r.summary()
        assert(expect(s["passed"]).to_equal(1))
        assert(expect(s["failed"]).to_equal(2))
        assert(expect(s["skipped"]).to_equal(2))
        assert(expect(s["total"]).to_equal(5))
    }

    it "records full names and messages of failures" {
        r = gspec.TestRunner.clone()
        r.isolated = true
        r.describe("outer", { ||
            r.context("inner", { ||
                r.it("breaks", { || expect([1]).to_be_empty() })
            })
        })
        failure = r.failures[0]
        assert(expect(failure["name"]).to_equal("outer inner breaks"))
        assert(expect(failure["message"]).to_equal("Expected [1] to be empty (length is 1)"))
    }

    it "reports errors raised by hooks" {
        r = gspec.TestRunner.clone()
        r.isolated = true
        r.describe("s", { ||
            r.before_each({ || raise RuntimeError("setup broke") })
            r.it("x", { || true })
        })
        expect(r.failures[0]["message"]).to_contain("before_each failed: RuntimeError: setup broke")
    }

    it "survives an error in a group body" {
        r = gspec.TestRunner.clone()
        r.isolated = true
        r.describe("bad group", { || raise TypeError("oops") })
        r.describe("good group", { || r.it("still runs", { || true }) })
        s = r.summary()
        assert(expect(s["failed"]).to_equal(1))
        assert(expect(s["passed"]).to_equal(1))
    }

    it "final_summary reports whether anything failed" {
        r = gspec.TestRunner.clone()
        r.isolated = true
        assert(expect(r.final_summary()).to_equal(false))
        r.it("fails", { || expect(1).to_equal(0) })
        expect(r.final_summary()).to_equal(true)
    }

    it "an example with no block is pending" {
        r = gspec.TestRunner.clone()
        r.isolated = true
        r.it("to do")
        expect(r.summary()["skipped"]).to_equal(1)
    }
}

describe "examples" {
    it "pass when they return nothing" {
        x = 1
    }

    it "pass when the last value is a passing result" {
        expect(true).to_be_truthy()
    }

    xit "xit skips" {
        raise ValueError("not run")
    }

    pending("pending marks an example to write")

    it("accept lambda blocks too", () => {
        expect(2 * 2).to_equal(4)
    })
}
