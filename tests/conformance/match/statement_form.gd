state = :idle
match state {
    :idle => print("idle now")
    :busy => print("busy")
}
# expect: idle now
match 3 {
    1 => print("one")
}
print("after")   # expect: after
