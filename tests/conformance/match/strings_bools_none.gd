fn kind(v) {
    return match v {
        "a" => "letter a"
        true => "yes"
        false => "no"
        none => "nothing"
        _ => "?"
    }
}
print(kind("a"))    # expect: letter a
print(kind(true))   # expect: yes
print(kind(false))  # expect: no
print(kind(none))   # expect: nothing
print(kind(3))      # expect: ?
