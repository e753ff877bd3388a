"""`import "pp"`: pretty printing of nested values and graphs, tables and bar charts
(docs/stdlib.md#pp)."""

from __future__ import annotations

from typing import Any

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph
from graphoid.library.common import expect, expect_int, expect_list_of, members
from graphoid.values.format import display

INDENT = "  "


def pformat(value: Any, width: Any = 80) -> str:
    """The value as text: inline when it fits in `width` columns, else one element per line,
    indented; a graph lists its nodes and edges."""
    limit = expect_int(width, "pp.pformat", "width", minimum=1)
    try:
        return "\n".join(_lines(value, limit, ""))
    except RecursionError:
        raise GraphoidError("ValueError", "pp.pformat(): the value is nested too deeply") from None


def _lines(value: Any, width: int, indent: str) -> list[str]:
    if isinstance(value, Graph):
        return _graph_lines(value, indent)
    if not isinstance(value, (list, dict)) or not value:
        return [indent + display(value)]
    inline = _inline(value, width - len(indent))
    if inline is not None:
        return [indent + inline]
    inner = indent + INDENT
    if isinstance(value, list):
        entries = [_lines(item, width, inner) for item in value]
        opening, closing = "[", "]"
    else:
        entries = []
        for key, item in value.items():
            lines = _lines(item, width, inner)
            lines[0] = f'{inner}"{key}": {lines[0][len(inner):]}'
            entries.append(lines)
        opening, closing = "{", "}"
    out = [indent + opening]
    for index, lines in enumerate(entries):
        if index < len(entries) - 1:
            lines[-1] += ","
        out.extend(lines)
    out.append(indent + closing)
    return out


def _inline(value: Any, room: int) -> str | None:
    """display(value) when it takes at most `room` characters, else None; stops as soon as the
    text outgrows the room, so a huge or deep value costs no more than `room` allows."""
    if isinstance(value, Graph) or not isinstance(value, (list, dict)):
        text = display(value)
        return text if len(text) <= room else None
    is_map = isinstance(value, dict)
    parts: list[str] = []
    used = 2
    for entry in value.items() if is_map else value:
        prefix = f'"{entry[0]}": ' if is_map else ""
        piece = _inline(entry[1] if is_map else entry, room - used - len(prefix))
        if piece is None:
            return None
        parts.append(prefix + piece)
        used += len(prefix) + len(piece) + 2
        if used - 2 > room:
            return None
    text = ", ".join(parts)
    return "{" + text + "}" if is_map else "[" + text + "]"


def _graph_lines(graph: Graph, indent: str) -> list[str]:
    kind = "directed" if graph.directed else "undirected"
    out = [f"{indent}graph ({kind}, {graph.node_count()} nodes, {graph.edge_count()} edges)"]
    for node_id, node_value in graph.data_items():
        shown = "" if node_value is None else f": {display(node_value)}"
        out.append(f"{indent}{INDENT}{node_id}{shown}")
    arrow = "->" if graph.directed else "--"
    for edge in graph.iter_edges():
        weight = "" if edge.weight is None else f", {display(edge.weight)}"
        out.append(f"{indent}{INDENT}{edge.src} {arrow} {edge.dst} [{edge.type}{weight}]")
    return out


def table(headers: Any, rows: Any) -> str:
    """A text table: a header row, a rule, then the rows; columns as wide as their widest cell."""
    names = [display(h) for h in expect(headers, "list", "pp.table", "headers")]
    expect_list_of(rows, "list", "pp.table", "rows")
    cells = []
    for index, row in enumerate(rows):
        if len(row) != len(names):
            raise GraphoidError("ValueError", f"pp.table(): row {index} has {len(row)} cells, the header has {len(names)}")
        cells.append([display(cell) for cell in row])
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(names)]

    def line(values: list[str]) -> str:
        return " | ".join(value.ljust(w) for value, w in zip(values, widths)).rstrip()

    return "\n".join([line(names), "-+-".join("-" * w for w in widths), *(line(row) for row in cells)])


def bar_chart(labels: Any, values: Any, width: Any = 40) -> str:
    """A horizontal bar per label, the longest bar `width` characters, followed by its value."""
    names = [display(label) for label in expect(labels, "list", "pp.bar_chart", "labels")]
    numbers = expect_list_of(values, "num", "pp.bar_chart", "values")
    longest = expect_int(width, "pp.bar_chart", "width", minimum=1)
    if len(names) != len(numbers):
        raise GraphoidError("ValueError", f"pp.bar_chart() needs one value per label, got {len(numbers)} for {len(names)}")
    if any(n < 0 for n in numbers):
        raise GraphoidError("ValueError", "pp.bar_chart() needs values >= 0")
    top = max(numbers, default=0) or 1
    pad = max((len(name) for name in names), default=0)
    return "\n".join(
        f"{name.ljust(pad)} | {'#' * round(number / top * longest)} {display(number)}" for name, number in zip(names, numbers)
    )


def module_members(interp: Any) -> dict[str, Any]:
    """The members of `import "pp"`; `pprint` writes to the interpreter's output."""

    def pprint(value: Any, width: Any = 80) -> None:
        """Print pformat's text."""
        interp.write(pformat(value, width) + "\n")

    return members("pp", {"pformat": pformat, "pprint": pprint, "table": table, "bar_chart": bar_chart})
