handlers = {"greet": name => "hi " + name}
print(handlers["greet"]("ann"))   # expect: hi ann
