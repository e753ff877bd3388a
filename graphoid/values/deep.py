"""Walking nested lists and maps without Python recursion.

The runtime's value functions (display, equality, conversion to and from Python, deep copy)
recurse over lists and maps: that is fast, and values are rarely deep. A value nested deeper
than the Python stack allows (a loop doing `x = [x]` 100000 times) makes them raise
RecursionError; each then catches it and redoes that part with the explicit-stack walks here.
Catching at every level is what makes this work: the innermost handler has no stack left, so
its walk fails too and the RecursionError moves up, until a level with room for the walk.
"""

from __future__ import annotations

from typing import Any, Callable

from graphoid.errors import GraphoidError

def _is_container(value: Any) -> bool:
    return isinstance(value, (list, tuple, dict))


def _contains_itself(value: Any) -> GraphoidError:
    what = "map" if isinstance(value, dict) else "list"
    return GraphoidError("ValueError", f"a {what} that contains itself has no finite value")


def rebuild(
    root: Any,
    leaf: Callable[[Any], Any],
    make_list: Callable[[Any, list[Any]], Any],
    make_map: Callable[[Any, list[tuple[Any, Any]]], Any],
) -> Any:
    """Rebuild a nested value bottom-up: `leaf(v)` for every value that is not a list, tuple
    or dict, `make_list(original, items)` and `make_map(original, pairs)` for those that are."""
    if not _is_container(root):
        return leaf(root)
    # One frame per open container: [container, its (key, child) iterator, results so far,
    # is it a map, the key of the child being rebuilt].
    stack: list[list[Any]] = [_frame(root)]
    on_path = {id(root)}
    while True:
        frame = stack[-1]
        container, children, done, is_map = frame[0], frame[1], frame[2], frame[3]
        for key, child in children:
            if _is_container(child):
                if id(child) in on_path:
                    raise _contains_itself(child)
                frame[4] = key
                on_path.add(id(child))
                stack.append(_frame(child))
                break
            done.append((key, leaf(child)) if is_map else leaf(child))
        else:
            stack.pop()
            on_path.discard(id(container))
            result = make_map(container, done) if is_map else make_list(container, done)
            if not stack:
                return result
            parent = stack[-1]
            parent[2].append((parent[4], result) if parent[3] else result)


def _frame(container: Any) -> list[Any]:
    if isinstance(container, dict):
        return [container, iter(container.items()), [], True, None]
    return [container, ((None, child) for child in container), [], False, None]


def all_pairs_equal(
    a: Any, b: Any, equal_leaves: Callable[[Any, Any], bool], sequences: frozenset, mappings: frozenset
) -> bool:
    """Structural equality without recursion: lists (types in `sequences`) element by element,
    maps (types in `mappings`) key by key, every other pair by `equal_leaves`."""
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if x is y:
            continue
        tx, ty = type(x), type(y)
        if tx in sequences and ty in sequences:
            if len(x) != len(y):
                return False
            pending.extend(zip(x, y))
        elif tx in mappings and ty in mappings:
            if len(x) != len(y):
                return False
            for key, item in x.items():
                if key not in y:
                    return False
                pending.append((item, y[key]))
        elif not equal_leaves(x, y):
            return False
    return True
