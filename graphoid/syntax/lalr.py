"""A small LALR(1) driver over the exported Lark tables (graphoid/syntax/tables.py).

Each reduction shapes its children the way Lark would (filtered tokens, spliced `_rules`,
`[optional]` placeholders, `?rule` pass-through) and calls the builder, so the AST is
built bottom-up without recursion.
"""

from __future__ import annotations

from typing import Any, Callable

import attrs

from graphoid.syntax.lexer import Token
from graphoid.syntax.tables import Tables


@attrs.define(slots=True)
class ParseFailure(Exception):
    """The parser met `token` in a state that only accepts `expected`."""

    token: Token
    expected: frozenset[str]


class LALRParser:
    """Runs the tables; `callbacks` maps a callback name to a builder method."""

    def __init__(self, tables: Tables, builder: Any) -> None:
        self.states = tables.states
        self.start = tables.start
        self.end = tables.end
        reducers: list[tuple[str, int, Callable[[list], Any] | None, bool, Any, int]] = []
        for shape in tables.rules:
            callback = None
            if shape.callback is not None:
                callback = getattr(builder, shape.callback, None)
                if callback is None:
                    if not shape.expand1:
                        raise RuntimeError(f"grammar rule '{shape.callback}' has no builder method")
                    callback = _missing(shape.callback)
            reducers.append((shape.origin, shape.size, callback, shape.expand1, shape.include,
                             shape.nones_after))
        self.reducers = reducers

    def parse(self, tokens: list[Token], end_token: Token) -> Any:
        """Parse the token list; raises ParseFailure at the first token no state accepts."""
        states = self.states
        reducers = self.reducers
        end_state = self.end
        state_stack = [self.start]
        value_stack: list[Any] = []
        push_state = state_stack.append
        push_value = value_stack.append
        for token in _with_end(tokens, end_token):
            kind = token.type
            while True:
                row = states[state_stack[-1]]
                action = row.get(kind)
                if action is None:
                    expected = frozenset(k for k in row if k.isupper() or k == "$END")
                    raise ParseFailure(token, expected)
                if action[0]:
                    push_state(action[1])
                    push_value(token)
                    break
                origin, size, callback, expand1, include, nones_after = reducers[action[1]]
                if size == 1 and include is None and (expand1 or callback is None):
                    # A `?rule` passing its only child through: just change state.
                    state_stack.pop()
                    value = value_stack[-1] if expand1 else [value_stack[-1]]
                    value_stack[-1] = value
                    push_state(states[state_stack[-1]][origin][1])
                    if kind == "$END" and state_stack[-1] == end_state:
                        return value
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                if include is not None:
                    children = _shape(children, include, nones_after)
                if callback is None:
                    value = children
                elif expand1 and len(children) == 1:
                    value = children[0]
                else:
                    value = callback(children)
                goto = states[state_stack[-1]][origin][1]
                push_state(goto)
                push_value(value)
                if kind == "$END" and goto == end_state:
                    return value
        raise ParseFailure(end_token, frozenset())


def _with_end(tokens: list[Token], end_token: Token) -> Any:
    yield from tokens
    yield end_token


def _shape(children: list[Any], include: tuple, nones_after: int) -> list[Any]:
    """Filter tokens, splice `_rule` lists and add `[optional]` placeholders, like Lark."""
    shaped: list[Any] = []
    for index, splice, nones in include:
        if nones:
            shaped.extend([None] * nones)
        if splice:
            if shaped:
                shaped.extend(children[index])
            else:
                # Reuse the spliced list: left-recursive `x*` stays linear.
                shaped = children[index]
        else:
            shaped.append(children[index])
    if nones_after:
        shaped.extend([None] * nones_after)
    return shaped


def _missing(name: str) -> Callable[[list], Any]:
    """A `?rule` with no builder method only ever passes one child through."""

    def fail(children: list) -> Any:
        raise RuntimeError(f"grammar rule '{name}' reduced {len(children)} children without a builder")

    return fail
