fn step(msg) {
    return match msg {
        :inc => {
            n = 1
            n + 1
        }
        :map => { "k": "v" }
        :empty => {}
        _ => { "default" }
    }
}
print(step(:inc))      # expect: 2
print(step(:map))      # expect: {"k": v}
print(step(:empty))    # expect: {}
print(step(:zzz))      # expect: default
