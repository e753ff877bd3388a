# gspec: an RSpec-style testing framework, written in Graphoid.
#
#   import "gspec"
#   result = expect(2 + 2).to_equal(4)      # {"pass": true, "message": ""}
#   assert(expect([1, 2]).to_contain(2))     # raises ValueError("Assertion failed: ...")
#
#   runner = gspec.TestRunner.clone()
#   runner.describe("Math", { ||
#       runner.it("adds", { || expect(1 + 1).to_equal(2) })
#   })
#
# `graphoid spec` runs *_spec.gd files with describe/context/it/xit/pending/before_each/
# after_each/expect/assert already bound to this module's `spec_runner`; see docs/gspec.md.
#
# Every matcher returns a result map {"pass": bool, "message": string}. An example passes
# when it raises nothing and, if its value is such a map, the map says pass.

module gspec

# The results `graphoid spec` counts: the DSL runner's, and those of every runner a spec
# builds itself (gspec.TestRunner.clone(), the reference's older style) once it reports them
# with print_summary(). Runners a spec only inspects through summary() are not counted, so a
# spec can test failing examples on purpose. A graph, because graphs are shared by reference
# while lists and maps are copied.
graph GspecTally {
    passed: 0
    failed: 0
    skipped: 0
    failures: []
}

# A readable form of any value for failure messages: strings quoted, none spelt out.
priv fn gspec_show(value) {
    kind = value.type()
    if kind == "string" {
        return "\"" + value + "\""
    }
    if kind == "none" {
        return "none"
    }
    return value.to_string()
}

# `Kind: message`, plus where it happened unless it is a failed assertion (whose location
# is inside this module and says nothing; the runner reports the example's own line).
priv fn gspec_error_text(e) {
    message = e.message()
    if e.type() == "ValueError" and message.starts_with("Assertion failed") {
        return message
    }
    text = e.type() + ": " + message
    line = e.line()
    if line > 0 {
        text = text + " (" + e.file() + ":" + line.to_string() + ")"
    }
    return text
}

priv fn gspec_size(value) {
    if value.type() == "graph" {
        return value.node_count()
    }
    return value.length()
}

# =============================================================================
# Expectation: wraps the actual value; every matcher returns a result map.
# =============================================================================

