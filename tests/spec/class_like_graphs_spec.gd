# Class-like graphs: properties, methods, implicit self, inheritance, static and private.

graph Account {
    owner: "nobody"
    balance: 0

    fn deposit(amount) {
        balance = balance + amount
        return self
    }

    fn withdraw(amount) {
        if amount > balance {
            raise ValueError("insufficient funds")
        }
        balance = balance - amount
        return self
    }

    fn describe_account() {
        return owner + ": " + balance.to_string()
    }
}

graph Savings from Account {
    rate: 0.5

    fn add_interest() {
        deposit(balance * rate)
        return self
    }

    fn describe_account() {
        return "savings " + super.describe_account()
    }
}

describe "properties and methods" {
    it "reads and writes properties with implicit self" {
        a = Account.clone()
        a.deposit(50).deposit(25)
        assert(expect(a.balance).to_equal(75))
        assert(expect(Account.balance).to_equal(0))
    }

    it "raises from methods" {
        a = Account.clone()
        expect({ || a.withdraw(10) }).to_raise("ValueError")
    }

    it "instantiates with property overrides" {
        a = Account { owner: "Kim", balance: 10 }
        assert(expect(a.describe_account()).to_equal("Kim: 10"))
        assert(expect(a.type_of()).to_equal("Account"))
    }

    it "shares graphs by reference" {
        a = Account.clone()
        b = a
        b.deposit(5)
        expect(a.balance).to_equal(5)
    }

    it "accepts = for properties in a body" {
        graph Settings {
            level = 3
            name: "s"
        }
        expect(Settings.level).to_equal(3)
    }
}

describe "inheritance" {
    it "inherits properties and methods" {
        s = Savings.clone()
        s.deposit(100)
        s.add_interest()
        expect(s.balance).to_equal(150)
    }

    it "calls the parent implementation with super" {
        s = Savings { owner: "Lee" }
        expect(s.describe_account()).to_equal("savings Lee: 0")
    }

    it "answers is_a, ancestors and responds_to" {
        s = Savings.clone()
        assert(expect(s.is_a("Savings")).to_be_truthy())
        assert(expect(s.is_a(Account)).to_be_truthy())
        assert(expect(s.is_a("Rocket")).to_be_falsy())
        assert(expect(Savings.ancestors()).to_contain("Account"))
        assert(expect(s.responds_to("withdraw")).to_be_truthy())
        assert(expect(s.responds_to("fly")).to_be_falsy())
    }
}

describe "static, private and guarded methods" {
    it "calls static methods on the template" {
        graph Temperature {
            celsius: 0
            static fn from_fahrenheit(f) {
                t = Temperature.clone()
                t.celsius = (f - 32) * 5 / 9
                return t
            }
        }
        expect(Temperature.from_fahrenheit(212).celsius).to_equal(100)
    }

    it "keeps priv methods inside the graph" {
        graph Vault {
            secret: 42
            priv fn reveal() { return secret }
            fn hint() { return _reveal() - 40 }
        }
        v = Vault.clone()
        assert(expect(v.hint()).to_equal(2))
        assert(expect({ || v._reveal() }).to_raise())
    }

    it "dispatches on when guards" {
        graph Light {
            on: false
            fn label() when on { return "lit" }
            fn label() { return "dark" }
        }
        l = Light.clone()
        assert(expect(l.label()).to_equal("dark"))
        l.on = true
        assert(expect(l.label()).to_equal("lit"))
    }

    it "generates accessors with configure" {
        graph Point {
            configure { readable: [:x], writable: :y }
            x: 1
            y: 2
        }
        p = Point.clone()
        p.set_y(5)
        assert(expect(p.x()).to_equal(1))
        assert(expect(p.y).to_equal(5))
    }

    it "mixes in methods with include" {
        graph Greeter {
            fn greet() { return "hello " + name }
        }
        graph Person { name: "Bo" }
        Person.include(Greeter)
        expect(Person.clone().greet()).to_equal("hello Bo")
    }
}
