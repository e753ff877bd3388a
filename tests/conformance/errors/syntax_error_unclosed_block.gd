fn f() {
    print("never closed")
# expect error: SyntaxError
# expect exit: 65
