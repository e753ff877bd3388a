"""Registers the builtin graph methods and the graph builtins (node, edge, path, ...).

`Graph` has its own `call` (user methods first), so the registry keeps these in its delegated
table: `find_method(g, name)` answers them and `method_names(g)` lists them for hints.
"""

from __future__ import annotations

from typing import Any

from graphoid.values.format import register_display, register_type_name
from graphoid.graphs.graph import Graph
from graphoid.graphs.methods import GRAPH_METHODS
from graphoid.values.methods.registry import method
from graphoid.values.ops import register_graph_type
from graphoid.graphs.patterns import EdgePattern, MatchResults, NodePattern, PathPattern, Pattern


def graph_builtins() -> dict[str, Any]:
    """Global functions the graph package contributes to the Graphoid builtins."""
    from graphoid.graphs.patterns import edge, node, path

    def graph_from_json(text: Any) -> Graph:
        from graphoid.graphs.export import from_json  # on first use: export imports json

        return from_json(text)

    graph_from_json._gd_name = "graph_from_json"  # type: ignore[attr-defined]
    graph_from_json._gd_params = ("text",)  # type: ignore[attr-defined]
    return {"node": node, "edge": edge, "path": path, "graph_from_json": graph_from_json}


def _register() -> None:
    for name, fn in GRAPH_METHODS.items():
        method(Graph, name)(fn)
    for py_type in (NodePattern, EdgePattern, PathPattern, Pattern, MatchResults):
        register_type_name(py_type, py_type.gd_type_name)
        register_display(py_type, py_type.display)
    register_type_name(Graph, "graph")
    register_display(Graph, Graph.display)
    register_graph_type(Graph)


_register()
