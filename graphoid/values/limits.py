"""The step/time budget of a run, shared by generated code and builtins, and the size caps.

An Interpreter created with `max_steps` or `time_limit` installs its Budget (`install`) while
its code runs. Generated code charges it through `_rt_tick`; builtins charge it here: `metered`
wraps the loop of a builtin that iterates or calls back (one step per element), `build_list`
fills a list in chunks, `charge` serves outer loops of graph algorithms. Without limits no
budget is installed and each helper costs one global read per builtin call, not per element.

Work CPython does in one uninterruptible call (big-integer arithmetic, string repetition) is
bounded up front instead: an operation whose result would exceed a cap is refused.
docs/embedding.md ("Limits") states the contract and these numbers.
"""

from __future__ import annotations

import time
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, TypeVar

from graphoid.errors import GraphoidError
from graphoid.values.types import GList

T = TypeVar("T")

# Always: `**` refuses an integer result wider than this (about 5 million decimal digits).
MAX_POWER_BITS = 1 << 24
# Under limits: integer `*` and `**` refuse results wider than this (about 158,000 digits), so
# that one multiplication, division or decimal conversion stays far below a second.
LIMITED_INT_BITS = 1 << 19
# Under limits: string repetition (`*`, `repeat`, `string.generate`) refuses results longer
# than this many characters.
LIMITED_STRING_CHARS = 1 << 24
# Elements a chunked builtin produces between two budget checks.
CHUNK = 1024


