a = 'single'
b = "double"
print(a + " " + b)  # expect: single double
print('has "double" inside')  # expect: has "double" inside
print(a == "single")  # expect: true
