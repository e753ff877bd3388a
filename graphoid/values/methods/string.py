"""String methods. Strings behave like lists of characters; indices count characters."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from graphoid.errors import GraphoidError
from graphoid.values.format import is_truthy, type_name
from graphoid.values.methods import text_patterns
from graphoid.values.methods.common import want_function, want_int, want_number, want_string
from graphoid.values.methods.registry import method
from graphoid.values.types import GList, Regex, Symbol
from graphoid.values.limits import (
    check_repeat,
    metered,
    regex_matches,
    regex_search,
    regex_split,
    regex_sub,
)

if TYPE_CHECKING:
    import regex


@method(str, "length", "len", "size")
def length(s: str) -> int:
    return len(s)


@method(str, "is_empty")
def is_empty(s: str) -> bool:
    return not s


@method(str, "upper")
def upper(s: str) -> str:
    return s.upper()


@method(str, "lower")
def lower(s: str) -> str:
    return s.lower()


@method(str, "trim")
def trim(s: str) -> str:
    return s.strip()


@method(str, "trim_start", "ltrim")
def trim_start(s: str) -> str:
    return s.lstrip()


@method(str, "trim_end", "rtrim")
def trim_end(s: str) -> str:
    return s.rstrip()


@method(str, "reverse")
def reverse(s: str) -> str:
    return s[::-1]


@method(str, "first")
def first(s: str) -> Any:
    """First character, or none for the empty string (lists raise instead)."""
    return s[0] if s else None


@method(str, "last")
def last(s: str) -> Any:
    return s[-1] if s else None


def _clamped_index(method_name: str, v: Any, n: int, position: int) -> int:
    i = want_int(method_name, v, position)
    return max(0, min(i, n))


@method(str, "substring")
def substring(s: str, start: Any, end: Any = None) -> str:
    """Characters [start, end), clamped to the string; empty when start > end."""
    n = len(s)
    a = _clamped_index("substring", start, n, 1)
    b = n if end is None else _clamped_index("substring", end, n, 2)
    return s[a:b] if a <= b else ""


@method(str, "slice")
def slice_(s: str, start: Any, end: Any = None) -> str:
    """Like substring, but negative indices count from the end."""
    n = len(s)
    a = want_int("slice", start, 1)
    b = n if end is None else want_int("slice", end, 2)
    a = max(n + a, 0) if a < 0 else min(a, n)
    b = max(n + b, 0) if b < 0 else min(b, n)
    return s[a:b] if a <= b else ""


@method(str, "split")
def split(s: str, delimiter: Any = None) -> GList:
    """Split on a plain delimiter (Rust rules: "" splits between characters with empty ends),
    on a regex, or with no argument on runs of whitespace."""
    if delimiter is None:
        return GList(s.split())
    if type(delimiter) is Regex:
        if delimiter.compiled.groups == 0:
            return GList(regex_split(delimiter.compiled, s))
        return GList(_split_no_groups(delimiter, s))
    d = want_string("split", delimiter)
    if d == "":
        return GList(["", *s, ""])
    return GList(s.split(d))


def _split_no_groups(r: Regex, s: str) -> list[str]:
    parts: list[str] = []
    last = 0
    for m in regex_matches(r.compiled, s):
        parts.append(s[last : m.start()])
        last = m.end()
    parts.append(s[last:])
    return parts


@method(str, "lines")
def lines(s: str) -> GList:
    return GList(s.splitlines())


@method(str, "chars", "to_list")
def chars(s: str) -> GList:
    return GList(s)


@method(str, "starts_with")
def starts_with(s: str, prefix: Any) -> bool:
    return s.startswith(want_string("starts_with", prefix))


@method(str, "ends_with")
def ends_with(s: str, suffix: Any) -> bool:
    return s.endswith(want_string("ends_with", suffix))


@method(str, "index_of")
def index_of(s: str, sub: Any) -> int:
    """Character index of the first occurrence, or -1."""
    return s.find(want_string("index_of", sub))


@method(str, "contains")
def contains(s: str, first: Any, *patterns: Any) -> bool:
    """`contains("sub")`, `contains(/re/)` or `contains(:any|:all|:only, :class, ...)`."""
    t = type(first)
    if t is Symbol:
        return text_patterns.contains_patterns(s, first, patterns)
    if patterns:
        raise GraphoidError("TypeError", f"Substring contains() expects exactly 1 argument, but got {1 + len(patterns)}")
    if t is str:
        return first in s
    if t is Regex:
        return first.compiled.search(s) is not None
    raise GraphoidError(
        "TypeError", "contains() first argument must be a mode symbol (:any, :all, :only), a substring or a regex"
    )


@method(str, "matches")
def matches(s: str, pattern: Any) -> bool:
    """True when the regex (or the string, taken as a regex) matches somewhere in `s`."""
    return regex_search(_compiled("matches", pattern), s) is not None


@method(str, "find_all")
def find_all(s: str, pattern: Any) -> GList:
    """Every non-overlapping match of a regex (or of a plain string) as a list of strings."""
    if type(pattern) is str:
        return GList([pattern] * s.count(pattern)) if pattern else GList()
    return GList(m.group(0) for m in regex_matches(_compiled("find_all", pattern), s))


@method(str, "match")
def match_(s: str, pattern: Any) -> Any:
    """The first match of a regex as `[whole, group1, ...]`, or none."""
    m = regex_search(_compiled("match", pattern), s)
    if m is None:
        return None
    return GList([m.group(0), *m.groups()])


def _compiled(method_name: str, pattern: Any) -> regex.Pattern:
    if type(pattern) is Regex:
        return pattern.compiled
    if type(pattern) is str:
        import regex  # deferred like in values.Regex

        try:
            return regex.compile(pattern)
        except regex.error as exc:
            raise GraphoidError("ValueError", f"Invalid regex '{pattern}': {exc}") from None
    raise GraphoidError("TypeError", f"Method '{method_name}' expects a regex or string, got {type_name(pattern)}")


_DOLLAR_GROUP = re.compile(r"\$(?:\$|(\d+)|\{(\w+)\})")


def _replacement(template: str) -> Any:
    """Translate a `$1` / `${name}` replacement template (regex-crate style) for `re.sub`."""

    def expand(m: regex.Match) -> str:
        def one(g: re.Match) -> str:
            if g.group(0) == "$$":
                return "$"
            ref = g.group(1) or g.group(2)
            try:
                value = m.group(int(ref) if ref.isdigit() else ref)
            except IndexError:
                return ""
            return value or ""

        return _DOLLAR_GROUP.sub(one, template)

    return expand



@method(str, "replace")
def replace(s: str, old: Any, new: Any) -> str:
    """Replace every occurrence of a plain string, or every match of a regex (`$1` groups)."""
    replacement = want_string("replace", new, 2)
    if type(old) is Regex:
        return regex_sub(old.compiled, _replacement(replacement), s)
    return s.replace(want_string("replace", old, 1), replacement)


@method(str, "extract")
def extract(s: str, pattern: Any) -> GList:
    if type(pattern) is Regex:
        return find_all(s, pattern)
    return text_patterns.extract(s, pattern)


@method(str, "count")
def count(s: str, pattern: Any) -> int:
    """Matches of a class symbol (see text_patterns), of a regex, or of a substring."""
    if type(pattern) is Regex:
        return len(regex_matches(pattern.compiled, s))
    if type(pattern) is str:
        return s.count(pattern) if pattern else len(s) + 1
    return text_patterns.count(s, pattern)


@method(str, "find")
def find(s: str, pattern: Any, limit: Any = None) -> Any:
    return text_patterns.find(s, pattern, limit)


@method(str, "char_code")
def char_code(s: str, index: Any) -> int:
    """The UTF-8 byte at `index` (the reference indexes bytes here)."""
    data = s.encode("utf-8")
    i = want_int("char_code", index)
    if i < 0 or i >= len(data):
        raise GraphoidError("IndexError", f"String index {i} out of bounds for string of length {len(data)}")
    return data[i]


@method(str, "to_bytes")
def to_bytes(s: str) -> GList:
    return GList(s.encode("utf-8"))


@method(str, "repeat")
def repeat(s: str, times: Any) -> str:
    n = want_int("repeat", times)
    if n < 0:
        raise GraphoidError("RuntimeError", "repeat() count cannot be negative")
    check_repeat(len(s), n)
    return s * n


@method(str, "map")
def map_(s: str, fn: Any) -> GList:
    f = want_function("map", fn)
    return GList([f(ch) for ch in metered(s)])


@method(str, "filter", "select")
def filter_(s: str, fn: Any) -> str:
    f = want_function("filter", fn)
    return "".join([ch for ch in metered(s) if is_truthy(f(ch))])


@method(str, "reject")
def reject(s: str, fn: Any) -> str:
    f = want_function("reject", fn)
    return "".join([ch for ch in metered(s) if not is_truthy(f(ch))])


@method(str, "each")
def each(s: str, fn: Any) -> None:
    f = want_function("each", fn)
    for ch in metered(s):
        f(ch)
    return None


@method(str, "pad_left")
def pad_left(s: str, width: Any, fill: Any = " ") -> str:
    # The argument checks run only off the common case (an int width, one fill character).
    n = width if width.__class__ is int else want_int("pad_left", width)
    check_repeat(1, n)
    return s.rjust(n, fill if fill.__class__ is str and len(fill) == 1 else _fill_char(fill))


@method(str, "pad_right")
def pad_right(s: str, width: Any, fill: Any = " ") -> str:
    n = width if width.__class__ is int else want_int("pad_right", width)
    check_repeat(1, n)
    return s.ljust(n, fill if fill.__class__ is str and len(fill) == 1 else _fill_char(fill))


def _fill_char(fill: Any) -> str:
    f = want_string("pad", fill, 2)
    if len(f) != 1:
        raise GraphoidError("ValueError", "padding must be a single character")
    return f


# ---------------------------------------------------------------------------------------------
# static namespace helper (`string.generate`)


def generate(first: Any, second: Any) -> str:
    """`string.generate("ab", 3)` repeats; `string.generate("a", "e")` spans characters
    (backwards when the first is later)."""
    if type(second) in (int, float):
        text = want_string("generate", first, 1)
        count = want_number("generate", second, 2)
        if count < 0:
            raise GraphoidError("RuntimeError", "string.generate() count cannot be negative")
        check_repeat(len(text), int(count))
        return text * int(count)
    if type(second) is str:
        start = want_string("generate", first, 1)
        for c in (start, second):
            if len(c) != 1:
                raise GraphoidError(
                    "RuntimeError",
                    f"string.generate() sequence mode requires single character, got '{c}' ({len(c)} chars)",
                )
        a, b = ord(start), ord(second)
        step = 1 if a <= b else -1
        return "".join(chr(code) for code in range(a, b + step, step) if not 0xD800 <= code <= 0xDFFF)
    raise GraphoidError(
        "TypeError",
        "string.generate() expects second argument to be number (repetition mode) or string (sequence mode), "
        f"got {type_name(second)}",
    )
