"""Graph algorithms over the data layer: traversal, paths, cycles, ordering, components.

Every function is iterative (no recursion limit on deep graphs) and visits neighbours in edge
insertion order, so results are deterministic. Undirected graphs follow edges both ways
because their adjacency already stores both directions. Under limits every iteration of a
search loop is a budget step (graphoid.values.limits), so exponential searches stop in time.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import TYPE_CHECKING, Any

from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Edge, entry_type
from graphoid.values.types import GList
from graphoid.values.format import type_name
from graphoid.values.limits import active

if TYPE_CHECKING:
    from graphoid.graphs.graph import Graph


def _require(graph: "Graph", node_id: Any) -> None:
    if node_id.__class__ is not str:
        raise GraphoidError("TypeError", f"Node id must be a string, got {type_name(node_id)}")
    if node_id not in graph._nodes:
        raise GraphoidError("KeyError", f"Graph has no node '{node_id}'")


def _type_filter(edge_type: Any) -> str | None:
    from graphoid.graphs.graph import symbol_name

    if edge_type is None or edge_type == "*":
        return None
    return symbol_name(edge_type)


def bfs(graph: "Graph", start: str, edge_type: Any = None) -> GList:
    """Node ids reachable from `start` in breadth-first order (start first)."""
    _require(graph, start)
    kind = _type_filter(edge_type)
    out = graph._out
    seen = {start}
    order = [start]
    queue = deque((start,))
    pop, push, add = queue.popleft, queue.append, seen.add
    budget = active()
    while queue:
        if budget is not None:
            budget.charge()
        node = pop()
        for nbr, edge in out[node].items():
            if nbr in seen or (kind is not None and entry_type(edge) != kind):
                continue
            add(nbr)
            order.append(nbr)
            push(nbr)
    return GList(order)


def dfs(graph: "Graph", start: str, edge_type: Any = None) -> GList:
    """Node ids reachable from `start` in depth-first preorder (neighbours in insertion order)."""
    _require(graph, start)
    kind = _type_filter(edge_type)
    out = graph._out
    seen: set[str] = set()
    order: list[str] = []
    stack = [start]
    budget = active()
    while stack:
        if budget is not None:
            budget.charge()
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        nbrs = [n for n, e in out[node].items() if n not in seen and (kind is None or entry_type(e) == kind)]
        stack.extend(reversed(nbrs))
    return GList(order)


def has_path(graph: "Graph", src: str, dst: str) -> bool:
    if src not in graph._nodes or dst not in graph._nodes:
        return False
    if src == dst:
        return True
    out = graph._out
    seen = {src}
    stack = [src]
    budget = active()
    while stack:
        if budget is not None:
            budget.charge()
        for nbr in out[stack.pop()]:
            if nbr == dst:
                return True
            if nbr not in seen:
                seen.add(nbr)
                stack.append(nbr)
    return False


def _weight(edge: Any) -> float:
    weight = edge.weight
    if weight is None:
        return 1
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise GraphoidError("TypeError", f"Edge {edge.src} -> {edge.dst} has a non-numeric weight")
    if weight < 0:
        raise GraphoidError("ValueError", f"Edge {edge.src} -> {edge.dst} has a negative weight")
    return weight


def _dijkstra(graph: "Graph", src: str, dst: str, edge_type: Any) -> tuple[list[str], Any]:
    """(path, cost) by edge weight; an empty path when dst is unreachable. Unweighted edges cost 1."""
    _require(graph, src)
    _require(graph, dst)
    kind = _type_filter(edge_type)
    out = graph._out
    best: dict[str, Any] = {src: 0}
    prev: dict[str, str] = {}
    heap: list[tuple[Any, int, str]] = [(0, 0, src)]
    counter = 1
    done: set[str] = set()
    budget = active()
    while heap:
        if budget is not None:
            budget.charge()
        cost, _, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        if node == dst:
            break
        for nbr, edge in out[node].items():
            if kind is not None and entry_type(edge) != kind:
                continue
            step = _weight(edge) if edge.__class__ is Edge else 1  # a plain entry has no weight
            total = cost + step
            if nbr not in best or total < best[nbr]:
                best[nbr] = total
                prev[nbr] = node
                heapq.heappush(heap, (total, counter, nbr))
                counter += 1
    if dst not in done:
        return [], None
    path = [dst]
    while path[-1] != src:
        path.append(prev[path[-1]])
    path.reverse()
    return path, best[dst]


def _bfs_path(graph: "Graph", src: str, dst: str, edge_type: Any) -> list[str]:
    """Fewest-hops path (first found in breadth-first, insertion order); [] when unreachable."""
    _require(graph, src)
    _require(graph, dst)
    if src == dst:
        return [src]
    kind = _type_filter(edge_type)
    out = graph._out
    prev: dict[str, str] = {src: src}
    queue = deque((src,))
    budget = active()
    while queue:
        if budget is not None:
            budget.charge()
        node = queue.popleft()
        for nbr, edge in out[node].items():
            if nbr in prev or (kind is not None and entry_type(edge) != kind):
                continue
            prev[nbr] = node
            if nbr == dst:
                path = [dst]
                while path[-1] != src:
                    path.append(prev[path[-1]])
                path.reverse()
                return path
            queue.append(nbr)
    return []


def shortest_path(graph: "Graph", src: str, dst: str, edge_type: Any = None, weighted: bool = False) -> GList | None:
    """Fewest hops (BFS), or the cheapest path by edge weight when `weighted` (Dijkstra;
    missing weights count 1); none when dst is unreachable, as in the reference."""
    if weighted:
        path, _ = _dijkstra(graph, src, dst, edge_type)
    else:
        path = _bfs_path(graph, src, dst, edge_type)
    return GList(path) if path else None


def distance(graph: "Graph", src: str, dst: str, edge_type: Any = None, weighted: bool = False) -> Any:
    """Edges on the fewest-hops path, or its total weight when `weighted`; none when unreachable."""
    if weighted:
        _, cost = _dijkstra(graph, src, dst, edge_type)
        return cost
    path = _bfs_path(graph, src, dst, edge_type)
    return len(path) - 1 if path else None


def path_distance(graph: "Graph", path: list[str]) -> Any:
    total: Any = 0
    for src, dst in zip(path, path[1:]):
        edge = graph.get_edge(src, dst)
        if edge is None:
            raise GraphoidError("ValueError", f"No edge {src} -> {dst} on the given path")
        total += _weight(edge)
    return total


def all_paths(graph: "Graph", src: str, dst: str, max_length: Any = None) -> GList:
    """Every simple path src -> dst with at most `max_length` edges, in DFS order."""
    _require(graph, src)
    _require(graph, dst)
    limit = len(graph._nodes) if max_length is None else int(max_length)
    out = graph._out
    found: list[GList] = []
    path = [src]
    on_path = {src}
    stack = [iter(out[src])]
    budget = active()
    while stack:
        if budget is not None:
            budget.charge()
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if nxt in on_path:
            continue
        if nxt == dst:
            if len(path) <= limit:
                found.append(GList(path + [dst]))
            continue
        if len(path) < limit:
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(out[nxt]))
    return GList(found)


def topological_sort(graph: "Graph") -> GList:
    """Kahn's algorithm, ties broken by node insertion order; a cycle is an error."""
    if not graph.directed:
        raise GraphoidError("RuntimeError", "topological_sort needs a directed graph")
    indeg = {node: len(preds) for node, preds in graph.in_map().items()}
    queue = deque(node for node, count in indeg.items() if count == 0)
    order: list[str] = []
    out = graph._out
    budget = active()
    while queue:
        if budget is not None:
            budget.charge()
        node = queue.popleft()
        order.append(node)
        for nbr in out[node]:
            indeg[nbr] -= 1
            if indeg[nbr] == 0:
                queue.append(nbr)
    if len(order) != len(indeg):
        raise GraphoidError("RuntimeError", "topological_sort: the graph has a cycle")
    internal = graph._internal_ids
    return GList(node for node in order if node not in internal)


