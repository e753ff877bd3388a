# The Graphoid side of benchmarks/bench_concurrency.py; its Python twin is actors_channels.py.

graph Ponger {
    fn on_message(msg) { return msg + 1 }
}

graph Pinger {
    fn on_message(msg) {
        ponger = msg[0]
        total = 0
        for i in range(msg[1]) { total = total + ponger.request(i) }
        return total
    }
}

# Request/reply between two actors: Pinger asks Ponger n times, one request at a time.
fn ping_pong(n) {
    ponger = spawn Ponger{}
    pinger = spawn Pinger{}
    total = pinger.request([ponger, n])
    pinger.close()
    ponger.close()
    return total
}

graph Accumulator {
    total: 0
    fn on_message(msg) {
        if msg == :total { return total }
        total = total + msg
    }
}

# n sends into one actor, then one request that waits for all of them to be handled.
fn send_then_request(n) {
    accumulator = spawn Accumulator{}
    for i in range(n) { accumulator.send(i) }
    total = accumulator.request(:total)
    accumulator.close()
    return total
}

# producer task -> channel -> transformer task -> channel -> consumer (this function).
fn pipeline(n, capacity) {
    numbers = channel(capacity)
    transformed = channel(capacity)
    spawn {
        for i in range(n) { numbers.send(i) }
        numbers.close()
    }
    spawn {
        for x in numbers { transformed.send(x * 2 + 1) }
        transformed.close()
    }
    total = 0
    for y in transformed { total = total + y }
    return total
}
