fn fail() {
    raise TypeError("inner trouble")
}
try {
    fail()
} catch TypeError as e {
    print(e.file().ends_with("error_methods_more.gd"))   # expect: true
    print(e.line())                                      # expect: 2
    print(e.stack_trace().length() > 0)                  # expect: true
    print(e.cause())                                     # expect: none
}
