# approx: approximate comparison of numbers.
#
#   import "approx"
#   approx.equal(3.14159, 3.14, 0.01)              # absolute tolerance -> true
#   approx.equal(100, 101, 0.02, :relative)        # within 2 % of the larger magnitude
#   approx.equal(t1, t2, 5, :minutes)              # numbers of seconds, tolerance in minutes
#
# `eq` and `within` are other names for `equal`.

module approx

UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}

fn equal(a, b, tolerance, mode = :absolute) {
    diff = (a.to_num() - b.to_num()).abs()
    if mode == :absolute {
        return diff < tolerance
    }
    if mode == :relative {
        scale = a.abs()
        if b.abs() > scale {
            scale = b.abs()
        }
        if scale == 0 {
            return diff < tolerance
        }
        return diff / scale < tolerance
    }
    unit = mode.to_string().slice(1, mode.to_string().length())
    if UNIT_SECONDS.has_key(unit) {
        return diff < tolerance * UNIT_SECONDS[unit]
    }
    raise ValueError("approx.equal: unknown mode " + mode.to_string() + " (use :absolute, :relative, :seconds, :minutes, :hours or :days)")
}

fn eq(a, b, tolerance, mode = :absolute) {
    return equal(a, b, tolerance, mode)
}

fn within(a, b, tolerance, mode = :absolute) {
    return equal(a, b, tolerance, mode)
}
