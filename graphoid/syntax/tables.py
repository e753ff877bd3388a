"""LALR tables for grammar/graphoid.lark: built by Lark once, then cached as plain data.

Lark computes the LALR(1) automaton and the shape of each rule's children (which tokens
are filtered, which `_rule`s are spliced in, where `[optional]` placeholders go). We
export exactly that as tuples and dicts and marshal it into the user cache
(graphoid/usercache.py), keyed by the grammar's hash, so a normal start-up neither imports Lark nor rebuilds anything (see docs/syntax.md).
"""

from __future__ import annotations

import marshal
import zlib
from typing import Any

import attrs

from graphoid import usercache
from graphoid.resources import grammar_dir

TABLE_FORMAT = 1


@attrs.frozen(slots=True)
class RuleShape:
    """How to turn the values popped for one reduction into callback arguments.

    include: (index, splice, nones_before) per kept child; nones_after: trailing placeholders;
    callback: builder method name, or None to hand the list up for splicing (`_rule`);
    expand1: a `?rule` with a single child passes that child through unchanged.
    """

    origin: str
    size: int
    callback: str | None
    expand1: bool
    include: tuple[tuple[int, bool, int], ...] | None
    nones_after: int


@attrs.frozen(slots=True)
class Tables:
    """states[s][terminal_or_rule] = (shift?, target state or rule index)."""

    states: tuple[dict[str, tuple[bool, int]], ...]
    rules: tuple[RuleShape, ...]
    start: int
    end: int
    grammar: str


def grammar_text() -> str:
    return (grammar_dir() / "graphoid.lark").read_text(encoding="utf-8")


def _cache_name_and_key(text: str) -> tuple[str, bytes]:
    # Names the cache entry; the full grammar text stored inside is what validates it.
    digest = f"{zlib.crc32(text.encode('utf-8')):08x}{len(text):x}"
    return f"lalr-{digest}-{TABLE_FORMAT}.marshal", digest.encode("ascii").ljust(usercache.KEY_SIZE, b"-")[:usercache.KEY_SIZE]


def build_tables(text: str) -> Tables:
    """Run Lark's LALR analysis on the grammar and export it as plain data."""
    from lark import Lark
    from lark.lexer import Lexer
    from lark.parsers.lalr_analysis import Shift

    class _NoLexer(Lexer):
        def __init__(self, conf: Any) -> None:
            pass

        def lex(self, state: Any, parser_state: Any) -> Any:
            return iter(())

    lark = Lark(text, parser="lalr", lexer=_NoLexer, maybe_placeholders=True)
    table = lark.parser.parser.parser.parse_table
    rule_index: dict[Any, int] = {}
    shapes: list[RuleShape] = []

    def index_of(rule: Any) -> int:
        if rule not in rule_index:
            rule_index[rule] = len(shapes)
            shapes.append(_shape(rule))
        return rule_index[rule]

    state_ids = sorted(table.states)
    states: list[dict[str, tuple[bool, int]]] = []
    for sid in state_ids:
        row: dict[str, tuple[bool, int]] = {}
        for sym, (action, arg) in table.states[sid].items():
            row[str(sym)] = (True, arg) if action is Shift else (False, index_of(arg))
        states.append(row)
    if state_ids != list(range(len(state_ids))):
        raise RuntimeError("unexpected LALR state numbering")
    return Tables(tuple(states), tuple(shapes), table.start_states["start"],
                  table.end_states["start"], text)


def _shape(rule: Any) -> RuleShape:
    expansion = rule.expansion
    options = rule.options
    empty = options.empty_indices
    if empty:
        s = "".join(str(int(b)) for b in empty)
        nones = [len(ones) for ones in s.split("0")]
    else:
        nones = [0] * (len(expansion) + 1)
    include: list[tuple[int, bool, int]] = []
    pending = 0
    for i, sym in enumerate(expansion):
        pending += nones[i]
        if not (sym.is_term and sym.filter_out):
            include.append((i, (not sym.is_term) and sym.name.startswith("_"), pending))
            pending = 0
    pending += nones[len(expansion)]
    trivial = not empty and len(include) == len(expansion) and not any(x[1] for x in include)
    name = rule.alias or rule.origin.name
    splice = name.startswith("_") and not rule.alias
    return RuleShape(
        origin=str(rule.origin.name),
        size=len(expansion),
        callback=None if splice else str(name),
        expand1=bool(options.expand1) and not rule.alias,
        include=None if trivial else tuple(include),
        nones_after=pending,
    )


def load_tables() -> Tables:
    """The tables for the current grammar: from the user cache, else built (and cached)."""
    text = grammar_text()
    name, key = _cache_name_and_key(text)
    payload = usercache.read_entry(name, key)
    if payload is not None:
        try:
            tables = _from_plain(marshal.loads(payload))
            if tables.grammar == text:
                return tables
        except (EOFError, ValueError, TypeError, IndexError):
            pass  # a stale or damaged entry: rebuild and overwrite it
    tables = build_tables(text)
    usercache.write_entry(name, key, marshal.dumps(_to_plain(tables)))
    return tables


def _to_plain(tables: Tables) -> tuple:
    """Builtin types only, so loading the cache needs no class lookups."""
    rules = tuple(attrs.astuple(r, recurse=False) for r in tables.rules)
    return (TABLE_FORMAT, tables.grammar, tables.start, tables.end, tables.states, rules)


def _from_plain(data: tuple) -> Tables:
    fmt, grammar, start, end, states, rules = data
    if fmt != TABLE_FORMAT:
        raise ValueError("old table format")
    return Tables(states, tuple(RuleShape(*r) for r in rules), start, end, grammar)
