"""`import "regex"`: regular expressions as functions (docs/stdlib.md#regex).

A pattern is a regex literal (`/a+/i`) or a string (compiled once and cached). Matching runs
with the interpreter's time limit in force, so catastrophic backtracking stops with a
LimitError (graphoid.values.limits).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_int, members
from graphoid.values import limits
from graphoid.values.format import type_name
from graphoid.values.types import GList, GMap, Regex

_FLAGS = frozenset("imsx")


@lru_cache(maxsize=256)
def _compile(source: str, flags: str) -> Regex:
    return Regex(source, flags)


def compile_(pattern: Any, flags: Any = "") -> Regex:
    """A regex value from a pattern string and flags ("i", "m", "s", "x")."""
    return _pattern(pattern, "regex.compile", expect(flags, "string", "regex.compile", "flags"))


def _pattern(pattern: Any, where: str, flags: str = "") -> Regex:
    if isinstance(pattern, Regex):
        return pattern
    source = expect(pattern, "string", where, "pattern")
    unknown = sorted(set(flags) - _FLAGS)
    if unknown:
        raise GraphoidError("ValueError", f"{where}(): unknown regex flags {''.join(unknown)} (use i, m, s, x)")
    try:
        return _compile(source, "".join(sorted(set(flags))))
    except Exception as exc:  # the regex package's error type is only reachable after its import
        if type(exc).__name__ != "error":
            raise
        raise GraphoidError("ValueError", f"{where}(): invalid pattern '{source}': {exc}") from None


def _text(text: Any, where: str) -> str:
    return expect(text, "string", where, "text")


def test(pattern: Any, text: Any) -> bool:
    """True when the pattern matches somewhere in the text."""
    return limits.regex_search(_pattern(pattern, "regex.test").compiled, _text(text, "regex.test")) is not None


def full_match(pattern: Any, text: Any) -> bool:
    """True when the pattern matches the whole text."""
    compiled = _pattern(pattern, "regex.full_match").compiled
    try:
        return compiled.fullmatch(_text(text, "regex.full_match"), timeout=limits.regex_timeout()) is not None
    except TimeoutError:
        raise limits.regex_timed_out() from None


def find(pattern: Any, text: Any) -> Any:
    """The first match's text, or none."""
    found = limits.regex_search(_pattern(pattern, "regex.find").compiled, _text(text, "regex.find"))
    return None if found is None else found.group(0)


def find_all(pattern: Any, text: Any) -> GList:
    """The text of every non-overlapping match."""
    found = limits.regex_matches(_pattern(pattern, "regex.find_all").compiled, _text(text, "regex.find_all"))
    return GList(m.group(0) for m in found)


def groups(pattern: Any, text: Any) -> Any:
    """The first match's groups as a list (none for a group that took no part), or none."""
    found = limits.regex_search(_pattern(pattern, "regex.groups").compiled, _text(text, "regex.groups"))
    return None if found is None else GList(found.groups())


def named(pattern: Any, text: Any) -> Any:
    """The first match's named groups `(?P<name>...)` as a map, or none."""
    found = limits.regex_search(_pattern(pattern, "regex.named").compiled, _text(text, "regex.named"))
    return None if found is None else GMap(found.groupdict())


def replace(pattern: Any, text: Any, replacement: Any, count: Any = 0) -> str:
    """The text with matches replaced (all, or the first `count`); `\\1` or `\\g<name>` insert groups,
    and a function gets the matched text and returns the replacement."""
    compiled = _pattern(pattern, "regex.replace").compiled
    subject = _text(text, "regex.replace")
    limit = expect_int(count, "regex.replace", "count", minimum=0)
    if isinstance(replacement, str):
        template: Any = replacement
    elif callable(replacement) and not isinstance(replacement, (list, dict)):
        template = lambda match: _replacement_text(replacement(match.group(0)))  # noqa: E731
    else:
        raise GraphoidError("TypeError", f"regex.replace() expects replacement to be a string or function, got {type_name(replacement)}")
    try:
        return compiled.sub(template, subject, count=limit, timeout=limits.regex_timeout())
    except TimeoutError:
        raise limits.regex_timed_out() from None
    except Exception as exc:
        if type(exc).__name__ != "error":
            raise
        raise GraphoidError("ValueError", f"regex.replace(): invalid replacement '{replacement}': {exc}") from None


def _replacement_text(value: Any) -> str:
    if not isinstance(value, str):
        raise GraphoidError("TypeError", f"regex.replace() replacement function must return a string, got {type_name(value)}")
    return value


def split(pattern: Any, text: Any) -> GList:
    """The text split at every match."""
    return GList(limits.regex_split(_pattern(pattern, "regex.split").compiled, _text(text, "regex.split")))


def escape(text: Any) -> str:
    """The text with every regex metacharacter escaped, to match it literally."""
    import regex

    return regex.escape(_text(text, "regex.escape"))


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "regex"`."""
    return members(
        "regex",
        {
            "compile": compile_,
            "test": test,
            "full_match": full_match,
            "find": find,
            "find_all": find_all,
            "groups": groups,
            "named": named,
            "replace": replace,
            "split": split,
            "escape": escape,
        },
    )