graph Expectation {
    actual: none
    negated: false
    tolerance: none

    fn new(value) {
        e = self.clone()
        e.actual = value
        e.negated = false
        e.tolerance = none
        return e
    }

    fn negate() {
        self.negated = not self.negated
        return self
    }

    fn to_not() {
        return self.negate()
    }

    # `phrase` reads after the actual value: "to equal 4" gives "Expected 5 to equal 4",
    # negated "Expected 5 not to equal 4".
    fn _check(ok, phrase) {
        if self.negated {
            if ok {
                return {"pass": false, "message": "Expected " + gspec_show(self.actual) + " not " + phrase}
            }
            return {"pass": true, "message": ""}
        }
        if ok {
            return {"pass": true, "message": ""}
        }
        return {"pass": false, "message": "Expected " + gspec_show(self.actual) + " " + phrase}
    }

    fn to_equal(expected) {
        return self._check(self.actual == expected, "to equal " + gspec_show(expected))
    }

    fn to_be(expected) {
        return self._check(self.actual == expected, "to be " + gspec_show(expected))
    }

    fn to_be_truthy() {
        ok = false
        if self.actual {
            ok = true
        }
        return self._check(ok, "to be truthy")
    }

    fn to_be_falsy() {
        ok = true
        if self.actual {
            ok = false
        }
        return self._check(ok, "to be falsy")
    }

    fn to_be_none() {
        return self._check(self.actual == none, "to be none")
    }

    fn to_be_a(expected_type) {
        actual_type = self.actual.type()
        ok = actual_type == expected_type
        if not ok {
            # error values answer type() with their kind; typeof() gives "error"
            ok = typeof(self.actual) == expected_type
        }
        if (not ok) and actual_type == "graph" {
            ok = self.actual.is_a(expected_type)
        }
        return self._check(ok, "to be a " + expected_type + " (it is a " + actual_type + ")")
    }

    fn to_contain(element) {
        kind = self.actual.type()
        ok = false
        if kind == "map" {
            ok = self.actual.has_key(element)
        } else if kind == "graph" {
            ok = self.actual.has_node(element)
        } else {
            ok = self.actual.contains(element)
        }
        return self._check(ok, "to contain " + gspec_show(element))
    }

    fn to_have_length(expected_length) {
        size = gspec_size(self.actual)
        return self._check(
            size == expected_length,
            "to have length " + expected_length.to_string() + " (length is " + size.to_string() + ")"
        )
    }

    fn to_be_empty() {
        size = gspec_size(self.actual)
        return self._check(size == 0, "to be empty (length is " + size.to_string() + ")")
    }

    fn to_be_greater_than(expected) {
        return self._check(self.actual > expected, "to be greater than " + gspec_show(expected))
    }

    fn to_be_less_than(expected) {
        return self._check(self.actual < expected, "to be less than " + gspec_show(expected))
    }

    fn to_be_at_least(expected) {
        return self._check(self.actual >= expected, "to be at least " + gspec_show(expected))
    }

    fn to_be_at_most(expected) {
        return self._check(self.actual <= expected, "to be at most " + gspec_show(expected))
    }

    fn _within(expected, tol) {
        diff = self.actual - expected
        if diff < 0 {
            diff = -diff
        }
        return self._check(
            diff <= tol,
            "to be within " + tol.to_string() + " of " + gspec_show(expected) + " (difference " + diff.to_string() + ")"
        )
    }

    fn to_be_close_to(expected, tol) {
        return self._within(expected, tol)
    }

    # expect(x).to_be_within(tol).of(y)
    fn to_be_within(tol) {
        self.tolerance = tol
        return self
    }

    fn of(expected) {
        tol = self.tolerance
        if tol == none {
            tol = 0.0001
        }
        return self._within(expected, tol)
    }

    # The actual value is a block: `expect({ || risky() }).to_raise("ValueError")`.
    # Without a kind, any error passes; a kind also accepts its sub-kinds.
    fn to_raise(expected_kind = none) {
        block = self.actual
        if block.type() != "function" {
            return {"pass": false, "message": "to_raise expects a block, got " + gspec_show(block)}
        }
        wanted = "an error"
        if expected_kind != none {
            wanted = expected_kind
        }
        raised = none
        try {
            block()
        } catch as e {
            raised = e
        }
        got = "nothing was raised"
        ok = false
        if raised != none {
            got = "got " + raised.type() + ": " + raised.message()
            ok = expected_kind == none or raised.is_kind(expected_kind)
        }
        if self.negated {
            if ok {
                return {"pass": false, "message": "Expected no " + wanted + ", but " + got}
            }
            return {"pass": true, "message": ""}
        }
        if ok {
            return {"pass": true, "message": ""}
        }
        return {"pass": false, "message": "Expected " + wanted + " to be raised, but " + got}
    }

    fn to_not_raise() {
        block = self.actual
        if block.type() != "function" {
            return {"pass": false, "message": "to_not_raise expects a block, got " + gspec_show(block)}
        }
        raised = none
        try {
            block()
        } catch as e {
            raised = e
        }
        ok = raised == none
        if self.negated {
            ok = not ok
        }
        if ok {
            return {"pass": true, "message": ""}
        }
        if raised == none {
            return {"pass": false, "message": "Expected an error to be raised, but nothing was raised"}
        }
        return {"pass": false, "message": "Expected no error, but got " + raised.type() + ": " + raised.message()}
    }
}

# =============================================================================
# TestRunner: runs describe/context/it blocks, counts and prints results.
# =============================================================================

