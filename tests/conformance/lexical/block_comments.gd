/* a block comment
   spanning lines */
x = 2 /* inline */ + 3
print(x)  # expect: 5
print("/* kept */")  # expect: /* kept */
