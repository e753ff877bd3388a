"""`time`: clocks, time values, durations, formatting and parsing, sleep (docs/stdlib.md#time).

A time value is an instant in UTC (seconds since the Unix epoch, fractions kept). `time` is both
a global (as in the reference) and `import "time"`. Sleeping counts against the interpreter's
time limit: a sleep longer than what is left stops with the limit's LimitError when it runs out.
"""

from __future__ import annotations

import datetime as dt
import math
import time as host_time
from typing import Any

import attrs

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_int, members
from graphoid.values import limits
from graphoid.values.methods.registry import method
from graphoid.values.types import GMap

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@attrs.frozen(order=True)
class Time:
    """An instant: `timestamp` seconds since 1970-01-01T00:00:00Z."""

    gd_type_name = "time"

    timestamp: float

    def moment(self) -> dt.datetime:
        return _EPOCH + dt.timedelta(seconds=self.timestamp)

    def display(self) -> str:
        moment = self.moment()
        spec = "seconds" if moment.microsecond == 0 else "milliseconds"
        return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"

    def gd_json(self) -> str:
        """How json.stringify writes a time: its ISO 8601 text."""
        return self.display()


def _time(value: Any, where: str, param: str = "time") -> Time:
    if isinstance(value, Time):
        return value
    raise GraphoidError("TypeError", f"{where}() expects {param} to be a time, got {_type(value)}")


def _type(value: Any) -> str:
    from graphoid.values.format import type_name

    return type_name(value)


def _seconds(value: Any, where: str, param: str = "seconds") -> float:
    number = expect(value, "num", where, param)
    if not math.isfinite(number):
        raise GraphoidError("ValueError", f"{where}() expects {param} to be a finite number, got {number}")
    return number


def _from_moment(moment: dt.datetime) -> Time:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    delta = moment - _EPOCH
    whole = delta.days * 86400 + delta.seconds
    return Time(whole + delta.microseconds / 1e6 if delta.microseconds else whole)


# ---------------------------------------------------------------------------------- clocks


def now() -> Time:
    """The current time."""
    return Time(host_time.time())


def today() -> Time:
    """Midnight (UTC) at the start of today."""
    return _from_moment(dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0))


def monotonic() -> float:
    """Seconds on a clock that never goes back: subtract two readings to time something."""
    return host_time.monotonic()


def timestamp() -> float:
    """The current time as seconds since the Unix epoch."""
    return host_time.time()


def sleep(seconds: Any) -> None:
    """Pause for `seconds`; under a time limit, a LimitError once the limit is spent."""
    pause = _seconds(seconds, "time.sleep")
    if pause < 0:
        raise GraphoidError("ValueError", f"time.sleep() expects seconds to be at least 0, got {pause}")
    budget = limits.active()
    left = budget.remaining_time() if budget is not None else None
    if left is not None and pause > left:
        host_time.sleep(max(left, 0))
        raise budget.time_error()  # type: ignore[union-attr]
    try:
        host_time.sleep(pause)
    except OverflowError:
        raise GraphoidError("ValueError", f"time.sleep() cannot sleep for {pause} seconds") from None


# ---------------------------------------------------------------------------------- making times


def from_numbers(year: Any, month: Any, day: Any, hour: Any = 0, minute: Any = 0, second: Any = 0) -> Time:
    """The UTC time with these calendar numbers (`second` may have a fraction)."""
    where = "time.from_numbers"
    parts = [expect_int(v, where, name) for v, name in ((year, "year"), (month, "month"), (day, "day"), (hour, "hour"), (minute, "minute"))]
    seconds = _seconds(second, where, "second")
    try:
        moment = dt.datetime(*parts, tzinfo=dt.timezone.utc)
    except ValueError as exc:
        raise GraphoidError("ValueError", f"{where}(): {exc}") from None
    if not 0 <= seconds < 61:
        raise GraphoidError("ValueError", f"{where}(): second must be in 0..60, got {seconds}")
    return _from_moment(moment) if seconds == 0 else Time(_from_moment(moment).timestamp + seconds)


def from_timestamp(seconds: Any) -> Time:
    """The time `seconds` after the Unix epoch."""
    value = _seconds(seconds, "time.from_timestamp")
    try:
        Time(value).moment()
    except OverflowError:
        raise GraphoidError("ValueError", f"time.from_timestamp(): {value} is out of the supported range") from None
    return Time(value)


