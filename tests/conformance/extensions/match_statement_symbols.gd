fn react(events) {
    log = []
    for ev in events {
        match ev {
            :start => { log.append!("S") }
            [:data, v] => { log.append!("D" + v) }
            :stop => { log.append!("E") }
            _ => { log.append!("?") }
        }
    }
    return log.join(",")
}
print(react([:start, [:data, 1], [:data, 2], :bogus, :stop]))   # expect: S,D1,D2,?,E
