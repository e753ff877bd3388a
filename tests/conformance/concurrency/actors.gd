# Local actors: ordered handling, state, request/reply, private helpers, errors, close.
graph Tally {
    total: 0
    fn on_message(msg) {
        if msg == :total { return _report() }
        if msg < 0 { raise ValueError("negative amount " + string(msg)) }
        total = total + msg
        return total
    }
    priv fn _report() { return "total " + string(total) }
}

t = spawn Tally{}
print(t)                         # expect: <actor:Tally#1>
for i in range(1, 11) { t.send(i) }
print(t.request(:total))         # expect: total 55
try {
    t.request(-1)
} catch ActorError as e {
    print(e.message())           # expect: actor Tally#1 failed: ValueError: negative amount -1
}
print(t.request(5))              # expect: 60
t.close()
print(t.is_closed())             # expect: true
t.send(1)
# expect error: ActorError: actor Tally#1 is closed
