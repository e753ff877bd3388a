"""`reflect.pattern(expr[, guard])`: the special form that reads its pattern unevaluated.

The compiler describes the pattern argument's shape as a constant; the runtime
(graphoid.runtime.introspection.pattern_graph) turns the description into the pattern graph.

A description is one of
    ("map", ((key, part), ...))   ("list", (part, ...))   part
and a part is one of
    ("binding", name)   ("wildcard",)   ("literal", value)   ("symbol", name)   ("expression",)
where "expression" stands for anything else written as a map value or list element.
"""

from __future__ import annotations

from typing import Any

from graphoid.syntax import ast as g

WILDCARD = "_"


def describe_pattern(node: Any) -> tuple | str:
    """The description of pattern `node`, or an error message when it is not a pattern."""
    if isinstance(node, g.MapLit):
        return ("map", tuple((key, _describe_part(value)) for key, value in node.entries))
    if isinstance(node, g.ListLit):
        return ("list", tuple(_describe_part(item) for item in node.items))
    part = _describe_part(node)
    if part[0] == "expression":
        return (f"reflect.pattern needs a map, list, literal, name or _ as its pattern, "
                f"not {_article(type(node).__name__)} expression")
    return part


def _describe_part(node: Any) -> tuple:
    if isinstance(node, g.Name):
        return ("wildcard",) if node.id == WILDCARD else ("binding", node.id)
    if isinstance(node, g.SymbolLit):
        return ("symbol", node.name)
    if isinstance(node, g.Const):
        return ("literal", node.value)
    if (isinstance(node, g.Unary) and node.op == "-" and isinstance(node.operand, g.Const)
            and type(node.operand.value) in (int, float)):
        # `-5` parses as negation applied to 5; as a pattern it is the literal -5.
        return ("literal", -node.operand.value)
    return ("expression",)


def _article(word: str) -> str:
    return ("an " if word[0].lower() in "aeiou" else "a ") + word
