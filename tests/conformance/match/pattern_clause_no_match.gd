fn only_strings(v) {
    |"a"| => "got a"
    |"b"| => "got b"
}
print(only_strings("a"))   # expect: got a
print(only_strings("z"))   # expect: none
fn any(v) {
    |_| => "anything"
}
print(any(1))              # expect: anything
