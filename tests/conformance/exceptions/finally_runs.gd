try {
    print("body")
} finally {
    print("cleanup")
}
# expect: body
# expect: cleanup
try {
    raise ValueError("x")
} catch ValueError {
    print("handled")
} finally {
    print("cleanup 2")
}
# expect: handled
# expect: cleanup 2
