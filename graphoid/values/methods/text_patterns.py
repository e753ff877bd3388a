"""Symbol character classes for string pattern methods: `contains(:any|:all|:only, ...)`,
`extract(:words|:numbers|:emails|...)`, `count(:pattern)`, `find(:pattern[, :first|n])`.

Class membership follows Rust's `char` predicates the reference uses (`is_numeric`,
`is_alphabetic`, `is_ascii_punctuation`, ...). An unknown class name matches nothing.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Callable

from graphoid.errors import GraphoidError
from graphoid.values.methods.common import saturating_int
from graphoid.values.types import GList, Symbol
from graphoid.values.limits import metered

# Python's string.punctuation, spelled out: importing `string` (its Template class) cost about
# half a millisecond of start-up for this one constant (test_text_patterns compares them).
ASCII_PUNCTUATION_TEXT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_ASCII_PUNCTUATION = frozenset(ASCII_PUNCTUATION_TEXT)


def is_numeric_char(ch: str) -> bool:
    """Rust `char::is_numeric`: general category Nd, Nl or No (Python's isnumeric also
    accepts CJK ideographs that merely have a numeric value)."""
    return unicodedata.category(ch) in _NUMERIC_CATEGORIES


_NUMERIC_CATEGORIES = frozenset(("Nd", "Nl", "No"))


def _is_alphanumeric(ch: str) -> bool:
    return ch.isalpha() or is_numeric_char(ch)


CHAR_CLASSES: dict[str, Callable[[str], bool]] = {
    "digits": is_numeric_char,
    "numbers": is_numeric_char,
    "letters": str.isalpha,
    "uppercase": str.isupper,
    "lowercase": str.islower,
    "spaces": str.isspace,
    "whitespace": str.isspace,
    "punctuation": lambda ch: ch in _ASCII_PUNCTUATION,
    "alphanumeric": _is_alphanumeric,
    "symbols": lambda ch: not _is_alphanumeric(ch) and not ch.isspace(),
}


def _never(ch: str) -> bool:
    return False


def char_class(name: str) -> Callable[[str], bool]:
    return CHAR_CLASSES.get(name, _never)


def pattern_name(method: str, arg: Any) -> str:
    if type(arg) is not Symbol:
        raise GraphoidError("TypeError", f"Method '{method}' expects a pattern symbol (e.g. :digits, :letters)")
    return arg.name


def runs(text: str, test: Callable[[str], bool]) -> list[str]:
    """Maximal runs of consecutive characters passing `test`."""
    out: list[str] = []
    current: list[str] = []
    for ch in metered(text):
        if test(ch):
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def _email_like(word: str) -> bool:
    parts = word.split("@")
    if len(parts) != 2 or not parts[0]:
        return False
    domain = parts[1].split(".")
    return len(domain) >= 2 and all(domain)


def emails(text: str) -> list[str]:
    """Whitespace-separated words shaped like `a@b.c`, trailing ASCII punctuation removed."""
    found = []
    for word in metered(text.split()):
        cleaned = word.rstrip(ASCII_PUNCTUATION_TEXT)
        if _email_like(cleaned):
            found.append(cleaned)
    return found


def contains_patterns(text: str, mode: Symbol, patterns: tuple) -> bool:
    """`contains(:any|:all|:only, :class, ...)`."""
    if not patterns:
        raise GraphoidError("RuntimeError", "Pattern matching contains() requires mode and at least one pattern")
    tests = [char_class(pattern_name("contains", p)) for p in patterns]
    if mode.name == "any":
        return any(test(ch) for ch in metered(text) for test in tests)
    if mode.name == "all":
        return all(any(test(ch) for ch in metered(text)) for test in tests)
    if mode.name == "only":
        return all(any(test(ch) for test in tests) for ch in metered(text))
    raise GraphoidError("RuntimeError", f"Invalid contains() mode '{mode.name}'. Expected :any, :all, or :only")


def extract(text: str, pattern: Any) -> GList:
    name = pattern_name("extract", pattern)
    if name == "words":
        return GList(runs(text, str.isalpha))
    if name in ("numbers", "digits"):
        return GList(runs(text, is_numeric_char))
    if name == "emails":
        return GList(emails(text))
    return GList(runs(text, char_class(name)))


def count(text: str, pattern: Any) -> int:
    """Words and emails count as units; every other class counts matching characters."""
    name = pattern_name("count", pattern)
    if name == "words":
        return len(runs(text, str.isalpha))
    if name == "emails":
        return len(emails(text))
    test = char_class(name)
    return sum(1 for ch in metered(text) if test(ch))


def find(text: str, pattern: Any, limit: Any = None) -> Any:
    """Character positions matching the class; `:first` gives one position or -1; a number
    limits how many positions are returned."""
    test = char_class(pattern_name("find", pattern))
    positions = [i for i, ch in enumerate(metered(text)) if test(ch)]
    if limit is None:
        return GList(positions)
    if type(limit) is Symbol and limit.name == "first":
        return positions[0] if positions else -1
    if type(limit) in (int, float):
        return GList(positions[: saturating_int(limit, 0)])
    raise GraphoidError("RuntimeError", "find() second argument must be :first or a number limit")
