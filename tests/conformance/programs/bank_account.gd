graph Account {
    owner: "nobody"
    balance: 0
    history: []
    fn deposit(amount) {
        if amount <= 0 { raise ValueError("deposit must be positive") }
        balance = balance + amount
        history.append!("+" + amount)
        return self
    }
    fn withdraw(amount) {
        if amount > balance { raise ValueError("insufficient funds") }
        balance = balance - amount
        history.append!("-" + amount)
        return self
    }
}
acct = Account { owner: "ann" }
acct.deposit(100).withdraw(30)
try {
    acct.withdraw(500)
} catch ValueError as e {
    print("error: " + e.message())   # expect: error: insufficient funds
}
print(acct.balance)                  # expect: 70
print(acct.history.join(" "))        # expect: +100 -30
