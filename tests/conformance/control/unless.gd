score = 70
unless score < 60 {
    print("pass")
}
# expect: pass
unless score > 60 {
    print("never")
}
print("done")   # expect: done
