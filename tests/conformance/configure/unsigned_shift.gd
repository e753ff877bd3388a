print(-16 >> 2)        # expect: -4
configure { :unsigned } {
    print(-1 >> 60)    # expect: 15
}
print(-1 >> 60)        # expect: -1
