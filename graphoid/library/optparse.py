"""`import "optparse"`: command-line options for scripts, from a spec map: flags, options with
values, defaults, help text and clear errors (docs/stdlib.md#optparse)."""

from __future__ import annotations

from typing import Any

import attrs

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, expect_list_of, members
from graphoid.values.format import display
from graphoid.values.methods.misc import parse_number
from graphoid.values.types import GList, GMap

_OPTION_KEYS = frozenset(("name", "short", "help", "value", "default", "type"))


@attrs.frozen
class Option:
    """One option of a spec: a flag unless it names a `value` placeholder."""

    name: str
    short: str | None
    help: str
    value: str | None
    default: Any
    numeric: bool

    def usage(self) -> str:
        names = ", ".join(n for n in (f"-{self.short}" if self.short else None, f"--{self.name}") if n)
        return f"{names} {self.value}" if self.value else names


@attrs.frozen
class Spec:
    program: str
    description: str
    options: tuple[Option, ...]

    def find(self, text: str) -> Option | None:
        for option in self.options:
            if text in (f"--{option.name}", f"-{option.short}" if option.short else None):
                return option
        return None


def _spec(value: Any, where: str) -> Spec:
    spec = expect(value, "map", where, "spec")
    options = []
    for index, entry in enumerate(expect_list_of(spec.get("options", GList()), "map", where, "spec options")):
        unknown = sorted(set(entry) - _OPTION_KEYS)
        if unknown or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise GraphoidError(
                "ValueError", f"{where}(): option {index} needs a string 'name' and only the keys {sorted(_OPTION_KEYS)}"
            )
        short = entry.get("short")
        if short is not None and (not isinstance(short, str) or len(short) != 1):
            raise GraphoidError("ValueError", f"{where}(): option '{entry['name']}' needs a one-character 'short'")
        value = entry.get("value")
        kind = entry.get("type", "string")
        if kind not in ("string", "num"):
            raise GraphoidError("ValueError", f"{where}(): option '{entry['name']}' type must be \"string\" or \"num\"")
        default = entry.get("default", None if value else False)
        options.append(Option(entry["name"], short, display(entry.get("help", "")), value and display(value), default, kind == "num"))
    return Spec(display(spec.get("program", "program")), display(spec.get("description", "")), tuple(options))


def help_text(spec: Any) -> str:
    """The usage line, the description and one line per option (with its default)."""
    parsed = _spec(spec, "optparse.help")
    lines = [f"usage: {parsed.program} [options] [args...]"]
    if parsed.description:
        lines += ["", parsed.description]
    lines += ["", "options:", "  -h, --help" + " " * max(2, _column(parsed) - 10) + "show this help"]
    for option in parsed.options:
        default = "" if option.value is None or option.default is None else f" (default {display(option.default)})"
        lines.append(f"  {option.usage().ljust(_column(parsed))}{option.help}{default}".rstrip())
    return "\n".join(lines)


def _column(spec: Spec) -> int:
    return max([12, *(len(o.usage()) + 2 for o in spec.options)])


def parse(spec: Any, args: Any) -> GMap:
    """A map of every option's value by name (flags true/false, defaults filled in), `args`: the
    other arguments, and `help`: true when -h/--help was given. ValueError for bad usage."""
    parsed = _spec(spec, "optparse.parse")
    words = expect_list_of(args, "string", "optparse.parse", "args")
    result = GMap((o.name, o.default) for o in parsed.options)
    result["help"] = False
    rest = GList()
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            rest.extend(words[index:])
            break
        if word in ("-h", "--help"):
            result["help"] = True
        elif word.startswith("--"):
            name, has_value, attached = word.partition("=")
            index = _take(parsed, parsed.find(name), name, attached if has_value else None, words, index, result)
        elif word.startswith("-") and len(word) > 1:
            index = _shorts(parsed, word, words, index, result)
        else:
            rest.append(word)
    result["args"] = rest
    return result


def _shorts(spec: Spec, word: str, words: list[str], index: int, result: GMap) -> int:
    """`-abc` (flags) or `-nVALUE` / `-n VALUE`."""
    for position, letter in enumerate(word[1:], start=1):
        option = spec.find(f"-{letter}")
        if option is not None and option.value is not None:
            attached = word[position + 1:] or None
            return _take(spec, option, f"-{letter}", attached, words, index, result)
        _take(spec, option, f"-{letter}", None, words, index, result)
    return index


def _take(spec: Spec, option: Option | None, shown: str, attached: str | None, words: list[str], index: int, result: GMap) -> int:
    """Record `option` (given as `shown`); returns the index after any value it consumed."""
    if option is None:
        raise _usage_error(spec, f"unknown option '{shown}'")
    if option.value is None:
        if attached is not None:
            raise _usage_error(spec, f"option '{shown}' takes no value")
        result[option.name] = True
        return index
    if attached is None:
        if index >= len(words):
            raise _usage_error(spec, f"option '{shown}' needs a value ({option.value})")
        attached, index = words[index], index + 1
    result[option.name] = _convert(spec, option, shown, attached)
    return index


def _convert(spec: Spec, option: Option, shown: str, text: str) -> Any:
    if not option.numeric:
        return text
    number = parse_number(text)
    if number is None:
        raise _usage_error(spec, f"option '{shown}' needs a number, got '{text}'")
    return number


def _usage_error(spec: Spec, message: str) -> GraphoidError:
    return GraphoidError("ValueError", f"{spec.program}: {message} (see --help)")


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "optparse"`; `parse` reads the program's arguments by default."""

    def parse_program_args(spec: Any, args: Any = None) -> GMap:
        return parse(spec, GList(interp.argv) if args is None else args)

    parse_program_args.__doc__ = parse.__doc__
    return members("optparse", {"parse": parse_program_args, "help": help_text})