def has_cycle(graph: "Graph") -> bool:
    if not graph.directed:
        return _undirected_cycle(graph)
    out = graph._out
    state: dict[str, int] = {}
    for root in graph._nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        budget = active()
        while stack:
            if budget is not None:
                budget.charge()
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                continue
            mark = state.get(nxt)
            if mark == 1:
                return True
            if mark is None:
                state[nxt] = 1
                stack.append((nxt, iter(out[nxt])))
    return False


def _undirected_cycle(graph: "Graph") -> bool:
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        parent[node] = root
        return root

    for edge in graph.iter_edges(include_internal=True):
        if edge.src == edge.dst:
            return True
        a, b = find(edge.src), find(edge.dst)
        if a == b:
            return True
        parent[a] = b
    return False


def connected_components(graph: "Graph") -> GList:
    """Weakly connected components of the data layer, each in BFS order."""
    out, inn = graph._out, graph.in_map()
    internal = graph._internal_ids
    seen: set[str] = set()
    components: list[GList] = []
    for root in graph._nodes:
        if root in seen or root in internal:
            continue
        seen.add(root)
        comp = [root]
        queue = deque((root,))
        budget = active()
        while queue:
            if budget is not None:
                budget.charge()
            node = queue.popleft()
            for nbr in list(out[node]) + list(inn[node]):
                if nbr not in seen and nbr not in internal:
                    seen.add(nbr)
                    comp.append(nbr)
                    queue.append(nbr)
        components.append(GList(comp))
    return GList(components)


def is_connected(graph: "Graph") -> bool:
    return len(connected_components(graph)) <= 1


def subgraph(graph: "Graph", node_ids: Any) -> "Graph":
    """A new graph with the given nodes (values deep-copied) and the edges among them."""
    from graphoid.graphs.graph import deep_copy_value

    wanted = [node for node in node_ids if node in graph._nodes]
    keep = set(wanted)
    new = graph.empty_like()
    new.control.rules = []
    new._refresh_guard()
    for node in wanted:
        new.add_node(node, deep_copy_value(graph._nodes[node]))
    for edge in graph.iter_edges(include_internal=True):
        if edge.src in keep and edge.dst in keep:
            new.raw_add_edge(Edge(edge.src, edge.dst, edge.type, edge.weight, edge.props))
    new.control = graph.control.copy()
    new._refresh_guard()
    return new
