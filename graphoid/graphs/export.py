"""Text renderings (DOT, ASCII tree, summary) and node-link JSON export/import of graphs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from graphoid.errors import GraphoidError
from graphoid.values.types import GList, GMap, Symbol
from graphoid.values.limits import active

if TYPE_CHECKING:
    from graphoid.graphs.graph import Graph


def _show(value: Any) -> str:
    """A short display form for node values inside renderings."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Symbol):
        return f":{value.name}"
    return str(value)


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: "Graph", name: str = "G") -> str:
    """Graphviz source: `digraph` for directed graphs, `graph` with `--` for undirected ones."""
    keyword, arrow = ("digraph", "->") if graph.directed else ("graph", "--")
    lines = [f"{keyword} {_dot_quote(name)} {{"]
    for node_id, value in graph.data_items():
        label = f"{node_id}: {_show(value)}" if value is not None else node_id
        lines.append(f"  {_dot_quote(node_id)} [label={_dot_quote(label)}];")
    for edge in graph.iter_edges():
        attrs = [f"label={_dot_quote(edge.type)}"]
        if edge.weight is not None:
            attrs.append(f"weight={_dot_quote(_show(edge.weight))}")
        lines.append(f"  {_dot_quote(edge.src)} {arrow} {_dot_quote(edge.dst)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines)


# Indentation levels `to_ascii` draws; deeper lines show their depth instead of more guides,
# so the output grows linearly with a long chain, not quadratically.
ASCII_MAX_LEVELS = 32


def to_ascii(graph: "Graph") -> str:
    """An indented tree from each root (nodes without incoming edges); revisits are marked."""
    if graph.node_count() == 0:
        return "(empty graph)"
    in_map = graph.in_map()
    roots = [n for n in graph.node_ids() if not in_map[n]] if graph.directed else []
    if not roots:
        roots = graph.node_ids()[:1]
    lines: list[str] = []
    seen: set[str] = set()
    budget = active()

    def walk(start: str) -> None:
        # (node, guides of the drawn levels, depth, last child?, root?, parent)
        stack: list[tuple[str, str, int, bool, bool, str | None]] = [(start, "", 0, True, True, None)]
        while stack:
            if budget is not None:
                budget.charge()
            node, prefix, depth, last, top, came_from = stack.pop()
            label = f"{node} ({_show(graph._nodes[node])})"
            if top:
                lines.append(label)
                child_prefix = ""
            else:
                # A node deeper than the drawn levels shows its depth where its guides were cut.
                elided = f"[depth {depth}] " if depth > ASCII_MAX_LEVELS + 1 else ""
                lines.append(elided + prefix + ("└── " if last else "├── ") + label + (" ↺" if node in seen else ""))
                child_prefix = prefix + ("    " if last else "│   ")
                if depth > ASCII_MAX_LEVELS:
                    child_prefix = child_prefix[4:]  # every level's guide is 4 characters
            if node in seen and not top:
                continue
            seen.add(node)
            # an undirected edge leads back to where we came from; that is not a child
            children = [
                c for c in graph._out[node] if c not in graph._internal_ids and (graph.directed or c != came_from)
            ]
            for index in range(len(children) - 1, -1, -1):
                stack.append((children[index], child_prefix, depth + 1, index == len(children) - 1, False, node))

    for root in roots:
        if root not in seen:
            walk(root)
    for node in graph.node_ids():
        if node not in seen:
            walk(node)
    return "\n".join(lines)


def visualize(graph: "Graph") -> str:
    """A readable summary: header, nodes with values, edges with types and weights."""
    kind = graph.type_of() if graph.metadata.type_name else graph.graph_type
    lines = [f"Graph ({kind}): {graph.node_count()} nodes, {graph.edge_count()} edges"]
    for node_id, value in graph.data_items():
        lines.append(f"  [{node_id}] {_show(value)}")
    arrow = "->" if graph.directed else "--"
    for edge in graph.iter_edges():
        weight = f" ({_show(edge.weight)})" if edge.weight is not None else ""
        lines.append(f"  {edge.src} {arrow} {edge.dst} [{edge.type}]{weight}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- JSON


def _to_plain(value: Any) -> Any:
    from graphoid.graphs.graph import Graph

    if isinstance(value, Graph):
        return node_link(value)
    if isinstance(value, Symbol):
        return f":{value.name}"
    if isinstance(value, dict):
        return {str(key): _to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise GraphoidError("TypeError", f"Cannot export a {type(value).__name__} value to JSON")


def _from_plain(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get("graph") is True and "nodes" in value and "links" in value:
            return from_node_link(value)
        return GMap((key, _from_plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return GList(_from_plain(item) for item in value)
    return value


def node_link(graph: "Graph") -> dict[str, Any]:
    """The node-link dict (networkx's layout: nodes with ids, links with source/target)."""
    links = []
    for edge in graph.iter_edges():
        link: dict[str, Any] = {"source": edge.src, "target": edge.dst, "type": edge.type}
        if edge.weight is not None:
            link["weight"] = _to_plain(edge.weight)
        if edge.props is not None:
            link["properties"] = _to_plain(edge.props)
        links.append(link)
    nodes = []
    for node_id, value in graph.data_items():
        entry: dict[str, Any] = {"id": node_id, "value": _to_plain(value)}
        node_type = graph.node_type(node_id)
        if node_type is not None:
            entry["node_type"] = node_type
        nodes.append(entry)
    return {"graph": True, "directed": graph.directed, "type": graph.graph_type, "nodes": nodes, "links": links}


def to_json(graph: "Graph") -> str:
    return json.dumps(node_link(graph), ensure_ascii=False)


def from_node_link(data: Any) -> "Graph":
    from graphoid.graphs.graph import Graph

    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise GraphoidError("ValueError", "Graph JSON needs a 'nodes' list")
    kind = data.get("type") or ("directed" if data.get("directed", True) else "undirected")
    graph = Graph(kind if kind in ("directed", "undirected") else "directed")
    graph.graph_type = kind if kind in ("directed", "undirected", "dag", "tree") else graph.graph_type
    for entry in data["nodes"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise GraphoidError("ValueError", "Every JSON node needs a string 'id'")
        graph.add_node(entry["id"], _from_plain(entry.get("value")))
        if entry.get("node_type") is not None:
            graph.set_node_type(entry["id"], entry["node_type"])
    for link in data.get("links", data.get("edges", [])):
        try:
            src, dst = link["source"], link["target"]
        except (KeyError, TypeError):
            raise GraphoidError("ValueError", "Every JSON link needs 'source' and 'target'") from None
        props = link.get("properties")
        graph.add_edge(
            str(src),
            str(dst),
            link.get("type", "edge"),
            link.get("weight"),
            _from_plain(props) if props is not None else None,
        )
    if kind in ("dag", "tree"):
        from graphoid.graphs import rules as graph_rules

        graph_rules.apply_ruleset(graph, kind)
    return graph


def from_json(text: Any) -> "Graph":
    """Parse node-link JSON text back into a graph."""
    if not isinstance(text, str):
        raise GraphoidError("TypeError", "graph_from_json expects a string")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphoidError("ParseError", f"Invalid graph JSON: {exc.msg} at line {exc.lineno}") from None
    return from_node_link(data)
