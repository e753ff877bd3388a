print(length("abcd"))          # expect: 4
print(length([1, 2]))          # expect: 2
print(length({"a": 1}))        # expect: 1
print(string(42) + "!")        # expect: 42!
print(num("7") + 1)            # expect: 8
print(int(7.9))                # expect: 7
