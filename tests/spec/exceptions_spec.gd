# try / catch / finally / raise and error values.

describe "catching" {
    it "matches the first clause of the right kind" {
        fn classify(kind) {
            try {
                if kind == "value" { raise ValueError("v") }
                if kind == "type" { raise TypeError("t") }
                return "none raised"
            } catch TypeError as e {
                return "type:" + e.message()
            } catch ValueError as e {
                return "value:" + e.message()
            }
        }
        assert(expect(classify("value")).to_equal("value:v"))
        assert(expect(classify("type")).to_equal("type:t"))
        assert(expect(classify("")).to_equal("none raised"))
    }

    it "catches interpreter errors as RuntimeError" {
        kind = none
        try {
            x = 10 / 0
        } catch RuntimeError as e {
            kind = e.type()
        }
        expect(kind).to_equal("RuntimeError")
    }

    it "catches everything with a bare catch" {
        caught = false
        try {
            raise IOError("disk")
        } catch {
            caught = true
        }
        expect(caught).to_be_truthy()
    }

    it "lets an unmatched error through" {
        expect({ ||
            try {
                raise TypeError("t")
            } catch ValueError as e {
                none
            }
        }).to_raise("TypeError")
    }

    it "catches a sub-kind with its parent kind" {
        caught = ""
        try {
            raise FileError("gone")
        } catch IOError as e {
            caught = e.type()
        }
        expect(caught).to_equal("FileError")
    }
}

describe "finally" {
    it "runs after success and after an error" {
        log = []
        try {
            log = log.append("body")
        } finally {
            log = log.append("finally")
        }
        try {
            raise ValueError("x")
        } catch as e {
            log = log.append("catch")
        } finally {
            log = log.append("finally")
        }
        expect(log).to_equal(["body", "finally", "catch", "finally"])
    }

    it "runs when returning from inside try" {
        graph Flag { set: false }
        flag = Flag.clone()
        fn work() {
            try {
                return 1
            } finally {
                flag.set = true
            }
        }
        assert(expect(work()).to_equal(1))
        assert(expect(flag.set).to_be_truthy())
    }
}

describe "error values" {
    it "carry type, message and location" {
        err = none
        try {
            raise ValueError("bad input")
        } catch as e {
            err = e
        }
        assert(expect(err.type()).to_equal("ValueError"))
        assert(expect(err.message()).to_equal("bad input"))
        assert(expect(err.line()).to_be_greater_than(0))
        assert(expect(err.stack_trace()).to_contain("ValueError"))
    }

    it "raise a plain string as a RuntimeError" {
        expect({ || raise "plain" }).to_raise("RuntimeError")
    }

    it "can be re-raised as another kind" {
        message = ""
        try {
            try {
                raise ValueError("inner")
            } catch ValueError as e {
                raise TypeError("outer from " + e.message())
            }
        } catch TypeError as e {
            message = e.message()
        }
        expect(message).to_equal("outer from inner")
    }

    it "display as Kind: message" {
        expect(ValueError("shown").to_string()).to_equal("ValueError: shown")
    }
}
