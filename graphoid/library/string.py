"""`import "string"`: padding, case conversion, templates and text layout beyond the string
methods (docs/stdlib.md#string)."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_int, members
from graphoid.values import limits
from graphoid.values.format import display
from graphoid.values.types import GList

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
_WORD_BREAK = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _text(value: Any, where: str, param: str = "text") -> str:
    return expect(value, "string", where, param)


def _width(value: Any, where: str) -> int:
    width = expect_int(value, where, "width", minimum=0)
    if width > limits.LIMITED_STRING_CHARS:
        raise GraphoidError("ValueError", f"{where}() width must be at most {limits.LIMITED_STRING_CHARS}, got {width}")
    return width


def _fill(value: Any, where: str) -> str:
    fill = _text(value, where, "fill")
    if len(fill) != 1:
        raise GraphoidError("ValueError", f"{where}() expects fill to be one character, got '{fill}'")
    return fill


def pad_left(text: Any, width: Any, fill: Any = " ") -> str:
    """The text right-aligned in `width` characters."""
    return _text(text, "string.pad_left").rjust(_width(width, "string.pad_left"), _fill(fill, "string.pad_left"))


def pad_right(text: Any, width: Any, fill: Any = " ") -> str:
    """The text left-aligned in `width` characters."""
    return _text(text, "string.pad_right").ljust(_width(width, "string.pad_right"), _fill(fill, "string.pad_right"))


def center(text: Any, width: Any, fill: Any = " ") -> str:
    """The text centred in `width` characters."""
    return _text(text, "string.center").center(_width(width, "string.center"), _fill(fill, "string.center"))


def _words(text: str) -> list[str]:
    return [word for word in _WORD_BREAK.split(text) if word]


def snake_case(text: Any) -> str:
    """"HelloWorld", "hello world" -> "hello_world"."""
    return "_".join(word.lower() for word in _words(_text(text, "string.snake_case")))


def kebab_case(text: Any) -> str:
    """"HelloWorld" -> "hello-world"."""
    return "-".join(word.lower() for word in _words(_text(text, "string.kebab_case")))


def camel_case(text: Any) -> str:
    """"hello_world" -> "helloWorld"."""
    words = _words(_text(text, "string.camel_case"))
    return "".join([words[0].lower(), *(w.capitalize() for w in words[1:])]) if words else ""


def pascal_case(text: Any) -> str:
    """"hello_world" -> "HelloWorld"."""
    return "".join(w.capitalize() for w in _words(_text(text, "string.pascal_case")))


def title(text: Any) -> str:
    """Every word capitalised."""
    return " ".join(w.capitalize() for w in _text(text, "string.title").split(" "))


def template(text: Any, values: Any) -> str:
    """`{name}` replaced by the display form of `values["name"]`; `{{` and `}}` are braces."""
    source = _text(text, "string.template")
    table = expect(values, "map", "string.template", "values")

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if name not in table:
            raise GraphoidError("KeyError", f"string.template(): no value for '{{{name}}}'")
        return display(table[name])

    return _PLACEHOLDER.sub(fill, source)


def truncate(text: Any, width: Any, ellipsis: Any = "...") -> str:
    """The text cut to `width` characters, ending in `ellipsis` when it was cut."""
    source = _text(text, "string.truncate")
    limit = _width(width, "string.truncate")
    mark = _text(ellipsis, "string.truncate", "ellipsis")
    if len(source) <= limit:
        return source
    return source[: max(limit - len(mark), 0)] + mark[:limit]


def wrap(text: Any, width: Any) -> GList:
    """The text broken into lines of at most `width` characters (at spaces where possible)."""
    limit = _width(width, "string.wrap")
    if limit < 1:
        raise GraphoidError("ValueError", "string.wrap() expects width to be at least 1, got 0")
    return GList(textwrap.wrap(_text(text, "string.wrap"), limit))


def is_blank(text: Any) -> bool:
    """True for a string of whitespace only (or empty)."""
    return not _text(text, "string.is_blank").strip()


def count(text: Any, part: Any) -> int:
    """How often `part` occurs (without overlaps)."""
    needle = _text(part, "string.count", "part")
    if not needle:
        raise GraphoidError("ValueError", "string.count() expects a non-empty part")
    return _text(text, "string.count").count(needle)


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "string"`."""
    return members(
        "string",
        {
            "pad_left": pad_left,
            "pad_right": pad_right,
            "center": center,
            "snake_case": snake_case,
            "kebab_case": kebab_case,
            "camel_case": camel_case,
            "pascal_case": pascal_case,
            "title": title,
            "template": template,
            "truncate": truncate,
            "wrap": wrap,
            "is_blank": is_blank,
            "count": count,
        },
    )
