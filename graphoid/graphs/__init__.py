"""The graph value and everything about it: layers, rules, class-like graphs, algorithms,
export, patterns and the graph method table.

Importing any module of this package registers the graph methods (registration.py): the value
module cannot import its own method table, which imports it. Layers above add methods to every
graph with `methods.add_graph_method` (messaging does); this package never imports them.
"""

from graphoid.graphs import registration as _registration  # noqa: F401  (registers graph methods)
