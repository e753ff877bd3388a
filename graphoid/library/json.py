"""`import "json"`: JSON text to Graphoid values and back, graphs as node-link JSON
(docs/stdlib.md#json).

Parsing runs Python's C decoder; its object hook makes the GMaps and turns the arrays among
their members into GLists (C-level type scans find them), with the cyclic collector paused.
"""

from __future__ import annotations

import gc
import json
from itertools import compress
from typing import TYPE_CHECKING, Any

from graphoid.errors import GraphoidError
from graphoid.graphs.export import from_node_link, node_link
from graphoid.graphs.graph import Graph
from graphoid.library.common import expect, expect_int, members
from graphoid.library.fs import Files
from graphoid.values.format import type_name
from graphoid.values.types import GList, GMap, Symbol

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter

_IS_LIST = frozenset((list,)).__contains__


def parse(text: Any) -> Any:
    """The Graphoid value of JSON `text`: objects are maps, arrays lists, null is none."""
    source = expect(text, "string", "json.parse", "text")
    # Decoding makes containers that hold no cycles; pausing the collector meanwhile saves the
    # repeated passes over them that would otherwise cost as much as the decoding itself.
    collecting = gc.isenabled()
    gc.disable()
    try:
        value = json.loads(source, object_hook=_map, parse_constant=_reject_constant)
        return _list(value) if type(value) is list else value
    except json.JSONDecodeError as exc:
        raise GraphoidError("ParseError", f"Invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise GraphoidError("ParseError", "Invalid JSON: nested too deeply") from None
    finally:
        if collecting:
            gc.enable()


def _reject_constant(name: str) -> Any:
    raise GraphoidError("ParseError", f"Invalid JSON: {name} is not a JSON number")


# The decoder builds an object after its members, so the object hook sees finished values: maps
# are GMaps already and only arrays are still plain lists. The type scans run in C.


def _map(members: dict[str, Any]) -> GMap:
    if list in map(type, members.values()):
        for key in compress(list(members), map(_IS_LIST, map(type, members.values()))):
            members[key] = _list(members[key])
    return GMap(members)


def _list(items: list[Any]) -> GList:
    if list in map(type, items):
        return GList([_list(item) if type(item) is list else item for item in items])
    return GList(items)


def stringify(value: Any, pretty: Any = False) -> str:
    """JSON text for `value`; `pretty: true` indents by 2, a number by that many spaces."""
    indent = _indent(pretty)
    try:
        return json.dumps(
            value,
            indent=indent,
            ensure_ascii=False,
            allow_nan=False,
            default=_plain,
            separators=None if indent is not None else (",", ":"),
        )
    except ValueError as exc:
        if "Circular" in str(exc):
            raise GraphoidError("ValueError", "json.stringify(): the value contains itself") from None
        raise GraphoidError("ValueError", "json.stringify(): infinity and nan have no JSON form") from None
    except RecursionError:
        raise GraphoidError("ValueError", "json.stringify(): the value is nested too deeply") from None


def _indent(pretty: Any) -> int | None:
    if pretty is False or pretty is None:
        return None
    if pretty is True:
        return 2
    return expect_int(pretty, "json.stringify", "pretty", minimum=0)


def _plain(value: Any) -> Any:
    """What a non-JSON Graphoid value is written as (the encoder's `default`)."""
    if isinstance(value, Graph):
        return node_link(value)
    if isinstance(value, Symbol):
        return ":" + value.name
    to_json = getattr(type(value), "gd_json", None)
    if to_json is not None:
        return to_json(value)
    raise GraphoidError("TypeError", f"json.stringify(): a {type_name(value)} has no JSON form")


def to_graph(value: Any) -> Graph:
    """The graph a node-link map describes (what stringify writes for a graph)."""
    expect(value, "map", "json.to_graph", "value")
    return from_node_link(value)


def parse_graph(text: Any) -> Graph:
    """The graph in node-link JSON `text`."""
    value = parse(expect(text, "string", "json.parse_graph", "text"))
    if not isinstance(value, dict):
        raise GraphoidError("ValueError", f"json.parse_graph(): the JSON is a {type_name(value)}, not a node-link object")
    return from_node_link(value)


def module_members(interp: "Interpreter") -> dict[str, Any]:
    """The members of `import "json"`; reading and writing files go through `fs`'s checks."""
    files = Files(interp.sandbox, "json")

    def read(path: Any) -> Any:
        """The value in a JSON file."""
        return parse(files.read(path))

    def write(path: Any, value: Any, pretty: Any = False) -> None:
        """Write `value` as JSON (and a final newline) to a file."""
        files.write(path, stringify(value, pretty) + "\n")

    def read_graph(path: Any) -> Graph:
        """The graph in a node-link JSON file."""
        return parse_graph(files.read(path))

    return members(
        "json",
        {
            "parse": parse,
            "stringify": stringify,
            "read": read,
            "write": write,
            "parse_graph": parse_graph,
            "to_graph": to_graph,
            "read_graph": read_graph,
        },
    )
