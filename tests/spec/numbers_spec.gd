# Arithmetic semantics, number methods, bitwise operators and casting.

describe "arithmetic" {
    it "divides toward zero with // and keeps the dividend's sign with %" {
        assert(expect(7 // 2).to_equal(3))
        assert(expect(-7 // 2).to_equal(-3))
        assert(expect(-7 % 3).to_equal(-1))
        assert(expect(7 % -3).to_equal(1))
    }

    it "raises on division by zero" {
        assert(expect({ || 1 / 0 }).to_raise("RuntimeError"))
        assert(expect({ || 1 % 0 }).to_raise("RuntimeError"))
    }

    it "treats ** as right associative and tighter than unary minus on its left" {
        assert(expect(2 ** 3 ** 2).to_equal(512))
        assert(expect(-2 ** 2).to_equal(4))
        assert(expect(2 ** -1).to_equal(0.5))
    }

    it "prints integral values without a fraction" {
        assert(expect((10 / 2).to_string()).to_equal("5"))
        assert(expect((1 / 4).to_string()).to_equal("0.25"))
        assert(expect((0.1 + 0.2).to_string()).to_equal("0.30000000000000004"))
    }

    it "compares numbers by value across int and float" {
        assert(expect(3 == 3.0).to_be_truthy())
        assert(expect(1 == "1").to_be_falsy())
        assert(expect(1 == true).to_be_falsy())
    }
}

describe "number methods" {
    it "round half away from zero" {
        assert(expect((2.5).round()).to_equal(3))
        assert(expect((-2.5).round()).to_equal(-3))
        assert(expect((3.14159).round(2)).to_equal(3.14))
        assert(expect((45).round(:nearest_ten)).to_equal(50))
    }

    it "go up and down" {
        assert(expect((2.1).up()).to_equal(3))
        assert(expect((-2.1).up()).to_equal(-2))
        assert(expect((2.9).down()).to_equal(2))
        assert(expect((1.234).up(1)).to_equal(1.3))
        assert(expect((349).down(:nearest_hundred)).to_equal(300))
    }

    it "take roots, absolute values and logarithms" {
        assert(expect((16).sqrt()).to_equal(4))
        assert(expect((-4.5).abs()).to_equal(4.5))
        assert(expect((1000).log(10)).to_be_close_to(3, 0.0000001))
        assert(expect((1).log()).to_equal(0))
    }
}

describe "bitwise operators" {
    it "and, or, xor and not" {
        assert(expect(12 & 10).to_equal(8))
        assert(expect(12 | 10).to_equal(14))
        assert(expect(12 ^ 10).to_equal(6))
        assert(expect(~0).to_equal(-1))
    }

    it "shift left and right" {
        assert(expect(1 << 10).to_equal(1024))
        assert(expect(-64 >> 3).to_equal(-8))
    }

    it "read binary and hex literals with separators" {
        assert(expect(0b1000_0001).to_equal(129))
        assert(expect(0xFF_FF).to_equal(65535))
    }
}

describe "casting" {
    it "converts to numbers" {
        assert(expect("2.5".to_num()).to_equal(2.5))
        assert(expect("abc".to_num()).to_be_none())
        assert(expect(true.to_num()).to_equal(1))
        assert(expect(none.to_num()).to_equal(0))
        assert(expect([1, 2, 3].to_num()).to_equal(3))
    }

    it "converts to booleans by truthiness" {
        assert(expect(0.to_bool()).to_equal(false))
        assert(expect("x".to_bool()).to_equal(true))
        assert(expect({}.to_bool()).to_equal(false))
    }

    it "converts to strings" {
        assert(expect(none.to_string()).to_equal(""))
        assert(expect(["a", 1].to_string()).to_equal("[\"a\", 1]"))
        assert(expect(:sym.to_string()).to_equal(":sym"))
    }
}

describe "configure" {
    it "truncates numbers on assignment in integer mode" {
        configure { integer: :integer } {
            whole = 7.9
            negative = -7.9
        }
        after = 7.9
        assert(expect(whole).to_equal(7))
        assert(expect(negative).to_equal(-7))
        assert(expect(after).to_equal(7.9))
    }

    it "shifts right logically in unsigned mode" {
        signed = -16 >> 2
        configure { :unsigned } {
            unsigned = -16 >> 2
        }
        assert(expect(signed).to_equal(-4))
        assert(expect(unsigned).to_be_greater_than(0))
    }
}
