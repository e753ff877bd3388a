"""LALR tables for grammar/graphoid.lark: built by Lark once, then cached as plain data.

Lark computes the LALR(1) automaton and the shape of each rule's children (which tokens
are filtered, which `_rule`s are spliced in, where `[optional]` placeholders go). We
export exactly that as tuples and dicts and pickle it, keyed by the grammar's hash, so a
normal start-up neither imports Lark nor rebuilds anything (see docs/syntax.md).
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path
from typing import Any

import attrs

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


def _digest(text: str) -> str:
    # Names the cache file; the full grammar text stored inside is what validates it.
    return f"{zlib.crc32(text.encode('utf-8')):08x}{len(text):x}"


def _cache_paths(digest: str) -> list[Path]:
    name = f"graphoid-lalr-{digest}.pickle"
    paths = []
    env = os.environ.get("GRAPHOID_CACHE_DIR")
    if env:
        paths.append(Path(env) / name)
    # A per-user cache, outside the source tree (which may be read-only or under git).
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    paths.append(base / "graphoid" / name)
    return paths


def _temp_path(digest: str) -> Path:
    import tempfile  # only on a cache miss: tempfile is slow to import

    return Path(tempfile.gettempdir()) / f"graphoid-lalr-{digest}.pickle"


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
    """The tables for the current grammar: from the cache, else built (and cached)."""
    text = grammar_text()
    digest = _digest(text)
    paths = _cache_paths(digest)
    for path in paths + [None]:
        if path is None:
            path = _temp_path(digest)
            paths.append(path)
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)
            tables = _from_plain(data)
            if tables.grammar == text:
                return tables
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError,
                IndexError, KeyError):
            continue
    tables = build_tables(text)
    data = pickle.dumps(_to_plain(tables), protocol=pickle.HIGHEST_PROTOCOL)
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            break
        except OSError:
            continue
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
