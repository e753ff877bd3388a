import "./lib/utils"
print(utils.name())                      # expect: utilities
print(utils.exports().contains("double")) # expect: true
print(utils.path().ends_with("utils.gd")) # expect: true
print(utils)                             # expect: <module utilities>
print(utils.type())                      # expect: module
