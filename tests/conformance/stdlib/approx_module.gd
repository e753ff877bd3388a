# The shipped `approx` module: absolute, relative and time-unit tolerances.
import "approx"
print(approx.equal(3.14159, 3.14, 0.01))          # expect: true
print(approx.equal(3.14159, 3.14, 0.001))         # expect: false
print(approx.equal(100, 101, 0.02, :relative))    # expect: true
print(approx.equal(100, 110, 0.02, :relative))    # expect: false
print(approx.equal(0, 0, 0.1, :relative))         # expect: true
print(approx.within(0, 250, 5, :minutes))         # expect: true
print(approx.eq(0, 90000, 1, :days))              # expect: false
try {
    approx.equal(1, 2, 3, :weeks)
} catch ValueError as e {
    print(e.message())   # expect: approx.equal: unknown mode :weeks (use :absolute, :relative, :seconds, :minutes, :hours or :days)
}
