# Actors: a bank account that handles one message at a time, in order.
# `spawn` runs it on a thread of this program; `distributed.spawn` on a worker
# (GRAPHOID_EXECUTOR=local|inprocess|cluster chooses where). Same handle, same answers.
import "distributed"

graph Account {
    balance: 0
    history: []

    fn on_message(msg) {
        op = msg[0]
        if op == :balance { return balance }
        if op == :history { return history }
        amount = msg[1]
        _check(op, amount)
        if op == :deposit { balance = balance + amount }
        if op == :withdraw { balance = balance - amount }
        history = history.append([op, amount])
        return balance
    }

    priv fn _check(op, amount) {
        if amount <= 0 { raise ValueError("amounts are positive, got " + string(amount)) }
        if op == :withdraw and amount > balance {
            raise ValueError("insufficient funds: balance " + string(balance))
        }
    }
}

fn exercise(name, account) {
    account.send([:deposit, 100])
    for amount in [10, 20, 30] { account.send([:withdraw, amount]) }
    print(name, "balance:", account.request([:balance]))
    try {
        account.request([:withdraw, 1000])
    } catch ActorError as e {
        print(name, "refused:", e.message().contains("insufficient funds"))
    }
    print(name, "history:", account.request([:history]))
    account.close()
    print(name, "closed:", account.is_closed())
}

local = spawn Account{}
exercise("local", local)

remote = distributed.spawn(Account{balance: 5})
exercise("remote", remote)
