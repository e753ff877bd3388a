fn add_item(item, bucket = []) {
    bucket.append!(item)
    return bucket
}
print(add_item(1))   # expect: [1]
print(add_item(2))   # expect: [2]
