"""`import "random"` (bound as `rand`, like the reference): a seedable generator per
interpreter, numbers, choices, shuffles, samples and distributions (docs/stdlib.md#random).

`seed(n)` makes every function but `uuid4`/`token*` repeat its sequence; those draw from the
operating system's secure source.
"""

from __future__ import annotations

import math
import random
import secrets
import uuid
from typing import Any

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_int, members
from graphoid.values.types import GList

# Bytes a token may ask for: more is a mistake, not a token.
MAX_TOKEN_BYTES = 1 << 16


class Generator:
    """One interpreter's random number generator."""

    def __init__(self) -> None:
        self._random = random.Random()

    def seed(self, value: Any) -> None:
        """Restart the sequence: the same seed gives the same numbers."""
        if not isinstance(value, (int, float, str)) or isinstance(value, bool):
            expect(value, "num", "random.seed", "value")
        self._random.seed(value)

    def random(self) -> float:
        """A float in [0, 1)."""
        return self._random.random()

    def randint(self, low: Any, high: Any) -> int:
        """A whole number in [low, high], both ends included."""
        a = expect_int(low, "random.randint", "low")
        b = expect_int(high, "random.randint", "high")
        if a > b:
            raise GraphoidError("ValueError", f"random.randint() needs low <= high, got {a} and {b}")
        return self._random.randint(a, b)

    def uniform(self, low: Any, high: Any) -> float:
        """A float between low and high."""
        return self._random.uniform(_finite(low, "random.uniform", "low"), _finite(high, "random.uniform", "high"))

    def choice(self, items: Any) -> Any:
        """One element of a non-empty list."""
        expect(items, "list", "random.choice", "items")
        if not items:
            raise GraphoidError("ValueError", "random.choice() needs a non-empty list")
        return self._random.choice(items)

    def shuffle(self, items: Any) -> GList:
        """A shuffled copy of a list (the list itself is unchanged)."""
        copy = GList(expect(items, "list", "random.shuffle", "items"))
        self._random.shuffle(copy)
        return copy

    def sample(self, items: Any, count: Any) -> GList:
        """`count` distinct elements of a list, in random order."""
        expect(items, "list", "random.sample", "items")
        k = expect_int(count, "random.sample", "count", minimum=0)
        if k > len(items):
            raise GraphoidError("ValueError", f"random.sample() cannot take {k} elements from a list of {len(items)}")
        return GList(self._random.sample(items, k))

    def normal(self, mean: Any = 0, stddev: Any = 1) -> float:
        """A draw from the normal distribution."""
        sigma = _finite(stddev, "random.normal", "stddev")
        if sigma < 0:
            raise GraphoidError("ValueError", f"random.normal() needs stddev >= 0, got {sigma}")
        return self._random.gauss(_finite(mean, "random.normal", "mean"), sigma)

    def exponential(self, rate: Any = 1) -> float:
        """A draw from the exponential distribution with this rate (mean 1/rate)."""
        lam = _finite(rate, "random.exponential", "rate")
        if lam <= 0:
            raise GraphoidError("ValueError", f"random.exponential() needs rate > 0, got {lam}")
        return self._random.expovariate(lam)

    def weighted_choice(self, items: Any, weights: Any) -> Any:
        """One element, drawn with probability proportional to its weight."""
        expect(items, "list", "random.weighted_choice", "items")
        expect(weights, "list", "random.weighted_choice", "weights")
        if not items or len(items) != len(weights):
            raise GraphoidError("ValueError", "random.weighted_choice() needs a non-empty list and one weight per element")
        numbers = [_finite(w, "random.weighted_choice", "weights") for w in weights]
        if any(w < 0 for w in numbers) or not sum(numbers) > 0:
            raise GraphoidError("ValueError", "random.weighted_choice() needs weights >= 0 with a positive sum")
        return self._random.choices(items, numbers)[0]


def _finite(value: Any, where: str, param: str) -> float:
    number = expect(value, "num", where, param)
    if not math.isfinite(number):
        raise GraphoidError("ValueError", f"{where}() expects {param} to be a finite number, got {number}")
    return number


def uuid4() -> str:
    """A random UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx")."""
    return str(uuid.uuid4())


def token(size: Any = 16) -> str:
    """`size` secure random bytes as hex (2 characters each)."""
    return secrets.token_hex(_token_size(size, "random.token"))


def token_urlsafe(size: Any = 16) -> str:
    """`size` secure random bytes as URL-safe base64 text."""
    return secrets.token_urlsafe(_token_size(size, "random.token_urlsafe"))


def _token_size(size: Any, where: str) -> int:
    count = expect_int(size, where, "size", minimum=1)
    if count > MAX_TOKEN_BYTES:
        raise GraphoidError("ValueError", f"{where}() size must be at most {MAX_TOKEN_BYTES}, got {count}")
    return count


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "random"`, drawing from a generator of `interp`'s own."""
    gen = Generator()
    return members(
        "random",
        {
            "seed": gen.seed,
            "random": gen.random,
            "float": gen.random,
            "randint": gen.randint,
            "int": gen.randint,
            "uniform": gen.uniform,
            "choice": gen.choice,
            "weighted_choice": gen.weighted_choice,
            "shuffle": gen.shuffle,
            "sample": gen.sample,
            "normal": gen.normal,
            "exponential": gen.exponential,
            # the reference's names for the seeded sequence (here every draw is seeded)
            "det_random": gen.random,
            "det_randint": gen.randint,
            "uuid4": uuid4,
            "token": token,
            "token_urlsafe": token_urlsafe,
        },
    )
