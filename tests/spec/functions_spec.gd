# Named functions, lambdas, closures, overloading.

describe "named functions" {
    it "return a value only with return" {
        fn twice(n) { return n * 2 }
        fn no_return(n) { n * 2 }
        assert(expect(twice(21)).to_equal(42))
        assert(expect(no_return(21)).to_be_none())
    }

    it "fill missing arguments from defaults" {
        fn greet(name, greeting = "Hi") { return greeting + " " + name }
        assert(expect(greet("Ann")).to_equal("Hi Ann"))
        assert(expect(greet("Ann", "Yo")).to_equal("Yo Ann"))
    }

    it "collect the rest of the arguments" {
        fn count_all(first, ...others) { return others.length() }
        assert(expect(count_all(1)).to_equal(0))
        assert(expect(count_all(1, 2, 3)).to_equal(2))
    }

    it "recurse" {
        fn fib(n) {
            if n < 2 { return n }
            return fib(n - 1) + fib(n - 2)
        }
        expect(fib(15)).to_equal(610)
    }

    it "overload by number of parameters" {
        fn area(side) { return side * side }
        fn area(w, h) { return w * h }
        assert(expect(area(3)).to_equal(9))
        assert(expect(area(3, 4)).to_equal(12))
    }

    it "bind named arguments to parameters" {
        fn box(width, height = 1, depth = 1) { return width * height * depth }
        expect(box(2, depth: 5)).to_equal(10)
    }

    it "reject too many arguments" {
        fn one(a) { return a }
        expect({ || one(1, 2) }).to_raise("TypeError")
    }
}

describe "lambdas" {
    it "come in several spellings" {
        inc = x => x + 1
        add = (a, b) => a + b
        zero = () => 0
        triple = { |n| n * 3 }
        assert(expect(inc(1)).to_equal(2))
        assert(expect(add(2, 3)).to_equal(5))
        assert(expect(zero()).to_equal(0))
        assert(expect(triple(3)).to_equal(9))
    }

    it "return the value of their last statement" {
        f = x => {
            y = x * 10
            y + 1
        }
        expect(f(4)).to_equal(41)
    }

    it "can be anonymous fn expressions" {
        square = fn(n) { return n * n }
        expect([1, 2, 3].map(square)).to_equal([1, 4, 9])
    }

    it "are passed to list methods" {
        evens = [1, 2, 3, 4, 5, 6].filter(n => n % 2 == 0)
        expect(evens.map(n => n * n)).to_equal([4, 16, 36])
    }
}

describe "closures" {
    it "see variables of the enclosing scope" {
        factor = 7
        times = n => n * factor
        expect(times(6)).to_equal(42)
    }

    it "keep their own state between calls" {
        fn make_counter() {
            count = 0
            return fn() {
                count = count + 1
                return count
            }
        }
        c = make_counter()
        c()
        c()
        expect(c()).to_equal(3)
    }

    it "share state with the scope that made them" {
        total = 0
        add = x => { total = total + x }
        add(5)
        add(6)
        expect(total).to_equal(11)
    }
}
