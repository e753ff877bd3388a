"""Graphoid's abstract syntax tree: small frozen attrs classes, each with a source span.

This module is the contract between the parser (graphoid/syntax) and the compiler
(graphoid/compiler). Nothing downstream of the parser sees lark objects.

Conventions
- Every node has `span` (a Span) as its last field, given by keyword.
- Sequences are tuples, so nodes are hashable and immutable.
- Sugar is removed by the parser where the meaning is identical:
  `unless c { b }`     -> If(Unary("not", c), Block(b), None)
  `e unless c`         -> Ternary(e, Unary("not", c), None)
  `describe "x" { }`   -> Call(Name("describe"), [Arg(Const("x")), Arg(Lambda(...))])
  `obj.m(a) { |x| .. }`-> MethodCall(obj, "m", [Arg(a), Arg(Lambda(...))])
  `obj.prop { .. }`    -> MethodCall(obj, "prop", [Arg(Lambda(...))])  (statement level)
  `tree { }`           -> GraphLit(config=(), kind="tree")
  `100ms` / `2s`       -> Const(100) / Const(2000)
  `num x = 1`          -> Assign(Name("x"), Const(1), type_name="num")
"""

from __future__ import annotations

from typing import Union

import attrs


@attrs.frozen(slots=True)
class Span:
    """A source range: 1-based line and column; end is exclusive (column after the last char)."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def merge(self, other: "Span") -> "Span":
        return Span(self.file, self.line, self.col, other.end_line, other.end_col)


NO_SPAN = Span("<unknown>", 0, 0, 0, 0)


def node(cls):
    """Declare an AST node class: frozen, slotted, keyword `span` last."""
    return attrs.frozen(slots=True, kw_only=False)(cls)


# --------------------------------------------------------------------------- expressions


@node
class Const:
    """none, true, false, a number (int or float), a string. Durations are folded to numbers."""

    value: object
    span: Span = attrs.field(kw_only=True)


@node
class SymbolLit:
    """`:name`."""

    name: str
    span: Span = attrs.field(kw_only=True)


@node
class RegexLit:
    """`/pattern/flags` (flags a subset of "imsx")."""

    pattern: str
    flags: str
    span: Span = attrs.field(kw_only=True)


@node
class Name:
    """A bare identifier. Type words used as receivers (`list.generate`) are Names too."""

    id: str
    span: Span = attrs.field(kw_only=True)


@node
class ListLit:
    items: tuple["Expr", ...]
    span: Span = attrs.field(kw_only=True)


@node
class MapLit:
    """`{"k": v, other: w}`; keys are always strings (bare identifiers become strings)."""

    entries: tuple[tuple[str, "Expr"], ...]
    span: Span = attrs.field(kw_only=True)


@node
class Unary:
    """op is one of "-", "not", "~", "await"."""

    op: str
    operand: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class Binary:
    """Arithmetic, bitwise, comparison and regex-match operators.

    op is one of: + - * / // % ** ^ & | << >> == != < <= > >= =~ !~
    and the element-wise forms .+ .- .* ./ .// .% .^ .** .== .!= .< .<= .> .>=
    """

    op: str
    left: "Expr"
    right: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class Logical:
    """Short-circuit `and` / `or` (also spelled && / ||); the result is a bool."""

    op: str  # "and" | "or"
    left: "Expr"
    right: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class Ternary:
    """`value if cond else orelse`; suffix `value if cond` has orelse None (evaluates to none)."""

    value: "Expr"
    cond: "Expr"
    orelse: "Expr | None"
    span: Span = attrs.field(kw_only=True)


@node
class Arg:
    """A call argument; `name` is set for a named argument `key: value`."""

    value: "Expr"
    name: str | None = None
    span: Span = attrs.field(kw_only=True)


@node
class Call:
    """`f(args)`; also command-style calls and calls with a trailing block (block is the last Arg)."""

    func: "Expr"
    args: tuple[Arg, ...]
    span: Span = attrs.field(kw_only=True)


@node
class MethodCall:
    """`recv.name(args)`; `recv.name!(args)` has bang=True (call, then rebind the receiver)."""

    receiver: "Expr"
    name: str
    args: tuple[Arg, ...]
    bang: bool = False
    span: Span = attrs.field(kw_only=True)


@node
class SuperCall:
    """`super.name(args)` inside a class-like graph method."""

    name: str
    args: tuple[Arg, ...]
    span: Span = attrs.field(kw_only=True)


@node
class Attr:
    """Property access `obj.name` (no parentheses)."""

    obj: "Expr"
    name: str
    span: Span = attrs.field(kw_only=True)


@node
class Index:
    """`obj[index]`."""

    obj: "Expr"
    index: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class Param:
    """A function parameter; `rest` marks `...name` (collects the remaining arguments in a list)."""

    name: str
    default: "Expr | None" = None
    rest: bool = False
    span: Span = attrs.field(kw_only=True)


@node
class Lambda:
    """A function value.

    kind:
      "lambda" - `x => e`, `(a, b) => {...}`, `{ |x| ... }`, `{ || ... }`, trailing and command
                 blocks: the value of the last statement is returned.
      "fn"     - anonymous `fn(params) { body }`: like a named function, `none` unless `return`.
    body is an expression (for `x => e`) or a Block.
    """

    params: tuple[Param, ...]
    body: "Expr | Block"
    kind: str = "lambda"
    span: Span = attrs.field(kw_only=True)


@node
class If:
    """`if cond { then } else { orelse }`, statement or block-if expression.

    An `else if` chain is an `orelse` Block holding a single ExprStmt(If). `then` form
    (`if c then stmt else stmt`) is parsed into the same node with one-statement Blocks.
    The value of an If is the value of the executed block (none when no branch runs).
    """

    cond: "Expr"
    then: "Block"
    orelse: "Block | None"
    span: Span = attrs.field(kw_only=True)


@node
class Match:
    """`match subject { pattern [if guard] => body, ... }`; no arm matched gives none."""

    subject: "Expr"
    arms: tuple["MatchArm", ...]
    span: Span = attrs.field(kw_only=True)


@node
class MatchArm:
    pattern: "Pattern"
    guard: "Expr | None"
    body: "Expr | Block"
    span: Span = attrs.field(kw_only=True)


@node
class Raise:
    """`raise expr` (an expression in the reference)."""

    value: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class Instantiate:
    """`Name { prop: v, ... }`: clone a class-like graph template, overriding properties."""

    template: "Expr"
    props: tuple[tuple[str, "Expr"], ...]
    span: Span = attrs.field(kw_only=True)


@node
class GraphLit:
    """`graph { type: :directed, ruleset: :dag }`, `graph from Parent {}`, `tree {}` (kind="tree")."""

    config: tuple[tuple[str, "Expr"], ...]
    parent: "Expr | None" = None
    kind: str = "graph"
    span: Span = attrs.field(kw_only=True)


@node
class PatternEdge:
    """One clause of a pattern literal.

    `a -> b [T]` direction "->"; `a <- b` direction "<-"; `a - b` direction "-" (either way).
    edge_type None means any type. min/max are set for a variable-length path `[T*1..3]`.
    A clause naming only one node (`a`) has dst None.
    """

    src: str
    dst: str | None
    direction: str
    edge_type: str | None = None
    min: int | None = None
    max: int | None = None
    span: Span = attrs.field(kw_only=True)


@node
class PatternLit:
    """`pattern { a -> b [FRIEND]  b -> c }`."""

    clauses: tuple[PatternEdge, ...]
    span: Span = attrs.field(kw_only=True)


# --------------------------------------------------------------------------- match patterns


@node
class PWildcard:
    """`_`."""

    span: Span = attrs.field(kw_only=True)


@node
class PLiteral:
    """A literal pattern: number, string, true/false, none (Const) or symbol (SymbolLit)."""

    value: "Const | SymbolLit"
    span: Span = attrs.field(kw_only=True)


@node
class PBind:
    """A bare identifier: always matches and binds the value."""

    name: str
    span: Span = attrs.field(kw_only=True)


@node
class PList:
    """`[p1, p2]`, `[h, ...t]`, `[...all]`.

    rest is None when there is no `...`; otherwise the bound name ("_" discards).
    The rest element, when present, is always last.
    """

    items: tuple["Pattern", ...]
    rest: str | None = None
    span: Span = attrs.field(kw_only=True)


Pattern = Union[PWildcard, PLiteral, PBind, PList]


# --------------------------------------------------------------------------- statements


@node
class Block:
    """`{ statements }`; its value is the value of its last statement."""

    body: tuple["Stmt", ...]
    span: Span = attrs.field(kw_only=True)


@node
class ExprStmt:
    expr: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class Assign:
    """`target = value`. target is a Name, Index or Attr. type_name is set for `num x = 1`."""

    target: "Name | Index | Attr"
    value: "Expr"
    type_name: str | None = None
    span: Span = attrs.field(kw_only=True)


@node
class PatternClause:
    """`|pattern| [if guard] => body` in a pattern-clause function."""

    pattern: Pattern
    guard: "Expr | None"
    body: "Expr | Block"
    span: Span = attrs.field(kw_only=True)


@node
class FnDef:
    """A named function or method.

    receiver: `fn g.name()` attaches to graph variable g (`static fn G.name()` too).
    kind: "fn" for ordinary methods/functions, "set" for `set name(v)` setters in graph bodies.
    guard: the `when expr` guard of a method variant.
    body is a Block, or None when `clauses` holds pattern clauses (`|0| => 1`).
    """

    name: str
    params: tuple[Param, ...]
    body: "Block | None"
    receiver: str | None = None
    is_static: bool = False
    is_private: bool = False
    guard: "Expr | None" = None
    clauses: tuple[PatternClause, ...] = ()
    kind: str = "fn"
    span: Span = attrs.field(kw_only=True)


@node
class While:
    cond: "Expr"
    body: Block
    span: Span = attrs.field(kw_only=True)


@node
class For:
    var: str
    iterable: "Expr"
    body: Block
    span: Span = attrs.field(kw_only=True)


@node
class Break:
    span: Span = attrs.field(kw_only=True)


@node
class Continue:
    span: Span = attrs.field(kw_only=True)


@node
class Return:
    value: "Expr | None"
    span: Span = attrs.field(kw_only=True)


@node
class Catch:
    """`catch [Type] [as name] { body }`; type_name None catches everything."""

    type_name: str | None
    var: str | None
    body: Block
    span: Span = attrs.field(kw_only=True)


@node
class Try:
    body: Block
    catches: tuple[Catch, ...]
    finally_: Block | None
    span: Span = attrs.field(kw_only=True)


@node
class Import:
    """`import "path" [as alias] [{ f, g as h }]`; names is None unless selective."""

    path: str
    alias: str | None = None
    names: tuple[tuple[str, str | None], ...] | None = None
    span: Span = attrs.field(kw_only=True)


@node
class Load:
    """`load <expr>`: run another file's statements in the current namespace."""

    path: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class ModuleDecl:
    """`module name [alias short]`."""

    name: str
    alias: str | None = None
    span: Span = attrs.field(kw_only=True)


