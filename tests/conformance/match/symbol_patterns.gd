fn handle(msg) {
    return match msg {
        :tick => "tick!"
        [:init, params] => "init with " + params
        [:add, a, b] => a + b
        _ => "unhandled"
    }
}
print(handle(:tick))              # expect: tick!
print(handle([:init, "cfg"]))     # expect: init with cfg
print(handle([:add, 2, 3]))       # expect: 5
print(handle(:other))             # expect: unhandled
print(handle([:init]))            # expect: unhandled
