graph Account {
    balance: 0
    deposits: 0
    fn deposit(amount) {
        balance = balance + amount
        deposits = deposits + 1
    }
    fn total() { return balance }
}

fn run(n) {
    account = Account.clone()
    i = 0
    while i < n {
        account.deposit(i % 10)
        i = i + 1
    }
    return account.total() + account.deposits
}