@node
class Priv:
    """`priv fn f()`, `priv x = 1`, `priv { ... }`: the statements' names are module-private."""

    body: tuple["Stmt", ...]
    span: Span = attrs.field(kw_only=True)


@node
class ConfigSetting:
    """`key: value`, or a bare flag `:unsigned` (key None, value a SymbolLit)."""

    key: str | None
    value: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class Configure:
    """`configure { settings } [ { body } ]`; without a body the settings stay in force."""

    settings: tuple[ConfigSetting, ...]
    body: Block | None = None
    span: Span = attrs.field(kw_only=True)


@node
class Precision:
    """`precision N { body }` / `precision :int { body }`."""

    value: "Expr"
    body: Block
    span: Span = attrs.field(kw_only=True)


@node
class PropertyDecl:
    """`name: value` or `name = value` inside a graph body."""

    name: str
    value: "Expr"
    span: Span = attrs.field(kw_only=True)


@node
class RuleDecl:
    """`rule :name[, arg...]` inside a graph body."""

    rule: "Expr"
    args: tuple["Expr", ...] = ()
    span: Span = attrs.field(kw_only=True)


@node
class GraphDecl:
    """`graph Name [(:type)] [from Parent] { entries }`; binds Name to the template graph.

    entries are PropertyDecl, FnDef (methods; is_static / is_private / guard / kind="set"),
    RuleDecl and Configure (readable/writable/accessible/behaviors settings, no body).
    """

    name: str
    graph_type: "Expr | None"
    parent: "Expr | None"
    entries: tuple["PropertyDecl | FnDef | RuleDecl | Configure", ...]
    span: Span = attrs.field(kw_only=True)


@node
class Program:
    body: tuple["Stmt", ...]
    span: Span = attrs.field(kw_only=True)


Expr = Union[
    Const, SymbolLit, RegexLit, Name, ListLit, MapLit, Unary, Binary, Logical, Ternary, Call,
    MethodCall, SuperCall, Attr, Index, Lambda, If, Match, Raise, Instantiate, GraphLit, PatternLit,
    Block,
]

Stmt = Union[
    ExprStmt, Assign, FnDef, While, For, Break, Continue, Return, Try, Import, Load, ModuleDecl,
    Priv, Configure, Precision, GraphDecl,
]
