# time values, a seeded generator, math and statistics.
import "random"
import "math"
import "statistics"

launch = time.from_string("1969-07-16T13:32:00Z")
landing = time.from_numbers(1969, 7, 20, 20, 17, 40)
print(time.format_duration(landing.diff(launch)))       # expect: 4d 6h 45m 40s
print(landing.format("%Y-%m-%d"), landing > launch)     # expect: 1969-07-20 true

rand.seed(2024)
rolls = list.generate(1, 200, 1).map(i => rand.randint(1, 6))
rand.seed(2024)
again = list.generate(1, 200, 1).map(i => rand.randint(1, 6))
print(rolls == again, statistics.min(rolls) >= 1, statistics.max(rolls) <= 6)   # expect: true true true
mean = statistics.mean(rolls)
print(mean > 2.5 and mean < 4.5)                        # expect: true
print(math.hypot(6, 8), math.round(statistics.stdev([1, 2, 3, 4]), 3))   # expect: 10 1.291
