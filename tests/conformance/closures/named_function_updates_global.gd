# note: deliberate deviation from the reference's snapshot closures.
flag = false
fn release() {
    flag = true
}
release()
print(flag)    # expect: true
