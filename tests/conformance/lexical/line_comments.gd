# A whole-line comment is ignored.
x = 1  # a trailing comment too
# print("never")
print(x)  # expect: 1
print("# not a comment")  # expect: # not a comment