class Budget:
    """Steps taken and the deadline of one run; `state` is the interpreter's `[steps, deadline]`
    list, which `_rt_tick` updates too."""

    __slots__ = ("state", "max_steps", "time_limit")

    def __init__(self, state: list[float], max_steps: int | None, time_limit: float | None) -> None:
        self.state = state
        self.max_steps = max_steps
        self.time_limit = time_limit

    def step_error(self) -> GraphoidError:
        return GraphoidError("LimitError", f"step limit of {self.max_steps} exceeded")

    def time_error(self) -> GraphoidError:
        return GraphoidError("LimitError", f"time limit of {self.time_limit:g} s exceeded")

    def charge(self, steps: int = 1) -> None:
        """Count `steps` steps and check the clock; LimitError once either is spent."""
        state = self.state
        state[0] += steps
        if self.max_steps is not None and state[0] > self.max_steps:
            raise self.step_error()
        if time.monotonic() > state[1]:
            raise self.time_error()

    def remaining_time(self) -> float | None:
        """Seconds left before the deadline (None without a time limit)."""
        if self.time_limit is None:
            return None
        return self.state[1] - time.monotonic()

    def each(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, charging one step per element."""
        charge = self.charge
        for item in items:
            charge()
            yield item


_ACTIVE: Budget | None = None


def install(budget: Budget | None) -> Budget | None:
    """Make `budget` the one builtins charge (None: no limits); returns the one it replaces."""
    global _ACTIVE
    previous = _ACTIVE
    _ACTIVE = budget
    return previous


def active() -> Budget | None:
    """The budget of the running code, or None when it runs without limits."""
    return _ACTIVE


def charge(steps: int = 1) -> None:
    """Charge the running budget, if any (outer loops of algorithms, super-linear work)."""
    budget = _ACTIVE
    if budget is not None:
        budget.charge(steps)


def metered(items: Iterable[T]) -> Iterable[T]:
    """The loop of a builtin that iterates or calls back: one step per element under limits,
    `items` itself otherwise."""
    budget = _ACTIVE
    if budget is None:
        return items
    return budget.each(items)


def build_list(items: Iterable[Any]) -> GList:
    """`GList(items)`, filled CHUNK elements at a time (each a step) under limits, so a huge
    `range` stops at the limit instead of running to completion inside one C call."""
    budget = _ACTIVE
    if budget is None:
        return GList(items)
    out = GList()
    source = iter(items)
    while True:
        chunk = list(islice(source, CHUNK))
        if not chunk:
            return out
        budget.charge(len(chunk))
        list.extend(out, chunk)


def regex_search(pattern: Any, text: str) -> Any:
    """`pattern.search(text)` bounded by the time left in the budget."""
    try:
        return pattern.search(text, timeout=regex_timeout())
    except TimeoutError:
        raise regex_timed_out() from None


def regex_matches(pattern: Any, text: str) -> list[Any]:
    """Every non-overlapping match of `pattern` in `text`, bounded by the time left."""
    try:
        return list(pattern.finditer(text, timeout=regex_timeout()))
    except TimeoutError:
        raise regex_timed_out() from None


def regex_sub(pattern: Any, replacement: Any, text: str) -> str:
    """`pattern.sub(replacement, text)` bounded by the time left."""
    try:
        return pattern.sub(replacement, text, timeout=regex_timeout())
    except TimeoutError:
        raise regex_timed_out() from None


def regex_split(pattern: Any, text: str) -> list[str]:
    """`pattern.split(text)` bounded by the time left."""
    try:
        return pattern.split(text, timeout=regex_timeout())
    except TimeoutError:
        raise regex_timed_out() from None


def regex_timeout() -> float | None:
    """The `timeout=` for a regex operation: the time left in the budget (None: unbounded).
    A spent budget raises at once."""
    budget = _ACTIVE
    if budget is None or budget.time_limit is None:
        return None
    left = budget.remaining_time()
    if left is None or left <= 0:
        raise budget.time_error()
    return left


def regex_timed_out() -> GraphoidError:
    """The error for a regex operation stopped by its timeout: the time limit was reached."""
    budget = _ACTIVE
    if budget is not None and budget.time_limit is not None:
        return budget.time_error()
    return GraphoidError("LimitError", "regex operation timed out")


def check_power(base: Any, exponent: Any) -> None:
    """Refuse an integer `base ** exponent` whose result would exceed the integer cap."""
    if type(exponent) is not int or exponent <= 64 or not isinstance(base, int):
        return
    limited = _ACTIVE is not None
    cap = LIMITED_INT_BITS if limited else MAX_POWER_BITS
    # (bit_length - 1) * exponent bits is a lower bound of the result's width (0 for 0 and ±1).
    if (abs(base).bit_length() - 1) * exponent > cap:
        raise _too_big(f"{base} ** {exponent}" if base.bit_length() < 64 else "the power", cap, limited)


def _too_big(what: str, cap: int, limited: bool) -> GraphoidError:
    """ValueError for the cap that always holds; LimitError for the ones limits add."""
    kind = "LimitError" if limited else "ValueError"
    return GraphoidError(kind, f"Number too large: {what} would have more than {cap} bits")


def _limited_mul(a: Any, b: Any) -> Any:
    """`*` under limits: integer products and string repetitions checked against the caps."""
    if isinstance(a, int):
        if isinstance(b, int):
            if a.bit_length() + b.bit_length() > LIMITED_INT_BITS:
                raise _too_big("the product", LIMITED_INT_BITS, True)
        elif type(b) is str:
            _check_repeat(len(b), a)
    elif type(a) is str and isinstance(b, int):
        _check_repeat(len(a), b)
    return a * b


def check_repeat(length: int, times: int) -> None:
    """Refuse a string repetition longer than LIMITED_STRING_CHARS when limits are on."""
    if _ACTIVE is not None:
        _check_repeat(length, times)


def _check_repeat(length: int, times: int) -> None:
    if length * times > LIMITED_STRING_CHARS:
        raise GraphoidError(
            "LimitError", f"String too long: repetition would exceed {LIMITED_STRING_CHARS} characters"
        )


def limited_helpers() -> dict[str, Callable[..., Any]]:
    """Runtime helpers a limited interpreter's builtins use in place of the unchecked ones."""
    return {"_rt_mul": _limited_mul}
