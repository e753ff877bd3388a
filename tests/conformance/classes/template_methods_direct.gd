# Methods may be called on the template itself, and properties read from it.
graph Calculator {
    factor: 3
    fn times(x) { return x * factor }
    fn twice_times(x) { return times(times(x)) }
}
print(Calculator.times(2))         # expect: 6
print(Calculator.twice_times(2))   # expect: 18
print(Calculator.factor)           # expect: 3
