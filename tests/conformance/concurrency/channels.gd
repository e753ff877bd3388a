# Channels, select, timers and supervision on threads.
jobs = channel(3)
results = channel()
spawn {
    for job in jobs { results.send(job * job) }
    results.close()
}
for n in [1, 2, 3, 4] { jobs.send(n) }
jobs.close()
total = 0
for r in results { total = total + r }
print(total)                          # expect: 30
print(results.receive())              # expect: none
print(typeof(jobs))                   # expect: channel

empty = channel(1)
print(select(empty, default: true))   # expect: [:default, none]
print(select(empty, timeout: 5))      # expect: [:timeout, none]
empty.send("x")
picked = select(channel(1), empty)
print(picked[0] == empty, picked[1])  # expect: true x
empty.close()
print(select(empty))                  # expect: [:closed, none]

print(timer.after(1, :wake).receive())   # expect: :wake
ticks = timer.every(1)
count = 0
for t in ticks {
    count = count + 1
    if count == 3 { break }
}
ticks.close()
print(count, ticks.try_receive())      # expect: 3 none

graph Keeper from supervisor { strategy: :one_for_one, max_restarts: 5 }
graph Counter {
    n: 0
    fn on_message(msg) {
        if msg == :crash { raise "crashed" }
        n = n + 1
        return n
    }
}
keeper = spawn Keeper{}
c = spawn Counter{}
keeper.supervise(c, restart: :permanent)
c.request(:tick)
print(c.request(:tick))               # expect: 2
try { c.request(:crash) } catch ActorError as e { print(e.message()) }  # expect: actor Counter#2 failed: RuntimeError: crashed
print(c.request(:tick))               # expect: 1

closed = channel()
closed.close()
closed.send(1)
# expect error: ChannelError: send on closed <channel#
