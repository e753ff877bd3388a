ready = true
if ready then print("go") else print("wait")   # expect: go
ready = false
if ready then print("go") else print("wait")   # expect: wait
