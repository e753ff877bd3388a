import "./lib/utils"
print(utils.double(21))     # expect: 42
print(utils.greet("gd"))    # expect: hello gd
print(utils.VERSION)        # expect: 1.0
