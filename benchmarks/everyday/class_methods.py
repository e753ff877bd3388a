class Account:
    def __init__(self):
        self.balance = 0
        self.deposits = 0

    def deposit(self, amount):
        self.balance = self.balance + amount
        self.deposits = self.deposits + 1

    def total(self):
        return self.balance


def run(n):
    account = Account()
    i = 0
    while i < n:
        account.deposit(i % 10)
        i = i + 1
    return account.total() + account.deposits
