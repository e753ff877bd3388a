configure { :unsigned, error_mode: :strict } {
    print(-1 >> 63)    # expect: 1
}
configure {
    :unsigned
    integer: :integer
} {
    v = 3.9
    print(v, -1 >> 63)   # expect: 3 1
}
