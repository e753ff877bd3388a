fn f() {
    local_only = 5
    return local_only
}
print(f())   # expect: 5
print(local_only)
# expect error: local_only
