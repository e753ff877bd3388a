import "./lib/cycle_a"
# expect error: cycle_a
# expect error: cycle_b
