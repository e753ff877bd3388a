café = 3
_private = 4
naïve_total = café + _private
print(naïve_total)  # expect: 7
