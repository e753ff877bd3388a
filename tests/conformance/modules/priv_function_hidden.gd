import "./lib/utils"
print(utils.uses_helper(1))   # expect: 2
print(utils.helper(1))
# expect error: helper