graph TestRunner {
    passed: 0
    failed: 0
    skipped: 0
    indent: 0
    names: []
    before_hooks: []
    after_hooks: []
    failures: []
    # An isolated runner neither prints nor adds to the tally: its results are read through
    # summary() and failures (used to test the framework with itself).
    isolated: false
    # How much of this runner's results the tally already holds.
    tallied_passed: 0
    tallied_skipped: 0
    tallied_failures: 0

    fn _line(text) {
        if self.isolated {
            return none
        }
        pad = ""
        level = 0
        while level < self.indent {
            pad = pad + "  "
            level = level + 1
        }
        print(pad + text)
    }

    fn _full_name(description) {
        if self.names.length() == 0 {
            return description
        }
        return self.names.join(" ") + " " + description
    }

    # A failed example; `block` lets the spec runner find the file and line the example
    # was written on.
    fn _fail(description, block, message) {
        self.failed = self.failed + 1
        entry = {"name": self._full_name(description), "message": message, "block": block}
        self.failures = self.failures.append(entry)
    }

    fn _pass(description) {
        self.passed = self.passed + 1
        self._line("PASS: " + description)
    }

    fn _skip(label, description) {
        self.skipped = self.skipped + 1
        self._line(label + ": " + description)
    }

    # Adds the results not yet reported to the module tally (see GspecTally).
    fn report_to_tally() {
        if self.isolated {
            return none
        }
        GspecTally.passed = GspecTally.passed + self.passed - self.tallied_passed
        GspecTally.skipped = GspecTally.skipped + self.skipped - self.tallied_skipped
        fresh = self.failures.slice(self.tallied_failures, self.failures.length())
        GspecTally.failed = GspecTally.failed + fresh.length()
        for entry in fresh {
            GspecTally.failures = GspecTally.failures.append(entry)
        }
        self.tallied_passed = self.passed
        self.tallied_skipped = self.skipped
        self.tallied_failures = self.failures.length()
        return none
    }

    fn before_each(hook) {
        self.before_hooks = self.before_hooks.append(hook)
    }

    fn after_each(hook) {
        self.after_hooks = self.after_hooks.append(hook)
    }

    # Hooks registered inside the block apply to it and its nested groups only.
    fn describe(name, block) {
        self._line(name)
        saved_before = self.before_hooks
        saved_after = self.after_hooks
        saved_names = self.names
        saved_indent = self.indent
        self.names = self.names.append(name)
        self.indent = self.indent + 1
        try {
            block()
        } catch as e {
            message = "error in group: " + gspec_error_text(e)
            self._line("ERROR: " + message)
            self._fail("(group body)", block, message)
        }
        self.indent = saved_indent
        self.names = saved_names
        self.before_hooks = saved_before
        self.after_hooks = saved_after
        return none
    }

    fn context(name, block) {
        return self.describe(name, block)
    }

    fn it(description, block = none) {
        if block == none {
            return self.pending(description)
        }
        message = none
        for hook in self.before_hooks {
            if message == none {
                try {
                    hook()
                } catch as e {
                    message = "before_each failed: " + gspec_error_text(e)
                }
            }
        }
        if message == none {
            try {
                outcome = block()
                if outcome != none and outcome.type() == "map" and outcome.has_key("pass") {
                    if not outcome["pass"] {
                        message = "expectation failed"
                        if outcome.has_key("message") {
                            message = outcome["message"]
                        }
                    }
                }
            } catch as e {
                message = gspec_error_text(e)
            }
        }
        # Innermost after_each first; they run even when the example failed.
        for hook in self.after_hooks.reverse() {
            try {
                hook()
            } catch as e {
                if message == none {
                    message = "after_each failed: " + gspec_error_text(e)
                }
            }
        }
        if message == none {
            self._pass(description)
        } else {
            self._line("FAIL: " + description)
            self.indent = self.indent + 2
            for text in message.split("\n") {
                self._line(text)
            }
            self.indent = self.indent - 2
            self._fail(description, block, message)
        }
        return none
    }

    fn xit(description, block = none) {
        self._skip("SKIP", description)
        return none
    }

    fn pending(description, block = none) {
        self._skip("PENDING", description)
        return none
    }

    fn summary() {
        return {
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "total": self.passed + self.failed + self.skipped
        }
    }

    fn print_summary() {
        self.report_to_tally()
        if self.isolated {
            return none
        }
        print("")
        print(self.passed.to_string() + " passed, " + self.failed.to_string() + " failed, " + self.skipped.to_string() + " skipped")
        for entry in self.failures {
            print("  FAILED: " + entry["name"] + ": " + entry["message"])
        }
        return none
    }

    # The reference's spec_runner ends with this: prints the summary, true when any failed.
    fn final_summary() {
        self.print_summary()
        return self.failed > 0
    }
}

# =============================================================================
# Module-level helpers
# =============================================================================

fn expect(value) {
    return Expectation.new(value)
}

# assert(expect(x).to_equal(y)) or assert(condition[, message]): raises
# ValueError("Assertion failed: ...") when the result map says fail or the value is falsy.
fn assert(result, message = none) {
    ok = true
    detail = ""
    if result != none and result.type() == "graph" and result.is_a("Expectation") {
        raise ValueError("Assertion failed: assert() got expect(...) without a matcher such as .to_equal(x)")
    }
    if result != none and result.type() == "map" and result.has_key("pass") {
        if not result["pass"] {
            ok = false
            if result.has_key("message") {
                detail = result["message"]
            }
        }
    } else if not result {
        ok = false
    }
    if not ok {
        text = "Assertion failed"
        if message != none {
            text = text + ": " + message.to_string()
        }
        if detail != "" {
            text = text + ": " + detail
        }
        raise ValueError(text)
    }
    return none
}

# The runner `graphoid spec` binds describe/it/... to; one per module instance (and the
# spec runner gives every spec file a fresh interpreter, hence a fresh runner).
spec_runner = TestRunner.clone()

fn describe(name, block) {
    return spec_runner.describe(name, block)
}

fn context(name, block) {
    return spec_runner.context(name, block)
}

fn it(description, block = none) {
    return spec_runner.it(description, block)
}

fn xit(description, block = none) {
    return spec_runner.xit(description, block)
}

fn pending(description, block = none) {
    return spec_runner.pending(description, block)
}

fn before_each(hook) {
    return spec_runner.before_each(hook)
}

fn after_each(hook) {
    return spec_runner.after_each(hook)
}
