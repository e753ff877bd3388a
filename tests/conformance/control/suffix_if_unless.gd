verbose = true
print("shown") if verbose        # expect: shown
print("hidden") if not verbose
print("kept") unless false       # expect: kept
print("dropped") unless verbose
x = 5 if verbose
print(x)                         # expect: 5
y = 5 if false
print(y)                         # expect: none
