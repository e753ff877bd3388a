"""Behaviours (value-transforming rules) on lists and maps: `add_rule`, `remove_rule`.

A rule is an immutable `Rule(name, params, fn)`; a collection's `rules` is a tuple of them, so
copies share it safely. `add_rule` returns a new collection whose current elements (map values)
are transformed; every later append/insert/index assignment runs the same chain, in the order
the rules were added.
"""

from __future__ import annotations

from typing import Any, Callable

import attrs

from graphoid.errors import GraphoidError
from graphoid.values.format import equals, type_name
from graphoid.values.methods.common import is_number, round_half_away, want_symbol
from graphoid.values.methods.registry import method
from graphoid.values.types import GList, GMap, Symbol


@attrs.frozen(slots=True)
class Rule:
    """One behaviour: its symbol name, its parameters and the per-value transformation."""

    name: str
    params: tuple
    transform: Callable[[Any], Any] | None

    def describe(self) -> str:
        return ":" + self.name if not self.params else f":{self.name}({', '.join(map(str, self.params))})"


def _numeric(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: fn(v) if is_number(v) else v


def _text(fn: Callable[[str], str]) -> Callable[[Any], Any]:
    return lambda v: fn(v) if type(v) is str else v


def _round_to_int(v: Any) -> Any:
    return int(round_half_away(float(v))) if type(v) is float else v


def _clamp(low: Any, high: Any) -> Callable[[Any], Any]:
    return _numeric(lambda v: low if v < low else high if v > high else v)


def _reject_frozen(v: Any) -> Any:
    if getattr(v, "frozen", False):
        raise GraphoidError("RuleError", "Rule :no_frozen rejects frozen values")
    return v


def _copy_element(v: Any) -> Any:
    copy = getattr(v, "copy", None)
    return copy() if copy is not None and (type(v) is GList or type(v) is GMap) else v


_SIMPLE: dict[str, Callable[[Any], Any] | None] = {
    "none_to_zero": lambda v: 0 if v is None else v,
    "none_to_empty": lambda v: "" if v is None else v,
    "positive": _numeric(abs),
    "round_to_int": _round_to_int,
    "uppercase": _text(str.upper),
    "lowercase": _text(str.lower),
    "no_frozen": _reject_frozen,
    "copy_elements": _copy_element,
    # Structural rules: no per-value transformation, checked where they matter.
    "no_duplicates": None,
    "shallow_freeze_only": None,
}
_ALIASES = {"no_dups": "no_duplicates"}


def make_rule(args: tuple) -> Rule:
    """Build a Rule from `add_rule` arguments (a symbol and its parameters, or a function)."""
    if not args or len(args) > 3:
        raise GraphoidError("TypeError", f"add_rule() expects 1-3 arguments, but got {len(args)}")
    head = args[0]
    if callable(head) and type(head) is not Symbol:
        return Rule("custom", (), head)
    name = want_symbol("add_rule", head).name
    name = _ALIASES.get(name, name)
    params = args[1:]
    if name == "validate_range":
        if len(params) != 2 or not all(is_number(p) for p in params):
            raise GraphoidError("TypeError", "validate_range requires 2 number arguments (min, max)")
        return Rule(name, tuple(params), _clamp(params[0], params[1]))
    if name not in _SIMPLE:
        raise GraphoidError("RuntimeError", f"Unknown rule: :{name}")
    for p in params:
        if not is_number(p):
            raise GraphoidError("TypeError", f"add_rule() parameter must be a number, got {type_name(p)}")
    return Rule(name, tuple(params), _SIMPLE[name])


def transform_one(container: Any, value: Any) -> Any:
    """Run a collection's rule chain over one incoming value."""
    for rule in container.rules:
        if rule.transform is not None:
            value = rule.transform(value)
    return value


def has_rule(container: Any, name: str) -> bool:
    rules = container.rules
    return bool(rules) and any(r.name == name for r in rules)


def admits(glist: GList, value: Any) -> bool:
    """False when `:no_duplicates` forbids adding `value` (already present) to `glist`."""
    if has_rule(glist, "no_duplicates"):
        return not any(equals(value, x) for x in glist)
    return True


def _dedupe(items: list) -> list:
    kept: list = []
    for x in items:
        if not any(equals(x, y) for y in kept):
            kept.append(x)
    return kept


def _apply_all(container: Any) -> Any:
    """Transform every element (list) or value (map) through the current chain."""
    if type(container) is GMap:
        out = GMap({k: transform_one(container, v) for k, v in container.items()})
    else:
        items = [transform_one(container, v) for v in container]
        if has_rule(container, "no_duplicates"):
            items = _dedupe(items)
        out = GList(items)
    out.rules = container.rules
    return out


@method(GList, "add_rule")
@method(GMap, "add_rule")
def add_rule(receiver: Any, *args: Any) -> Any:
    """A new collection with the rule added and applied to existing elements."""
    rule = make_rule(args)
    holder = receiver.copy()
    existing = receiver.rules or ()
    if rule.name != "custom" and any(r.name == rule.name and r.params == rule.params for r in existing):
        return holder
    holder.rules = existing + (rule,)
    return _apply_all(holder)


@method(GList, "remove_rule")
@method(GMap, "remove_rule")
def remove_rule(receiver: Any, *args: Any) -> Any:
    """A new collection without the rule; elements keep their already transformed values."""
    if not args or len(args) > 3:
        raise GraphoidError("TypeError", f"remove_rule() expects 1 or 2 arguments, but got {len(args)}")
    name = _ALIASES.get(want_symbol("remove_rule", args[0]).name, args[0].name)
    params = tuple(args[1:])
    out = receiver.copy()
    kept = tuple(r for r in (receiver.rules or ()) if not (r.name == name and (not params or r.params == params)))
    out.rules = kept or None
    return out


@method(GList, "has_rule")
@method(GMap, "has_rule")
def has_rule_method(receiver: Any, rule: Any) -> bool:
    name = want_symbol("has_rule", rule).name
    return has_rule(receiver, _ALIASES.get(name, name))


@method(GList, "rules")
@method(GMap, "rules")
def rules_method(receiver: Any) -> GList:
    """The symbols of the attached rules, in application order."""
    return GList(Symbol(r.name) for r in (receiver.rules or ()))
