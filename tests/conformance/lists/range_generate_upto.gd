# note: list.range follows Python's range (end excluded); list.generate includes its end.
print(list.range(5))               # expect: [0, 1, 2, 3, 4]
print(list.range(2, 5))            # expect: [2, 3, 4]
print(list.range(0, 10, 3))        # expect: [0, 3, 6, 9]
print(list.generate(1, 5, 1))      # expect: [1, 2, 3, 4, 5]
print(list.generate(10, 0, -5))    # expect: [10, 5, 0]
print(list.generate(1, 3, x => x * x))  # expect: [1, 4, 9]
print(list.upto(3))                # expect: [0, 1, 2, 3]
