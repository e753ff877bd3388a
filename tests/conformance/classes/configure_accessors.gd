graph Account {
    owner: "ann"
    balance: 0
    configure { readable: [:owner], writable: :balance }
}
a = Account.clone()
print(a.owner())        # expect: ann
a.set_balance(50)
print(a.balance)        # expect: 50
