# `} else` must stay on one line.
if true {
    print("a")
}
else {
    print("b")
}
# expect error: SyntaxError
# expect exit: 65
