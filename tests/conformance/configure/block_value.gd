# A configure block is a statement whose value is its block's value (the last statement of a
# lambda body here).
f = () => {
    configure { :unsigned } {
        -1 >> 61
    }
}
print(f())             # expect: 7
print(-1 >> 61)        # expect: -1
