graph Temp {
    fn keep() { return "kept" }
    fn drop() { return "dropped" }
}
removed = Temp.remove_method("drop")
print(removed)                   # expect: true
print(Temp.responds_to("drop"))  # expect: false
print(Temp.keep())               # expect: kept
