"""The four non-data layers of a graph (behavior, control, metadata, boundary).

The data layer (nodes, adjacency, properties) lives directly on `Graph` because it is the hot
path; these layers are small attrs records that the Graph owns. `is_internal` is the one
predicate that separates data from everything else.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import attrs

INTERNAL_PREFIX = "__"


def is_internal(node_id: str) -> bool:
    """True for ids reserved for the non-data layers (`__properties__/x`, `__methods__`, ...)."""
    return node_id.startswith(INTERNAL_PREFIX)


@attrs.define(slots=True)
class MethodSet:
    """Every variant of one user method: guarded variants are tried first, in definition order."""

    guarded: list[tuple[Callable[..., Any], Callable[..., Any]]] = attrs.field(factory=list)
    default: Callable[..., Any] | None = None
    private: bool = False

    def copy(self) -> "MethodSet":
        return MethodSet(list(self.guarded), self.default, self.private)

    def functions(self) -> list[Callable[..., Any]]:
        found = [fn for _, fn in self.guarded]
        if self.default is not None:
            found.append(self.default)
        return found


@attrs.define(slots=True)
class BehaviorLayer:
    """Methods, static methods, setters and the messaging behaviour template."""

    methods: dict[str, MethodSet] = attrs.field(factory=dict)
    statics: dict[str, Callable[..., Any]] = attrs.field(factory=dict)
    setters: dict[str, Callable[..., Any]] = attrs.field(factory=dict)
    # (activated handlers are cached in the graph's messaging DeliveryPlan, see messaging/local.py)
    handler_template: Any = None

    def copy(self) -> "BehaviorLayer":
        return BehaviorLayer(
            {name: entry.copy() for name, entry in self.methods.items()},
            dict(self.statics),
            dict(self.setters),
            self.handler_template,
        )

    def is_empty(self) -> bool:
        return not (self.methods or self.statics or self.setters)


@attrs.define(slots=True)
class ControlLayer:
    """Rules (structural, transforming, user), rulesets, the frozen flag, method constraints.

    The three sequences are never changed in place: adding or removing replaces them (they
    are tiny), so copies share them and an empty layer allocates nothing. Messaging creates
    one instance per node; empty lists were most of the objects the cyclic GC then scanned.
    """

    rules: Sequence[Any] = ()
    rulesets: Sequence[str] = ()
    frozen: bool = False
    constraints: Sequence[tuple[Callable[..., Any], str]] = ()

    def copy(self) -> "ControlLayer":
        return ControlLayer(self.rules, self.rulesets, False, self.constraints)


@attrs.define(slots=True)
class MetadataLayer:
    """Type name, template (instance -> class), parent (inheritance), partition information."""

    type_name: str | None = None
    template: Any = None
    parent: Any = None
    partition: dict[str, Any] = attrs.field(factory=dict)

    def copy(self) -> "MetadataLayer":
        return MetadataLayer(self.type_name, self.template, self.parent, dict(self.partition))


@attrs.define(slots=True)
class BoundaryLayer:
    """External interfaces attached to the graph (name -> value); empty for ordinary graphs."""

    interfaces: dict[str, Any] = attrs.field(factory=dict)

    def copy(self) -> "BoundaryLayer":
        return BoundaryLayer(dict(self.interfaces))
