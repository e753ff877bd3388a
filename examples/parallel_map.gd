# A parallel map over a list of inputs: each item is handled on some worker and the results
# stay there until asked for (to_list fetches them, in input order).

import "distributed"

fn collatz_steps(n) {
    steps = 0
    while n != 1 {
        if n % 2 == 0 { n = n // 2 } else { n = 3 * n + 1 }
        steps = steps + 1
    }
    return steps
}

inputs = range(1, 3001)
lengths = distributed.map(inputs, collatz_steps)
print("items:", lengths.size())
print("steps for 27:", lengths.get(26))
longest = distributed.map_reduce(
    lengths.to_list().map(s => s),
    map: fn(steps) { return [[steps // 100, 1]] },
    reduce: fn(bucket, ones) { return ones.sum() }
)
print("by hundreds of steps:", longest.to_list())