def from_string(text: Any, pattern: Any = None) -> Time:
    """Parse ISO 8601 text ("2025-01-15T14:30:45Z", offsets allowed), or text in a strftime
    `pattern` ("%d/%m/%Y"); a time without an offset is UTC."""
    source = expect(text, "string", "time.from_string", "text")
    try:
        if pattern is None:
            moment = dt.datetime.fromisoformat(source[:-1] + "+00:00" if source.endswith("Z") else source)
        else:
            moment = dt.datetime.strptime(source, expect(pattern, "string", "time.from_string", "pattern"))
    except ValueError as exc:
        wanted = "ISO 8601 (2025-01-15T14:30:45Z)" if pattern is None else f"the pattern '{pattern}' ({exc})"
        raise GraphoidError("ParseError", f"time.from_string(): '{source}' does not match {wanted}") from None
    return _from_moment(moment)


# ---------------------------------------------------------------------------------- durations

_UNITS = (("d", 86400), ("h", 3600), ("m", 60))


def format_duration(seconds: Any) -> str:
    """A duration as text: `format_duration(3725.5)` is "1h 2m 5.5s"."""
    left = _seconds(seconds, "time.format_duration")
    sign = "-" if left < 0 else ""
    left = abs(left)
    parts = []
    for unit, size in _UNITS:
        count, left = divmod(left, size)
        if count or parts:
            parts.append(f"{int(count)}{unit}")
    rest = round(left, 3)
    parts.append(f"{int(rest) if rest == int(rest) else rest}s")
    return sign + " ".join(parts)


def _per(unit: int, name: str) -> Any:
    def convert(count: Any) -> float:
        return _seconds(count, f"time.{name}", "count") * unit

    convert.__doc__ = f"`count` {name} in seconds."
    return convert


# ---------------------------------------------------------------------------------- methods


@method(Time, "to_num")
def _to_num(t: Time) -> float:
    return t.timestamp


@method(Time, "time_numbers")
def time_numbers(t: Time) -> GMap:
    """year, month, day, hour, minute, second, weekday (0 is Monday), day_of_year."""
    moment = t.moment()
    second = moment.second + moment.microsecond / 1e6 if moment.microsecond else moment.second
    return GMap(
        year=moment.year,
        month=moment.month,
        day=moment.day,
        hour=moment.hour,
        minute=moment.minute,
        second=second,
        weekday=moment.weekday(),
        day_of_year=moment.timetuple().tm_yday,
    )


@method(Time, "format")
def format_time(t: Time, pattern: Any = "%Y-%m-%dT%H:%M:%SZ") -> str:
    """strftime text (`%Y-%m-%d %H:%M`)."""
    return t.moment().strftime(expect(pattern, "string", "time.format", "pattern"))


@method(Time, "add")
def add(t: Time, seconds: Any) -> Time:
    """The time `seconds` later (earlier when negative)."""
    return from_timestamp(t.timestamp + _seconds(seconds, "time.add"))


@method(Time, "diff")
def diff(t: Time, other: Any) -> float:
    """Seconds from `other` to this time."""
    return t.timestamp - _time(other, "time.diff", "other").timestamp


@method(Time, "to_bool")
def _to_bool(t: Time) -> bool:
    return True


def module_functions() -> dict[str, Any]:
    """The functions of `time`, named for errors (one set serves the global and the module)."""
    return members(
        "time",
        {
            "now": now,
            "today": today,
            "monotonic": monotonic,
            "timestamp": timestamp,
            "sleep": sleep,
            "from_numbers": from_numbers,
            "from_timestamp": from_timestamp,
            "from_string": from_string,
            "format": lambda t, pattern="%Y-%m-%dT%H:%M:%SZ": format_time(_time(t, "time.format"), pattern),
            "diff": lambda a, b: diff(_time(a, "time.diff", "a"), b),
            "format_duration": format_duration,
            "seconds": _per(1, "seconds"),
            "minutes": _per(60, "minutes"),
            "hours": _per(3600, "hours"),
            "days": _per(86400, "days"),
        },
    )


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "time"`."""
    return module_functions()
