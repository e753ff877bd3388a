"""Builtin methods of every non-graph value, registered per Python type.

Importing this package registers all tables; `registry` holds dispatch. Graph methods live in
`methods/graph.py` (registered by the graph package into the same registry).
"""

from graphoid.values.methods import list as _list  # noqa: F401  (registers list methods)
from graphoid.values.methods import map as _map  # noqa: F401
from graphoid.values.methods import misc as _misc  # noqa: F401
from graphoid.values.methods import num as _num  # noqa: F401
from graphoid.values.methods import rules as _rules  # noqa: F401
from graphoid.values.methods import string as _string  # noqa: F401
from graphoid.values.methods.registry import (
    call_bang,
    call_method,
    find_method,
    get_index,
    method,
    method_names,
    set_index,
    universal,
)

__all__ = [
    "call_bang",
    "call_method",
    "find_method",
    "get_index",
    "method",
    "method_names",
    "set_index",
    "universal",
]
