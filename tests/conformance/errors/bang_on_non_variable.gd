[1, 2].append!(3)
# expect error: append!
