"""Translate a Graphoid AST into a Python AST module.

Expressions compile to Python expressions; when an expression needs statements (the guarded
fast path of `+`, indexing, block-valued `if`/`match`, lambdas with bodies) those statements are
emitted into the current statement list first and the expression becomes a temporary: a small
A-normal form that keeps left-to-right evaluation (earlier operands are saved to temporaries
when a later operand runs statements that could change them) and short-circuiting.
See docs/design.md, section "Compiler", for the emitted code shapes.
"""

from __future__ import annotations

import ast as py
import copy
import itertools
import keyword
from typing import TYPE_CHECKING, Any, Callable, Mapping

from graphoid.compiler import pyast as P
from graphoid.compiler.freshvars import (LIST, MAP, MOVE_OUT, OWNED_MOVE_OUT, PLAIN_OWNED_MOVE_OUT, STORE_BACK,
                                       analyse as fresh_analysis)
from graphoid.compiler.inline_methods import GRAPH_INLINE, INLINE_METHODS, InlineMethod, guard as inline_guard
from graphoid.compiler.intvars import INT, NON_NEGATIVE, POSITIVE, expr_kind, module_candidates, proven_ints
from graphoid.compiler.loop_appends import owned_appends
from graphoid.compiler.loop_methods import stable_names
from graphoid.compiler.textvars import is_text, proven_texts
from graphoid.compiler.plain_lists import index_only_names
from graphoid.compiler.symbols import register_symbol
from graphoid.compiler.scopes import (SIZE_METHODS, LoopMethods, MethodContext, Scope, bound_names, has_open_configure,
                                      mentioned_names, nested_mentions, numeric_operands, pattern_names,
                                      root_name)
from graphoid.errors import ERROR_PARENTS, GraphoidError
from graphoid.compiler.names import error_constructor_key, mangle, unmangle
from graphoid.syntax import ast as g
from graphoid.values.direct_calls import GRAPH_DIRECT_ARITIES, GRAPH_ITERATED_ARITIES, direct_helper, iterated_helper

if TYPE_CHECKING:
    from graphoid.compiler.inline_leaf import LeafSite, LeafTemplate
    from graphoid.compiler.loop_versions import LoopVersion

# inline_leaf, loop_versions and pattern_reflection are imported where they are first needed
# (a function, a loop, a method call site, a pattern literal): a program without them, such as
# `print("hello")`, does not pay their import at start-up (test_cli checks).

Sink = Callable[[py.expr], None] | None

_TEMP_COUNTER = itertools.count()
# The label of an anonymous function; compile_program replaces it by `<lambda at file:line>`.
LAMBDA_LABEL = "<lambda>"

# Helpers whose calls never run user code, so they cannot rebind a user variable.
_PURE_HELPERS = frozenset({
    "_rt_add", "_rt_eq", "_rt_ne", "_rt_index", "_rt_getrefcount", "_rt_fn", "_rt_GList",
    "_rt_GMap", "_rt_floordiv", "_rt_mod", "_rt_pow", "_rt_mul", "_rt_match", "_rt_type",
    "_rt_text", "_rt_band", "_rt_bor", "_rt_bxor", "_rt_int_text", "_rt_int_str",
})

# The class helper of each kind of fresh container (freshvars.py), whose inline methods need no receiver test.
_FRESH_CLASSES = {MAP: "_rt_GMap", LIST: "_rt_GList"}
# Method names a graph answers from its messaging handler context (graphs/classes.py
# CONTEXT_METHODS): never called through the direct-call table (their direct builtin
# functions check the context themselves).
_CONTEXT_METHODS = frozenset({"out_degree", "in_degree", "degree", "neighbors"})
# (classes.CONTEXT_PROPERTIES): property names a handler context answers when no property holds them
_CONTEXT_PROPERTIES = frozenset({"id", "graph"})
# List methods whose lambda argument the compiler may inline as a generator (comprehended_call).
_COMPREHENDED = frozenset({"map", "filter", "select", "reject"})
_GENERATOR_CODE_NAME = "<genexpr>"
# Direct builtins whose functions return a new GList (a snapshot a `for` loop may walk as is).
_FRESH_LIST_BUILTINS = frozenset({"nodes", "neighbors"})
_CMP = {"<": py.Lt, "<=": py.LtE, ">": py.Gt, ">=": py.GtE}
# Operators whose result, as an operand of a string `+`, is most likely an int (text_concat)
_INT_LIKELY_OPS = frozenset({"%", "//", "-", "*", "+"})
# |n| below this has at most 600 digits: under the lowest digit limit CPython lets a program set
# (640, sys.set_int_max_str_digits), so str(n) cannot raise for it whatever the limit is
_TEXT_INT_BOUND = 10**600
_RAW_BINOPS = {"-": py.Sub, "*": py.Mult, "/": py.Div}
_HELPER_BINOPS = {
    "//": "_rt_floordiv", "%": "_rt_mod", "**": "_rt_pow", "^": "_rt_bxor", "&": "_rt_band",
    "|": "_rt_bor", "<<": "_rt_shl", ">>": "_rt_shr",
}
_INTEGER_FLAGS = frozenset({"integer", "int"})
# Operators whose Python form is exactly Graphoid's on ints inside a range (values/ops.py):
# `%` and `//` (Graphoid truncates toward zero) for a >= 0 and b > 0; `**` for 0 <= b <= 64
# (larger powers are size-checked first); `&`, `|`, `^` for signed 64-bit operands.
_INLINE_INT_OPS: dict[str, type[py.operator]] = {
    "%": py.Mod, "//": py.FloorDiv, "**": py.Pow, "&": py.BitAnd, "|": py.BitOr, "^": py.BitXor,
}
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1


def _syntax(message: str, span: g.Span) -> GraphoidError:
    return GraphoidError("SyntaxError", message, span)


class CodeGen:
    """One compilation: a Graphoid Program to a Python `ast.Module`."""

    def __init__(self, *, mode: str, limits: bool, known_globals: frozenset[str],
                 thresholds: Mapping[str, int] | None, unit: str) -> None:
        self.mode = mode
        # Function names are `_rt_f<unit>_<n>`, numbered in this compile only: the same source
        # gives the same names in every process (how graphoid.distributed names functions).
        self.unit = unit
        self._function_numbers = itertools.count()
        self._call_site_numbers = itertools.count()  # cache names `c<unit>_<n>` (graph_method_call)
        # Python function name of a compiled function/lambda/method -> its Graphoid label.
        self.function_labels: dict[str, str] = {}
        # Leaf methods' fast forms defined at module level, by method name, and the direct call
        # sites that may run one in place (inline_leaf.py; rewritten once the module is compiled).
        self.leaf_templates: dict[str, list[LeafTemplate]] = {}
        self.leaf_sites: list[LeafSite] = []
        self.limits = limits
        self.known_globals = known_globals
        # None means "probe mode": uniqueness tests emit the raw reference count (cow.py).
        self.thresholds = thresholds
        self.out: list[py.stmt] = []
        self.scope = Scope("module", None)
        self.span: g.Span = g.NO_SPAN
        self.integer_mode = False
        self.block_arg = False  # the Lambda being compiled is an argument of a method call
        # Inside `configure { error_mode: :lenient }` (lexically) `/` goes through a helper
        # that consults the error mode instead of raising on zero.
        self.lenient = False

    # ------------------------------------------------------------------ infrastructure

    def temp(self, prefix: str = "") -> str:
        return f"_rt_{prefix}{next(_TEMP_COUNTER)}"

    def emit(self, stmt: py.stmt) -> None:
        P.stamp(stmt, self.span)
        self.out.append(stmt)

    def capture(self, fn: Callable[[], Any]) -> tuple[list[py.stmt], Any]:
        """Run fn with a fresh statement list; returns (statements, fn's result)."""
        saved = self.out
        self.out = []
        try:
            result = fn()
            return self.out, result
        finally:
            self.out = saved

    def at(self, node: Any) -> g.Span:
        span = getattr(node, "span", None)
        return span if span is not None else self.span

    def materialize(self, value: py.expr) -> py.expr:
        """Keep value in a temporary unless it is a constant or a temporary already."""
        if isinstance(value, py.Constant) or (isinstance(value, py.Name) and value.id.startswith("_rt")):
            return value
        if isinstance(value, py.Attribute) and P.is_simple(value):
            return value
        tmp = self.temp()
        self.emit(P.assign(tmp, value))
        return P.name(tmp)

    def built_map(self, value: py.expr) -> py.expr:
        """A map literal `_rt_GMap({k: v, ...})` built by stores into an empty map in a temporary
        instead (a dict subclass made from a dict copies it: building the dict is the extra cost).
        The values, already ordered by seq(), run in the same order; other values are returned as is."""
        if not (isinstance(value, py.Call) and isinstance(value.func, py.Name) and value.func.id == "_rt_GMap"):
            return value
        if len(value.args) == 1 and isinstance(value.args[0], py.Dict) and value.args[0].keys:
            entries = list(zip(value.args[0].keys, value.args[0].values))
        elif value.keywords and not value.args:  # the keyword form of e_MapLit
            entries = [(P.const(entry.arg), entry.value) for entry in value.keywords]
        else:
            return value
        tmp = self.temp()
        self.emit(P.assign(tmp, P.call("_rt_GMap")))
        for key, item in entries:
            self.emit(P.assign(py.Subscript(value=P.name(tmp), slice=key, ctx=py.Store()), item))
        return P.name(tmp)

    def reusable(self, value: py.expr) -> py.expr:
        """A form that can be evaluated twice with the same result (for fast-path fallbacks)."""
        if P.is_pure(value):
            return value
        return self.materialize(value)

    def reusable_pair(self, left: py.expr, right: py.expr) -> tuple[py.expr, py.expr]:
        """Both operands in re-evaluable form, the left one still read before the right one.
        A variable needs no copy when the right one runs no user code, or when it is a local
        no other code can rebind and the right one does not assign it (`total + f(i)`)."""
        if not P.is_pure(right) and not (P.is_simple(left) and (not _has_effects([right])
                                                                or self.kept_across(left, right))):
            left = self.materialize(left)
        return self.reusable(left), self.reusable(right)

    def kept_across(self, value: py.expr, later: py.expr) -> bool:
        """Does the variable `value` still hold what it held before `later` ran? True for a
        private local (Scope.private_local) that `later` itself does not assign."""
        if not isinstance(value, py.Name):
            return False
        ident = unmangle(value.id)
        if ident is None or not self.scope.private_local(ident):
            return False
        return not any(isinstance(node, py.Name) and node.id == value.id and not isinstance(node.ctx, py.Load)
                       for node in py.walk(later))

    def seq(self, nodes: list[Any]) -> list[py.expr]:
        """Compile expressions left to right, saving earlier values when a later one has effects."""
        results: list[py.expr] = []
        for node in nodes:
            stmts, value = self.capture(lambda n=node: self.expr(n))
            if stmts and results and not _cannot_fail(stmts):
                if _has_effects(stmts):
                    results = [self.materialize(r) for r in results]
                else:
                    # Effect-free statements may still raise (`a // 0`): an earlier operand
                    # that calls something or may raise itself (raw `"" - a`) runs before them.
                    results = [r if P.is_simple(r) else self.materialize(r) for r in results]
            self.out.extend(stmts)
            results.append(value)
        return results

    # ------------------------------------------------------------------ entry

    def module(self, program: g.Program) -> py.Module:
        scope = self.scope
        scope.locals = set(bound_names(program.body)) | set(self.known_globals)
        if self.mode == "exec":
            scope.ints = proven_ints(program.body, module_candidates(program.body) - self.known_globals)
        body = list(program.body)
        self.span = program.span
        if self.mode == "repl" and body:
            # REPL settings made by `configure` without a body persist into later inputs.
            self.block(body[:-1])
            last = body[-1]
            self.statement(last, sink=self.sink_assign("_rt_last") if _has_value(last) else None)
        elif has_open_configure(program.body):
            self.scoped_settings(lambda: self.block(body))
        else:
            self.block(body)
        self.inline_leaf_sites()
        return py.Module(body=self.out, type_ignores=[])

    def inline_leaf_sites(self) -> None:
        """Give each direct call site of a method name with one module-level leaf fast form of
        its arity that fast form's body in place (inline_leaf.py). The fast forms' names are
        bound to none first: a site compares its target with one before its def has run."""
        if not self.leaf_sites:
            return  # nothing to inline (and no import of inline_leaf for a program without sites)
        from graphoid.compiler.inline_leaf import inline_leaf_site

        inlined: set[str] = set()
        for site in self.leaf_sites:
            templates = self.leaf_templates.get(site.name, [])
            if len(templates) == 1 and len(templates[0].params) == len(site.args):
                inline_leaf_site(site, templates[0], self.temp)
                inlined.add(templates[0].fast_name)
        prelude: list[py.stmt] = [P.assign(name, P.const(None)) for name in sorted(inlined)]
        for stmt in prelude:
            P.stamp(stmt, g.NO_SPAN)
        self.out[:0] = prelude

    def scoped_settings(self, emit: Callable[[], None]) -> None:
        """Settings made by a body-less `configure` last until the file or function ends."""
        self.emit(P.expr_stmt(P.call("_rt_config_push", P.tuple_([]))))
        saved_integer, saved_lenient = self.integer_mode, self.lenient
        try:
            stmts, _ = self.capture(emit)
        finally:
            self.integer_mode, self.lenient = saved_integer, saved_lenient
        pop = P.expr_stmt(P.call("_rt_config_pop"))
        P.stamp(pop, self.span)
        self.emit(py.Try(body=stmts or [py.Pass()], handlers=[], orelse=[], finalbody=[pop]))

    # ------------------------------------------------------------------ sinks

    def sink_assign(self, target: str) -> Callable[[py.expr], None]:
        def sink(value: py.expr) -> None:
            self.emit(P.assign(target, value))
        return sink

    def sink_return(self) -> Callable[[py.expr], None]:
        def sink(value: py.expr) -> None:
            self.emit(py.Return(value=value))
        return sink

    # ------------------------------------------------------------------ statements

    def block(self, stmts: Any, sink: Sink = None) -> None:
        stmts = list(stmts)
        if not stmts:
            if sink is not None:
                sink(P.const(None))
            return
        for stmt in stmts[:-1]:
            self.statement(stmt)
        self.statement(stmts[-1], sink)

    def sub_block(self, stmts: Any, sink: Sink = None) -> list[py.stmt]:
        out, _ = self.capture(lambda: self.block(stmts, sink))
        return out or [py.Pass()]

    def statement(self, node: Any, sink: Sink = None) -> None:
        saved = self.span
        self.span = self.at(node)
        try:
            method = getattr(self, "s_" + type(node).__name__, None)
            if method is None:
                raise _syntax(f"Unsupported statement {type(node).__name__}", self.span)
            method(node, sink)
        finally:
            self.span = saved

    def s_ExprStmt(self, node: g.ExprStmt, sink: Sink) -> None:
        expr = node.expr
        if isinstance(expr, (g.If, g.Match, g.Block)):
            self.statement(expr, sink)
            return
        if isinstance(expr, g.Raise):
            self.expr(expr)
            return
        if isinstance(expr, g.MethodCall) and expr.bang and sink is None:
            self.bang(expr, want_value=False)
            return
        value = self.expr(expr)
        if sink is not None:
            sink(value)
        elif not isinstance(value, py.Constant) and not (isinstance(value, py.Name) and value.id.startswith("_rt")):
            self.emit(P.expr_stmt(value))

    def s_Block(self, node: g.Block, sink: Sink) -> None:
        self.block(node.body, sink)

    def s_If(self, node: g.If, sink: Sink) -> None:
        test = self.cond(node.cond)
        then = self.sub_block(node.then.body, sink)
        if node.orelse is not None:
            orelse = self.sub_block(node.orelse.body, sink)
        elif sink is not None:
            orelse, _ = self.capture(lambda: sink(P.const(None)))
        else:
            orelse = []
        self.emit(P.if_(test, then, orelse))

    def s_Assign(self, node: g.Assign, sink: Sink) -> None:
        move = self.scope.moves.get(id(node)) if sink is None and not self.integer_mode else None
        if move in (MOVE_OUT, OWNED_MOVE_OUT, PLAIN_OWNED_MOVE_OUT):
            self.move_element(node.target.id, node.value.obj.id, node.value.index)
            if move != MOVE_OUT:
                self.own_moved(node.target.id, proven_plain=move == PLAIN_OWNED_MOVE_OUT)
            return
        if move == STORE_BACK:
            self.scope.owned_moves.pop(node.value.id, None)
            slot = py.Subscript(value=P.name(mangle(node.target.obj.id)), slice=self.expr(node.target.index),
                                ctx=py.Store())
            self.emit(P.assign(slot, P.name(mangle(node.value.id))))
            return
        source = node.value
        if node.type_name == "bignum":
            # `bignum x = v` converts v (LANGUAGE_STUDY 1.5); other declared types only annotate.
            source = g.MethodCall(source, "to_bignum", (), span=node.span)
        value = self.assign(node.target, source, keep_value=sink is not None)
        if sink is not None:
            sink(value)

    def s_While(self, node: g.While, sink: Sink) -> None:
        self.versioned_loop(node, lambda: self.while_loop(node))
        if sink is not None:
            sink(P.const(None))

    def while_loop(self, node: g.While) -> None:
        test_stmts, test = self.capture(lambda: self.cond(node.cond))
        self.scope.loop_depth += 1
        saved_flags = self.own_appends(node)
        methods = self.open_loop_methods(node)
        try:
            body, _ = self.capture(lambda: (self.tick(), self.block(node.body.body)))
        finally:
            self.scope.loop_depth -= 1
            self.scope.append_flags = saved_flags
            self.close_loop_methods(methods)
        # Always `while True:` with the test inside: CPython 3.11 then closes the loop with
        # JUMP_BACKWARD, which counts towards specialising the function's bytecode; a rotated
        # `while test:` loop jumps back conditionally and never does, so a long loop in a
        # function called once (or at top level) would run unspecialised to the end.
        guard = P.if_(P.not_(test), [py.Break()])
        P.stamp(guard, self.span)
        self.emit(py.While(test=P.const(True), body=test_stmts + [guard] + body, orelse=[]))

    def s_For(self, node: g.For, sink: Sink) -> None:
        self.versioned_loop(node, lambda: self.for_loop(node))
        if sink is not None:
            sink(P.const(None))

    def for_loop(self, node: g.For) -> None:
        source = node.iterable
        if (isinstance(source, g.MethodCall) and source.name in _FRESH_LIST_BUILTINS
                and self.graph_builtin_site(source)):
            # `for x in g.nodes()`: the direct function's new list is what _rt_iter would return
            iterable = self.method_call(source, iterating=True)
        else:
            plain = isinstance(source, g.Name) and source.id in self.scope.plain_lists
            iterable = _iteration(self.expr(source), "_rt_list" if plain else "_rt_GList")
        target_name = self.simple_target(node.var)
        self.scope.loop_depth += 1
        saved_flags = self.own_appends(node)
        methods = self.open_loop_methods(node)
        saved_texts = self.scope.texts
        if self.walks_node_ids(node):
            self.scope.texts = saved_texts | {node.var}
        try:
            def body() -> None:
                self.tick()
                if target_name is None:
                    self.assign_name(node.var, P.name(loop_var))
                self.block(node.body.body)
            loop_var = target_name or self.temp()
            stmts, _ = self.capture(body)
        finally:
            self.scope.loop_depth -= 1
            self.scope.append_flags = saved_flags
            self.scope.texts = saved_texts
            self.close_loop_methods(methods)
        self.emit(py.For(target=P.store(loop_var), iter=iterable,
                         body=stmts or [py.Pass()], orelse=[]))

    def walks_node_ids(self, node: g.For) -> bool:
        """Does this `for` walk the ids (strings) a direct builtin of an exact graph returns
        (the fast copy of a versioned loop), its variable never assigned in the body?"""
        source = node.iterable
        return (isinstance(source, g.MethodCall) and isinstance(source.receiver, g.Name)
                and source.receiver.id in self.scope.exact_graphs and self.graph_builtin_site(source)
                and len(source.args) in GRAPH_ITERATED_ARITIES.get(source.name, ())
                and node.var not in bound_names(node.body))

    def versioned_loop(self, loop: g.While | g.For, emit_loop: Callable[[], None]) -> None:
        """Emit the loop, or, when loop_versions.py finds guards it may test once before it, both
        its fast copy (compiled knowing they hold) and its general copy under that test."""
        version = self.loop_version(loop)
        if version is None:
            emit_loop()
            return
        scope = self.scope
        saved = scope.ints, scope.exact_graphs, scope.settled
        # a nested loop tests none of these again: in the general copy they are known to fail
        scope.settled = scope.settled | version.names
        try:
            scope.ints = {**scope.ints, **dict.fromkeys(version.divisors, POSITIVE)}
            scope.exact_graphs = scope.exact_graphs | frozenset(version.graphs)
            fast, _ = self.capture(emit_loop)
            scope.ints, scope.exact_graphs = saved[0], saved[1]
            general, _ = self.capture(emit_loop)
        finally:
            scope.ints, scope.exact_graphs, scope.settled = saved
        self.emit(P.if_(self.version_test(version), fast, general))

    def loop_version(self, loop: g.While | g.For) -> LoopVersion | None:
        """The guards of a loop of a function (not a graph method) worth hoisting (loop_versions.py)."""
        scope = self.scope
        if scope.kind != "function" or scope.method is not None or self.thresholds is None:
            return None
        variables = (scope.locals | scope.params) - scope.closure_writes - scope.nonlocals - scope.globals
        fresh_lists = [name for name, kind in scope.fresh.items() if kind == LIST]
        from graphoid.compiler.loop_versions import loop_version

        return loop_version(loop, variables, scope.settled, fresh_lists)

    def version_test(self, version: LoopVersion) -> py.expr:
        """`g.__class__ is Graph and not g._guarded and (g._bx.ok or _rt_exact_builtins(g))` per
        graph and `type(n) is int and n > 0` per divisor, computed into a flag that is false
        when a variable is still unbound."""
        tests: list[py.expr] = []
        for ident in version.graphs:
            tests.append(py.Compare(left=P.attr(P.name(mangle(ident)), "__class__"), ops=[py.Is()],
                                    comparators=[P.name("_rt_Graph")]))
            # no call once the graph's `_bx` is current (a nested loop tests it on every run)
            tests.append(P.not_(P.attr(P.name(mangle(ident)), "_guarded")))
            tests.append(py.BoolOp(op=py.Or(), values=[P.attr(P.attr(P.name(mangle(ident)), "_bx"), "ok"),
                                                       P.call("_rt_exact_builtins", P.name(mangle(ident)))]))
        for ident in version.divisors:
            tests.append(py.Compare(left=P.call("_rt_type", P.name(mangle(ident))), ops=[py.Is()],
                                    comparators=[P.name("_rt_int")]))
            tests.append(py.Compare(left=P.name(mangle(ident)), ops=[py.Gt()], comparators=[P.const(0)]))
        test = tests[0] if len(tests) == 1 else py.BoolOp(op=py.And(), values=tests)
        if all(ident in self.scope.params for ident in version.names):
            return test  # parameters are always bound
        flag = self.temp("ver")
        self.emit(P.try_except([P.assign(flag, test)], P.name("_rt_NameError"), [P.assign(flag, P.const(False))]))
        return P.name(flag)

    def own_appends(self, loop: g.While | g.For) -> dict[str, str]:
        """Give each local only this loop's `append!`s touch a flag, false on entry to the loop
        (loop_appends.py); returns the flags in force before, to restore after the body."""
        scope = self.scope
        saved = scope.append_flags
        names = scope.owned_appends.get(id(loop))
        if names:
            scope.append_flags = dict(saved)
            for ident in sorted(names):
                flag = self.temp("own")
                self.emit(P.assign(flag, P.const(False)))
                scope.append_flags[ident] = flag
        return saved

    def open_loop_methods(self, loop: g.While | g.For) -> LoopMethods | None:
        """Start a loop whose fresh locals (not already held by an outer loop) may have their
        methods bound once per run of it (loop_methods.py); None when there are none."""
        scope = self.scope
        if not scope.fresh or self.integer_mode:
            return None
        held = {name for outer in scope.loop_methods for name in outer.stable}
        stable = stable_names(loop, [name for name in scope.fresh if name not in held])
        if not stable:
            return None
        methods = LoopMethods(stable)
        scope.loop_methods.append(methods)
        return methods

    def close_loop_methods(self, methods: LoopMethods | None) -> None:
        """End the loop: each method it bound starts unbound on every run (emitted before it)."""
        if methods is None:
            return
        self.scope.loop_methods.pop()
        for temp in methods.temps.values():
            self.emit(P.assign(temp, P.const(None)))

    def bound_method(self, ident: str, receiver: py.expr, name: str) -> py.expr:
        """`receiver.name` for fresh local ident: in a loop that never rebinds ident, fetched on
        the first call of a run and kept (`(t or (t := m.get))(k, d)`): CPython calls a bound
        builtin method at full speed, the method of a dict subclass generically."""
        for methods in self.scope.loop_methods:
            if ident in methods.stable:
                temp = methods.temps.get((ident, name))
                if temp is None:
                    temp = methods.temps[(ident, name)] = self.temp("m")
                fetch = py.NamedExpr(target=P.store(temp), value=P.attr(receiver, name))
                return py.BoolOp(op=py.Or(), values=[P.name(temp), fetch])
        return P.attr(receiver, name)

    def tick(self) -> None:
        if self.limits:
            self.emit(P.expr_stmt(P.call("_rt_tick")))

    def s_Break(self, node: g.Break, sink: Sink) -> None:
        if self.scope.loop_depth == 0:
            raise _syntax("'break' outside a loop", node.span)
        self.emit(py.Break())

    def s_Continue(self, node: g.Continue, sink: Sink) -> None:
        if self.scope.loop_depth == 0:
            raise _syntax("'continue' outside a loop", node.span)
        self.emit(py.Continue())

    def s_Return(self, node: g.Return, sink: Sink) -> None:
        if self.scope.kind != "function":
            raise _syntax("'return' outside a function", node.span)
        value = node.value
        if (isinstance(value, g.Binary) and _has_plus(value) and self.int_kind(value) is None
                and not is_text(value)):
            leaves: list[Any] = []
            _arith_leaves(value, leaves)
            if self.view_arith(value, leaves, lambda result: py.Return(value=result)):
                return
            fast, slow = self.arith(value)
            self.emit(P.try_except([py.Return(value=fast)], P.name("_rt_TypeError"), [py.Return(value=slow)]))
            return
        result = P.const(None) if value is None else self.expr(value)
        self.emit(py.Return(value=result))

    def s_Try(self, node: g.Try, sink: Sink) -> None:
        body = self.sub_block(node.body.body, sink)
        handlers: list[py.ExceptHandler] = []
        if node.catches:
            # the caught exception's name also holds its error value (Python unbinds it when
            # the handler ends; a clause's variable keeps the value)
            exc = err = self.temp("e")
            inner: list[py.stmt] = [self.caught_error(exc)]
            chain: list[py.stmt] = [py.Raise(exc=None, cause=None)]
            for clause in reversed(node.catches):
                saved = self.span
                self.span = clause.span
                try:
                    def clause_body(c: g.Catch = clause) -> None:
                        if c.var is not None:
                            self.assign_name(c.var, P.name(err))
                        self.block(c.body.body, sink)
                    stmts, _ = self.capture(clause_body)
                    stmts = stmts or [py.Pass()]
                    kind = clause.type_name or "Error"
                    # An error of exactly the caught kind needs no walk up the kind hierarchy.
                    same_kind = py.Compare(left=P.attr(P.name(err), "kind"), ops=[py.Eq()], comparators=[P.const(kind)])
                    test = py.BoolOp(op=py.Or(), values=[same_kind, P.call("_rt_catches", P.name(err), P.const(kind))])
                    chain = [P.if_(test, stmts, chain)]
                    for stmt in chain:
                        P.stamp(stmt, clause.span)
                finally:
                    self.span = saved
            handlers.append(py.ExceptHandler(type=P.name("_rt_Exception"), name=exc, body=inner + chain))
        final = self.sub_block(node.finally_.body) if node.finally_ is not None else []
        self.emit(py.Try(body=body, handlers=handlers, orelse=[], finalbody=final))

    @staticmethod
    def caught_error(exc: str) -> py.stmt:
        """`exc = _rt_catch(exc)`, with pyerrors.catch's commonest case inline: a GraphoidError
        caught for the first time only records the catch's traceback (its location is worked
        out when read, see GraphoidError.defer_location)."""
        first_catch = py.BoolOp(op=py.And(), values=[
            py.Compare(left=P.attr(P.name(exc), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_error")]),
            py.Compare(left=P.attr(P.name(exc), "_pending_traceback"), ops=[py.Is()], comparators=[P.const(None)]),
        ])
        record = py.Assign(targets=[py.Attribute(value=P.name(exc), attr="_pending_traceback", ctx=py.Store())],
                           value=P.attr(P.name(exc), "__traceback__"))
        return P.if_(first_catch, [record], [P.assign(exc, P.call("_rt_catch", P.name(exc)))])

    def s_Import(self, node: g.Import, sink: Sink) -> None:
        names = None if node.names is None else P.const(tuple((n, a) for n, a in node.names))
        self.emit(P.expr_stmt(P.call("_rt_import", P.const(node.path), P.const(node.alias),
                                     names if names is not None else P.const(None), self.span_value(node.span))))
        if sink is not None:
            sink(P.const(None))

    def s_Load(self, node: g.Load, sink: Sink) -> None:
        path = self.expr(node.path)
        self.emit(P.expr_stmt(P.call("_rt_load", path, self.span_value(node.span))))
        if sink is not None:
            sink(P.const(None))

    def s_ModuleDecl(self, node: g.ModuleDecl, sink: Sink) -> None:
        self.emit(P.expr_stmt(P.call("_rt_module_decl", P.const(node.name), P.const(node.alias))))
        if sink is not None:
            sink(P.const(None))

    def s_Priv(self, node: g.Priv, sink: Sink) -> None:
        self.block(node.body, sink)
        names = tuple(bound_names(node.body))
        self.emit(P.expr_stmt(P.call("_rt_priv", P.const(names))))

    def span_value(self, span: g.Span) -> py.expr:
        return P.call("_rt_span", P.const(span.file), P.const(span.line), P.const(span.col),
                      P.const(span.end_line), P.const(span.end_col))

    def settings(self, settings: tuple[g.ConfigSetting, ...]) -> tuple[py.expr, bool]:
        items: list[py.expr] = []
        integer = False
        for setting in settings:
            value = self.expr(setting.value)
            items.append(P.tuple_([P.const(setting.key), value]))
            if isinstance(setting.value, g.SymbolLit) and setting.value.name in _INTEGER_FLAGS:
                integer = True
            if setting.key == "error_mode":
                self.lenient = True
        return P.tuple_(items), integer

    def s_Configure(self, node: g.Configure, sink: Sink) -> None:
        saved_lenient = self.lenient
        settings, integer = self.settings(node.settings)
        if node.body is None:
            self.emit(P.expr_stmt(P.call("_rt_config_set", settings)))
            self.integer_mode = self.integer_mode or integer
            if sink is not None:
                sink(P.const(None))
            return
        self.emit(P.expr_stmt(P.call("_rt_config_push", settings)))
        saved = self.integer_mode
        self.integer_mode = saved or integer
        try:
            body = self.sub_block(node.body.body, sink)
        finally:
            self.integer_mode = saved
            self.lenient = saved_lenient
        pop = P.expr_stmt(P.call("_rt_config_pop"))
        P.stamp(pop, self.span)
        self.emit(py.Try(body=body, handlers=[], orelse=[], finalbody=[pop]))

    def s_SpawnBlock(self, node: g.SpawnBlock, sink: Sink) -> None:
        """`spawn { body }`: the body becomes a function whose parameters are the visible
        variables it mentions; the helper runs it on a thread with deep copies of their values
        (share-nothing: the task's assignments stay its own)."""
        names = [name for name in mentioned_names(node.body) if self.scope.is_variable(name)]
        params = tuple(g.Param(name, span=node.span) for name in names)
        fn = self.function("spawn", params, node.body, returns_last=False, span=node.span)
        values = py.Tuple(elts=[self.load_name(name) for name in names], ctx=py.Load())
        self.emit(P.expr_stmt(P.call("_rt_spawn_task", fn, values)))
        if sink is not None:
            sink(P.const(None))

    def s_Precision(self, node: g.Precision, sink: Sink) -> None:
        value = self.expr(node.value)
        self.emit(P.expr_stmt(P.call("_rt_precision_push", value)))
        saved = self.integer_mode
        if isinstance(node.value, g.SymbolLit) and node.value.name in _INTEGER_FLAGS:
            self.integer_mode = True
        try:
            body = self.sub_block(node.body.body, sink)
        finally:
            self.integer_mode = saved
        pop = P.expr_stmt(P.call("_rt_config_pop"))
        P.stamp(pop, self.span)
        self.emit(py.Try(body=body, handlers=[], orelse=[], finalbody=[pop]))

    def s_Match(self, node: g.Match, sink: Sink) -> None:
        subject = self.materialize(self.expr(node.subject))
        self.match_arms(subject, [(arm.pattern, arm.guard, arm.body, arm.span) for arm in node.arms], sink)

    def match_arms(self, subject: py.expr, arms: list[tuple[Any, Any, Any, g.Span]], sink: Sink) -> None:
        """Arms in order; the first whose pattern (and guard) matches runs; none gives none."""
        def arm_body(body: Any) -> None:
            if isinstance(body, g.Block):
                self.block(body.body, sink)
            elif sink is not None:
                sink(self.expr(body))
            else:
                value = self.expr(body)
                if not P.is_simple(value):
                    self.emit(P.expr_stmt(value))

        length: str | None = None
        if (isinstance(subject, py.Name) and subject.id.startswith("_rt")
                and sum(isinstance(arm[0], g.PList) for arm in arms) >= 2):
            # Several list arms: test "is a list" and take its length once for all of them.
            length = self.temp()
            # (a symbol, the usual other kind of message, is told apart without a call)
            is_list = py.BoolOp(op=py.Or(), values=[
                py.Compare(left=P.attr(P.dup(subject), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_GList")]),
                py.BoolOp(op=py.And(), values=[
                    py.Compare(left=P.attr(P.dup(subject), "__class__"), ops=[py.IsNot()],
                               comparators=[P.name("_rt_sym")]),
                    P.call("_rt_isinstance", P.dup(subject), P.name("_rt_list")),
                ]),
            ])
            self.emit(P.assign(length, py.IfExp(test=is_list, body=P.call("_rt_len", P.dup(subject)),
                                                orelse=P.const(-1))))
        if not any(guard is not None for _, guard, _, _ in arms):
            chain: list[py.stmt] = []
            if sink is not None:
                chain, _ = self.capture(lambda: sink(P.const(None)))
            for pattern, _, body, span in reversed(arms):
                saved = self.span
                self.span = span
                try:
                    test, bind = self.pattern_test(pattern, subject, length)
                    stmts, _ = self.capture(lambda b=body, bd=bind: (bd(), arm_body(b)))
                    if test is None:
                        chain = stmts or [py.Pass()]
                    else:
                        chain = [P.if_(test, stmts, chain)]
                    for stmt in chain:
                        P.stamp(stmt, span)
                finally:
                    self.span = saved
            self.out.extend(chain)
            return
        pending = self.temp()
        self.emit(P.assign(pending, P.const(True)))
        for pattern, guard, body, span in arms:
            saved = self.span
            self.span = span
            try:
                test, bind = self.pattern_test(pattern, subject, length)

                def run(b: Any = body, gd: Any = guard, bd: Callable[[], None] = bind) -> None:
                    bd()
                    if gd is None:
                        self.emit(P.assign(pending, P.const(False)))
                        arm_body(b)
                        return
                    guard_test = self.cond(gd)
                    inner, _ = self.capture(lambda: (self.emit(P.assign(pending, P.const(False))), arm_body(b)))
                    self.emit(P.if_(guard_test, inner))
                stmts, _ = self.capture(run)
                full = P.name(pending) if test is None else py.BoolOp(op=py.And(), values=[P.name(pending), test])
                self.emit(P.if_(full, stmts))
            finally:
                self.span = saved
        if sink is not None:
            tail, _ = self.capture(lambda: sink(P.const(None)))
            self.emit(P.if_(P.name(pending), tail))

    def pattern_test(self, pattern: Any, subject: py.expr,
                     length: str | None = None) -> tuple[py.expr | None, Callable[[], None]]:
        """(test or None for always, a function emitting the bindings); `length` names the
        subject's precomputed list length (-1: no list), see match_arms."""
        if isinstance(pattern, g.PWildcard) or (isinstance(pattern, g.PBind) and pattern.name == "_"):
            return None, lambda: None
        if isinstance(pattern, g.PBind):
            return None, lambda: self.assign_name(pattern.name, subject)
        if isinstance(pattern, g.PLiteral):
            return self.literal_eq(subject, pattern.value), lambda: None
        if P.is_simple(subject) and not isinstance(subject, py.Constant):
            tests: list[py.expr] = []
            binds: list[py.expr] = []
            _inline_pattern(pattern, lambda: P.dup(subject), tests, binds, length)
            names = pattern_names(pattern)

            def bind_inline() -> None:
                for ident, value in zip(names, binds):
                    self.assign_name(ident, value)
            test = tests[0] if len(tests) == 1 else py.BoolOp(op=py.And(), values=tests) if tests else None
            return test, bind_inline
        spec = _pattern_spec(pattern)
        names = pattern_names(pattern)
        result = self.temp()
        test = py.Compare(
            left=py.NamedExpr(target=P.store(result), value=P.call("_rt_match", P.const(spec), subject)),
            ops=[py.IsNot()], comparators=[P.const(None)],
        )

        def bind() -> None:
            for position, ident in enumerate(names):
                self.assign_name(ident, py.Subscript(value=P.name(result), slice=P.const(position), ctx=py.Load()))
        return test, bind

    # ------------------------------------------------------------------ functions

    def s_FnDef(self, node: g.FnDef, sink: Sink) -> None:
        if node.receiver is not None:
            receiver = self.materialize(self.load_name(node.receiver))
            fn = self.function(node.name, node.params, node.body, returns_last=True, clauses=node.clauses,
                               method=MethodContext("self", frozenset(), frozenset(), True, receiver.id),
                               self_param=True, span=node.span)
            self.emit(P.expr_stmt(P.call("_rt_define_on", receiver, P.const(node.name), fn,
                                         P.const(node.is_static))))
        else:
            previous = None
            if node.name in self.scope.fn_defs:
                previous = self.materialize(self.load_name(node.name))
            elif self.scope.kind == "module" and node.name in self.known_globals:
                # A REPL input redefining a function of an earlier input: overload by arity.
                previous = self.with_fallback(P.name(mangle(node.name)), P.const(None))
            fn = self.function(node.name, node.params, node.body, returns_last=False, clauses=node.clauses,
                               method=self.scope.method, span=node.span)
            if previous is not None:
                fn = P.call("_rt_overload", previous, fn)
            self.assign_name(node.name, fn)
            self.scope.fn_defs.add(node.name)
        if sink is not None:
            sink(P.const(None))

    def function(self, label: str | None, params: tuple[g.Param, ...], body: Any, *, returns_last: bool,
                 clauses: tuple[g.PatternClause, ...] = (), method: MethodContext | None = None,
                 self_param: bool = False, span: g.Span, guard_only: Any = None,
                 view_body: bool = False, loop_kind: str | None = None) -> py.expr:
        """Emit a `def` for a Graphoid function; returns the expression of the function value.
        view_body: a leaf method whose body is also compiled in its fast form (CodeGen.view_body).

        loop_kind (NON_NEGATIVE or INT) emits instead the loop of an inline `list.generate` for
        the one-parameter expression lambda: `def (start, stop)` returning the list of the body's
        values for the parameter running over range(start, stop) (the parameter's int kind);
        the expression is then the plain Python function."""
        py_name = f"_rt_f{self.unit}_{next(self._function_numbers)}"
        self.function_labels[py_name] = label if label is not None else LAMBDA_LABEL
        outer = self.scope
        scope = Scope("function", outer, method=method)
        scope.block_self = self.block_arg or (outer.kind == "function" and outer.block_self)
        self.block_arg = False
        names = [p.name for p in params]
        scope.params = set(names) | ({"self"} if self_param else set())
        if clauses:
            region: Any = clauses
        elif guard_only is not None:
            region = (guard_only,)
        else:
            region = body if isinstance(body, g.Block) else (body,)
        scope.locals = set(scope.params)
        bound = bound_names(region)
        scope.self_direct = bool(self_param and method is not None and method.self_name not in bound)
        scope.captured = nested_mentions(region)
        scope.numeric = numeric_operands(region)
        self.resolve(scope, bound, set(bound_names(region, updates_only=True)))
        if method is None:
            scope.plain_lists = index_only_names(region, scope.locals - scope.params)
            fresh: dict[str, str] = {}
            if self.thresholds is not None:  # copy-on-write probes measure the general paths
                fresh, scope.moves = fresh_analysis(region, scope.locals - scope.params)
                # a local that may hold a plain Python list (plain_lists.py) is not a fresh GList;
                # moves only ever concern fresh maps, which are never plain lists
                scope.fresh = {name: kind for name, kind in fresh.items() if name not in scope.plain_lists}
            # a fresh list kept plain is still always a list: its length is an int
            scope.ints = proven_ints(region, scope.locals - scope.params, sized=fresh)
            scope.owned_appends = owned_appends(region, scope.locals)
            from graphoid.compiler.loop_versions import closure_writes

            scope.closure_writes = closure_writes(region)
            scope.texts = proven_texts(region, scope.locals - scope.params)
        if loop_kind is not None:
            scope.ints[names[0]] = loop_kind
        saved_out, saved_scope = self.out, self.scope
        self.out, self.scope = [], scope
        fast_body: list[py.stmt] | None = None
        try:
            declarations: list[py.stmt] = []
            if scope.globals:
                declarations.append(py.Global(names=sorted(mangle(n) for n in scope.globals)))
            if scope.nonlocals:
                declarations.append(py.Nonlocal(names=sorted(mangle(n) for n in scope.nonlocals)))
            for stmt in declarations:
                self.emit(stmt)
            self.tick()
            args = self.parameters(params, self_param) if loop_kind is None else self.loop_parameters()
            for ident in sorted(scope.dynamic_locals):
                flag = self.temp("d")
                scope.dyn_flags[ident] = flag
                self.emit(P.assign(flag, P.call("_rt_self_has", P.name(method.self_name), P.const(ident))))
            if guard_only is not None:
                self.emit(py.Return(value=P.to_bool(self.cond(guard_only))))
            elif clauses:
                if len(params) != 1:
                    raise _syntax("A pattern-clause function takes exactly one parameter", span)
                subject = P.name(mangle(params[0].name))
                self.match_arms(subject, [(c.pattern, c.guard, c.body, c.span) for c in clauses], self.sink_return())
            elif isinstance(body, g.Block):
                sink = self.sink_return() if returns_last else None
                if has_open_configure(body.body):
                    self.scoped_settings(lambda: self.block(body.body, sink))
                elif view_body and scope.self_direct:
                    fast_body = self.view_body(body, sink)
                else:
                    self.block(body.body, sink)
            elif loop_kind is not None:
                self.generate_loop(args, names[0], body)
            elif body is not None:
                self.s_Return(g.Return(body, span=self.at(body)), None)
            stmts = self.out or [py.Pass()]
        finally:
            self.out, self.scope = saved_out, saved_scope
        self.emit(py.FunctionDef(name=py_name, args=args, body=stmts, decorator_list=[], returns=None,
                                 type_comment=None))
        if loop_kind is not None:
            return P.name(py_name)
        rest = any(p.rest for p in params)
        shown = tuple(p.name for p in params)
        value = P.call("_rt_fn", P.name(py_name), P.const(label), P.const(shown), P.const(rest))
        if fast_body is None:
            return value
        fast_name = f"_rt_f{self.unit}_{next(self._function_numbers)}"
        self.function_labels[fast_name] = self.function_labels[py_name]
        fast_def = py.FunctionDef(name=fast_name, args=copy.deepcopy(args), body=fast_body, decorator_list=[],
                                  returns=None, type_comment=None)
        self.emit(fast_def)
        if outer.kind == "module" and not self.limits and label is not None:
            from graphoid.compiler.inline_leaf import leaf_template

            template = leaf_template(fast_def)
            if template is not None:
                self.leaf_templates.setdefault(label, []).append(template)
        return P.call("_rt_fast", value, P.name(fast_name))

    def view_body(self, body: g.Block, sink: Sink) -> list[py.stmt]:
        """A leaf method's body twice: while the receiver's write epoch holds (no setter, not
        frozen) a fast form reading and writing its properties through a PropertyView hoisted
        into a local, with no per-write check, else the usual form. Sound because a leaf body
        runs no user code (`_calls_nothing(entry, attributes=False)`), so nothing can freeze the receiver, add a setter
        or replace its property dict while the fast form runs.

        Returns the body of the method's fast-form function (functions.with_fast_form): the
        prologue emitted so far and the fast form with no entry test, for call sites whose
        cache proves it (classes.fill_site)."""
        scope = self.scope
        receiver = P.name(scope.method.self_name)
        view = self.temp("v")
        prologue = copy.deepcopy(self.out)
        scope.prop_view = view
        try:
            fast, _ = self.capture(lambda: self.block(body.body, sink))
        finally:
            scope.prop_view = None
        plain, _ = self.capture(lambda: self.block(body.body, sink))
        load_view = P.assign(view, P.attr(P.dup(receiver), "_pview"))
        fast_function = [*prologue, copy.deepcopy(load_view), *copy.deepcopy(fast)]
        made = P.if_(py.Compare(left=P.name(view), ops=[py.Is()], comparators=[P.const(None)]),
                     [P.assign(view, P.call("_rt_view", P.dup(receiver)))])
        self.emit(P.if_(P.attr(P.attr(P.dup(receiver), "_pw"), "ok"), [load_view, made, *fast], plain or [py.Pass()]))
        return fast_function

    def loop_parameters(self) -> py.arguments:
        """`(start, stop)`: the range of an inline `list.generate` loop (see function)."""
        bounds = [py.arg(arg=self.temp()), py.arg(arg=self.temp())]
        for item in bounds:
            P.stamp(item, self.span)
        return py.arguments(posonlyargs=[], args=bounds, vararg=None, kwonlyargs=[], kw_defaults=[],
                            kwarg=None, defaults=[])

    def generate_loop(self, args: py.arguments, param: str, body: Any) -> None:
        """`out = []; for param in range(start, stop): out.append(body)`, returning out as a list."""
        out, add = self.temp(), self.temp()
        self.emit(P.assign(out, P.call("_rt_GList")))
        self.emit(P.assign(add, P.attr(P.name(out), "append")))
        stmts, value = self.capture(lambda: self.expr(body))
        bounds = [P.name(a.arg) for a in args.args]
        self.emit(py.For(target=P.store(mangle(param)), iter=P.call("_rt_range", *bounds),
                         body=[*stmts, P.expr_stmt(P.call(add, value))], orelse=[]))
        self.emit(py.Return(value=P.name(out)))

    def parameters(self, params: tuple[g.Param, ...], self_param: bool) -> py.arguments:
        """Python parameters (all optional: missing arguments are none) and default handling."""
        positional: list[py.arg] = []
        defaults: list[py.expr] = []
        vararg = None
        if self_param:
            positional.append(py.arg(arg="self"))
            defaults.append(P.const(None))
        # Graph methods need their exact arity (reference); a parameter with no default is then
        # required, as far as Python allows (no required parameter after an optional one).
        exact = self_param and not any(p.default is not None for p in params[:-1])
        if exact:
            defaults = []
        for param in params:
            ident = mangle(param.name)
            if param.rest:
                vararg = py.arg(arg=ident)
                self.emit(P.assign(ident, P.call("_rt_GList", P.name(ident))))
                continue
            positional.append(py.arg(arg=ident))
            if param.default is None:
                if not exact:
                    defaults.append(P.const(None))
                continue
            defaults.append(P.name("_rt_MISSING"))
            saved = self.span
            self.span = self.at(param.default)
            try:
                stmts, value = self.capture(lambda p=param: self.expr(p.default))
                stmts.append(P.assign(ident, value))
                for stmt in stmts:
                    P.stamp(stmt, self.span)
                test = py.Compare(left=P.name(ident), ops=[py.Is()], comparators=[P.name("_rt_MISSING")])
                self.emit(P.if_(test, stmts))
            finally:
                self.span = saved
        for item in positional + ([vararg] if vararg else []):
            P.stamp(item, self.span)
        return py.arguments(posonlyargs=[], args=positional, vararg=vararg, kwonlyargs=[], kw_defaults=[],
                            kwarg=None, defaults=defaults)

    def resolve(self, scope: Scope, assigned: list[str], updates: set[str]) -> None:
        """Decide for each name a function binds: parameter, enclosing, property, global, local."""
        method = scope.method
        for ident in assigned:
            if ident in scope.params:
                continue
            if ident not in updates:
                scope.locals.add(ident)  # loop/catch/match variables, nested fn names
                continue
            if scope.binds_in_enclosing_function(ident):
                scope.nonlocals.add(ident)
            elif method is not None and ident in method.props and ident != method.self_name:
                scope.props.add(ident)
            elif scope.is_global(ident):
                scope.globals.add(ident)
            else:
                scope.locals.add(ident)
                if method is not None and method.dynamic:
                    scope.dynamic_locals.add(ident)

    # ------------------------------------------------------------------ names

    def simple_target(self, ident: str) -> str | None:
        """The Python name to store `ident` into directly, or None when it needs a helper."""
        scope = self.scope
        if scope.kind == "function" and (ident in scope.props or ident in scope.dynamic_locals):
            return None
        return mangle(ident)

    def assign_name(self, ident: str, value: py.expr) -> None:
        scope = self.scope
        if self.integer_mode:
            value = P.call("_rt_int_mode", value)
        if scope.kind == "function" and scope.method is not None:
            self_name = P.name(scope.method.self_name)
            if ident in scope.props:
                self.emit_self_write(ident, value)
                return
            if ident in scope.dynamic_locals:
                value = self.materialize(value)
                writes, _ = self.capture(lambda: self.emit_self_write(ident, P.dup(value)))
                self.emit(P.if_(P.name(scope.dyn_flags[ident]), writes, [P.assign(mangle(ident), P.dup(value))]))
                return
        self.emit(P.assign(mangle(ident), value))

    def emit_self_write(self, ident: str, value: py.expr) -> None:
        """An implicit-self property write: a direct store into the receiver's property dict
        while its write epoch says no setter exists and it is not frozen, else `set_property`."""
        scope = self.scope
        self_name = scope.method.self_name
        if not scope.self_direct or ident in _CONTEXT_PROPERTIES:
            # (`graph` and `id` always through set_property: a store that adds one of them must
            # end the context-keys epoch, classes.context_keys_may_appear)
            self.emit(P.expr_stmt(P.call("_rt_self_set", P.name(self_name), P.const(ident), value)))
            return
        if scope.prop_view is not None and not ident.startswith("__"):
            target = py.Attribute(value=P.name(scope.prop_view), attr=ident, ctx=py.Store())
            self.emit(py.Assign(targets=[target], value=value))
            return
        value = self.materialize(value) if not P.is_simple(value) else value
        store = py.Assign(targets=[py.Subscript(value=P.attr(P.name(self_name), "_props"), slice=P.const(ident),
                                                ctx=py.Store())], value=value)
        test = P.attr(P.attr(P.name(self_name), "_pw"), "ok")
        slow = P.expr_stmt(P.call("_rt_self_set", P.name(self_name), P.const(ident), P.dup(value)))
        self.emit(P.if_(test, [store], [slow]))

    def self_read(self, ident: str) -> py.expr:
        """An implicit-self property read: the receiver's property dict first (what
        `get_property` checks first too), `_rt_self_get` when the name is not stored there."""
        scope = self.scope
        self_name = scope.method.self_name
        slow = P.call("_rt_self_get", P.name(self_name), P.const(ident))
        if not scope.self_direct:
            return slow
        tmp = self.temp()
        if scope.prop_view is not None and not ident.startswith("__"):
            fast: py.expr = P.attr(P.name(scope.prop_view), ident)
        else:
            fast = py.Subscript(value=P.attr(P.name(self_name), "_props"), slice=P.const(ident), ctx=py.Load())
        self.emit(P.try_except([P.assign(tmp, fast)], P.name("_rt_SelfMiss"), [P.assign(tmp, slow)]))
        return P.name(tmp)

    def load_name(self, ident: str) -> py.expr:
        scope = self.scope
        method = scope.method if scope.kind == "function" else None
        if method is None or ident == method.self_name or ident in scope.params:
            return P.name(mangle(ident))
        if ident in scope.props or (ident in method.props and not self.bound_locally(ident)):
            return self.self_read(ident)
        if ident in scope.dynamic_locals:
            # Decided once per call (at entry): does the receiver own a property of that name?
            return py.IfExp(test=P.name(scope.dyn_flags[ident]),
                            body=P.call("_rt_self_get", P.name(method.self_name), P.const(ident)),
                            orelse=P.name(mangle(ident)))
        if self.bound_lexically(ident):
            return P.name(mangle(ident))
        return self.with_fallback(P.name(mangle(ident)),
                                  P.call("_rt_self_read", P.name(method.self_name), P.const(ident)))

    def bound_locally(self, ident: str) -> bool:
        """A parameter or local of this function or of an enclosing one (beats implicit self)."""
        scope = self.scope
        return (ident in scope.params or ident in scope.locals or ident in scope.nonlocals
                or scope.binds_in_enclosing_function(ident))

    def bound_lexically(self, ident: str) -> bool:
        scope = self.scope
        return (ident in scope.locals or ident in scope.nonlocals or ident in scope.globals
                or scope.binds_in_enclosing_function(ident) or scope.is_global(ident))

    def with_fallback(self, fast: py.expr, slow: py.expr) -> py.expr:
        """`try: t = fast except NameError: t = slow` (names that may be implicit-self reads)."""
        tmp = self.temp()
        self.emit(P.try_except([P.assign(tmp, fast)], P.name("_rt_NameError"), [P.assign(tmp, slow)]))
        return P.name(tmp)

    def dynamic_branch(self, ident: str | None, emit: Callable[[], py.expr]) -> py.expr:
        """Run emit once for a name that may be a receiver property and once for a plain local,
        selecting at run time by the per-call flag; other names run emit directly."""
        scope = self.scope
        if ident is None or scope.kind != "function" or ident not in scope.dynamic_locals:
            return emit()
        flag = scope.dyn_flags[ident]
        result = self.temp()
        scope.dynamic_locals.discard(ident)
        try:
            scope.props.add(ident)
            try:
                prop_stmts, prop_value = self.capture(emit)
            finally:
                scope.props.discard(ident)
            var_stmts, var_value = self.capture(emit)
        finally:
            scope.dynamic_locals.add(ident)
        prop_stmts.append(P.assign(result, prop_value))
        var_stmts.append(P.assign(result, var_value))
        for stmt in prop_stmts[-1:] + var_stmts[-1:]:
            P.stamp(stmt, self.span)
        self.emit(P.if_(P.name(flag), prop_stmts, var_stmts))
        return P.name(result)

    # ------------------------------------------------------------------ assignment

    def assign(self, target: Any, value_node: Any, keep_value: bool = True) -> py.expr:
        """Compile `target = value`; returns an expression reading the assigned value (which
        only holds afterwards when keep_value)."""
        if isinstance(target, g.Name):
            direct = self.simple_target(target.id)
            if (direct is not None and not self.integer_mode and isinstance(value_node, g.Binary)
                    and _has_plus(value_node)):
                self.guarded_arith(value_node, dest=direct)
                return P.name(direct)
            if direct is not None and not self.integer_mode and isinstance(value_node, g.MethodCall):
                value = self.method_call(value_node, dest=direct, plain_list=target.id in self.scope.plain_lists)
                if not (isinstance(value, py.Name) and value.id == direct):
                    self.emit(P.assign(direct, value))
                return P.name(direct)
            value = self.expr(value_node)
            if direct is not None and not self.integer_mode:
                built = self.built_map(value)
                self.emit(P.assign(direct, built))
                if built is not value:
                    self.emit(P.assign(built.id, P.const(None)))  # no stale reference: copy-on-write counts them
                return P.name(direct)
            value = self.materialize(value)
            self.assign_name(target.id, value)
            return value
        computed = self.expr(value_node)
        built = self.built_map(computed)
        value = self.materialize(built)

        def store() -> py.expr:
            root, steps, _ = self.open_place(target, read=False)
            self.close_place(root, steps, value)
            return P.const(None)
        self.dynamic_branch(root_name(target), store)
        if built is not computed and not keep_value:
            self.emit(P.assign(value.id, P.const(None)))  # no stale reference: copy-on-write counts them
        return value

    def open_place(self, node: Any, read: bool = True) -> tuple[tuple[str, str | None], list[tuple], py.expr | None]:
        """Evaluate an assignable chain (`a`, `a[i].b`, implicit-self `items[0]`) exactly once.

        Returns (root, steps, value): root is ("var", name), ("prop", name) or ("expr", None);
        steps are (container, parent, helper, key) from the outermost container inwards; value
        reads the place itself (None when read is False, the outermost call of an assignment).
        """
        if isinstance(node, g.Name):
            if self.is_self_property(node.id):
                current = self.materialize(P.call("_rt_self_get", P.name(self.scope.method.self_name),
                                                  P.const(node.id)))
                return ("prop", node.id), [], current
            return ("var", node.id), [], self.load_name(node.id)
        if not isinstance(node, (g.Index, g.Attr)):
            # the chain starts at an expression (a call, a literal): its value is the root
            # container, stored into in place (a graph) or as a temporary (a list or map)
            return ("expr", None), [], self.materialize(self.expr(node))
        root, steps, container = self.open_place(node.obj)
        parent = steps[-1][0] if steps else None
        if isinstance(node, g.Index):
            key = self.expr(node.index)
            if read or not isinstance(node.obj, g.Name) or not isinstance(key, py.Name):
                # a later step or a read may run user code that rebinds a key variable
                key = self.materialize(key)
            helper, reader = "_rt_setindex", "_rt_index"
        else:
            key = P.const(node.name)
            helper, reader = "_rt_setattr", "_rt_getattr"
        steps.append((container, parent, helper, key))
        if not read:
            return root, steps, None
        return root, steps, self.materialize(P.call(reader, P.dup(container), P.dup(key)))

    def close_place(self, root: tuple[str, str | None], steps: list[tuple], value: py.expr) -> None:
        """Store value at the end of the chain and write every changed container back outwards."""
        kind, ident = root
        for position in range(len(steps) - 1, -1, -1):
            container, parent, helper, key = steps[position]
            if position == 0 and kind == "var":
                def store() -> py.expr:
                    return P.call(helper, P.dup(container), P.dup(key), P.dup(value), self.unique_var(container))
                if helper == "_rt_setindex" and self.inline_store_index(ident, container, key, value, store):
                    return
                self.store_var(ident, store())
                return
            if position == 0 and kind == "expr":
                self.emit(P.expr_stmt(P.call(helper, P.dup(container), P.dup(key), value, P.const(False))))
                return
            unique = self.unique_elem(parent, container)
            # Rebinding the container's own temporary keeps no stale reference alive.
            self.emit(P.assign(container.id, P.call(helper, P.dup(container), P.dup(key), value, unique)))
            value = P.name(container.id)
        if kind == "prop":
            self.emit(P.expr_stmt(P.call("_rt_self_set", P.name(self.scope.method.self_name), P.const(ident),
                                         value)))
        elif kind == "var":
            self.store_var(ident, value)

    def inline_store_index(self, ident: str, container: py.expr, key: py.expr, value: py.expr,
                           store: Callable[[], py.expr]) -> bool:
        """`xs[k] = v` on a variable: store in place when xs is a uniquely held plain map with a
        string key (or list with an int key), else `store` (the helper). False: not inlinable."""
        target = self.simple_target(ident)
        if (target is None or self.integer_mode or not isinstance(container, py.Name)
                or not P.is_simple(key) or not P.is_simple(value)):
            return False
        kind = self.fresh_kind(ident)
        if kind is not None:
            return self.fresh_store_index(kind, target, key, value)
        flag = self.scope.owned_moves.get(ident)
        if flag is not None and self.owned_store_index(flag, target, key, value, store):
            return True
        arms = []
        key_class = type(key.value) if isinstance(key, py.Constant) else None
        for container_class, key_helper, key_type in (("_rt_GMap", "_rt_str", str), ("_rt_GList", "_rt_int", int)):
            if key_class is not None and key_class is not key_type:
                continue
            test = [py.Compare(left=P.attr(P.dup(container), "__class__"), ops=[py.Is()],
                               comparators=[P.name(container_class)])]
            if key_class is None:
                test.append(py.Compare(left=P.attr(P.dup(key), "__class__"), ops=[py.Is()],
                                       comparators=[P.name(key_helper)]))
            arms.append(test[0] if len(test) == 1 else py.BoolOp(op=py.And(), values=test))
        if not arms:
            return False
        # Rules and a frozen flag live in the instance __dict__ (types.GList/GMap): empty = plain.
        test = py.BoolOp(op=py.And(), values=[
            arms[0] if len(arms) == 1 else py.BoolOp(op=py.Or(), values=arms),
            self.unique_inline(container),
            P.not_(P.attr(P.dup(container), "__dict__")),
        ])
        # A list index out of range raises here; the helper then reports it in Graphoid's words.
        fast = py.Subscript(value=P.dup(container), slice=P.dup(key), ctx=py.Store())
        in_place = P.try_except([P.assign(fast, P.dup(value))], P.name("_rt_IndexError"),
                                [P.assign(target, store())])
        self.emit(P.if_(test, [in_place], [P.assign(target, store())]))
        return True

    def move_element(self, ident: str, container: str, key: g.Const | g.Name) -> None:
        """`v = m[k]` that takes the element out of fresh map m, leaving none in its slot until
        the store-back `m[k] = v` that follows (freshvars.analyse proves nothing reads m before)."""
        key_value = self.expr(key)
        read = py.Subscript(value=P.name(mangle(container)), slice=P.dup(key_value), ctx=py.Load())
        emptied = py.Subscript(value=P.name(mangle(container)), slice=P.dup(key_value), ctx=py.Store())
        fallback = P.call("_rt_index", P.name(mangle(container)), P.dup(key_value))
        self.emit(P.try_except([P.assign(mangle(ident), read), P.assign(emptied, P.const(None))],
                               P.name("_rt_IndexErrors"), [P.assign(mangle(ident), fallback)]))

    def own_moved(self, ident: str, proven_plain: bool) -> None:
        """After an owned move out: test once whether the moved map is plain and held only by
        ident (the test of an inline store), into a flag its stores up to the store-back test
        instead (freshvars.py: nothing between can share, freeze or give rules to it). A map
        proven plain (PLAIN_OWNED_MOVE_OUT) has only its reference count to test."""
        current = P.name(mangle(ident))
        unique = self.unique_inline(current)
        if proven_plain:
            test = unique
        else:
            test = py.BoolOp(op=py.And(), values=[
                py.Compare(left=P.attr(P.dup(current), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_GMap")]),
                unique,
                P.not_(P.attr(P.dup(current), "__dict__")),
            ])
        flag = self.temp("own")
        self.emit(P.assign(flag, P.const(False)))
        self.emit(P.if_(test, [P.assign(flag, P.const(True))]))
        self.scope.owned_moves[ident] = flag

    def owned_store_index(self, flag: str, target: str, key: py.expr, value: py.expr,
                          store: Callable[[], py.expr]) -> bool:
        """`v[k] = x` on a map moved out under flag (own_moved): a plain store when the flag and
        the key's class allow, else `store` (the helper). False: not inlinable."""
        if isinstance(key, py.Constant) and type(key.value) is not str:
            return False
        test: py.expr = P.name(flag)
        if not isinstance(key, py.Constant):
            test = py.BoolOp(op=py.And(), values=[test, py.Compare(
                left=P.attr(P.dup(key), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_str")])])
        fast = P.assign(py.Subscript(value=P.name(target), slice=P.dup(key), ctx=py.Store()), P.dup(value))
        self.emit(P.if_(test, [fast], [P.assign(target, store())]))
        return True

    def fresh_kind(self, ident: str) -> str | None:
        """MAP or LIST when ident is a local proven fresh (freshvars.py): a uniquely held plain container."""
        return None if self.integer_mode else self.scope.fresh.get(ident)

    def fresh_store_index(self, kind: str, target: str, key: py.expr, value: py.expr) -> bool:
        """`xs[k] = v` on a proven fresh container: only the key's class is left to test."""
        key_type, key_helper = (str, "_rt_str") if kind == MAP else (int, "_rt_int")

        def store() -> py.expr:  # the helper reports bad keys; the container is held once
            return P.call("_rt_setindex", P.name(target), P.dup(key), P.dup(value), P.const(True))
        fast: py.stmt = P.assign(py.Subscript(value=P.name(target), slice=P.dup(key), ctx=py.Store()), P.dup(value))
        if kind == LIST:
            # An index out of range raises here; the helper then reports it in Graphoid's words.
            fast = P.try_except([fast], P.name("_rt_IndexError"), [P.assign(target, store())])
        if isinstance(key, py.Constant):
            if type(key.value) is not key_type:
                return False
            self.emit(fast)
            return True
        test = py.Compare(left=P.attr(P.dup(key), "__class__"), ops=[py.Is()], comparators=[P.name(key_helper)])
        self.emit(P.if_(test, [fast], [P.assign(target, store())]))
        return True

    def unique_inline(self, current: py.expr) -> py.expr:
        """Is current held by its variable only? (an inline test, with no helper call around it)"""
        count = P.call("_rt_getrefcount", P.dup(current))
        if self.thresholds is None:
            return P.call("_rt_inline_probe", count)
        return py.Compare(left=count, ops=[py.LtE()], comparators=[P.const(self.thresholds.get("inline", 0))])

    def store_var(self, ident: str, value: py.expr) -> None:
        direct = self.simple_target(ident)
        if direct is not None and not self.integer_mode:
            self.emit(P.assign(direct, value))
            return
        value = self.materialize(value)
        self.assign_name(ident, value)
        if isinstance(value, py.Name):
            self.emit(P.assign(value.id, P.const(None)))

    def is_self_property(self, ident: str) -> bool:
        scope = self.scope
        if scope.kind != "function" or scope.method is None:
            return False
        if ident in scope.props:
            return True
        return ident in scope.method.props and not self.bound_locally(ident)

    def unique_var(self, current: py.expr) -> py.expr:
        count = P.call("_rt_getrefcount", P.dup(current))
        if self.thresholds is None:
            return count
        limit = self.thresholds.get("var", 0)
        return py.Compare(left=count, ops=[py.LtE()], comparators=[P.const(limit)])

    def unique_elem(self, parent: py.expr | None, current: py.expr) -> py.expr:
        count = P.call("_rt_getrefcount", P.dup(current))
        if self.thresholds is None:
            test: py.expr = count
        else:
            test = py.Compare(left=count, ops=[py.LtE()], comparators=[P.const(self.thresholds.get("elem", 0))])
        if parent is None:
            return test
        return py.BoolOp(op=py.And(), values=[P.call("_rt_isref", P.dup(parent)), test])

    # ------------------------------------------------------------------ bang methods

    def bang(self, node: g.MethodCall, want_value: bool) -> py.expr:
        receiver = node.receiver
        if not isinstance(receiver, (g.Name, g.Index, g.Attr)) or root_name(receiver) is None:
            # Reported when reached (like the reference), after the receiver is evaluated.
            value = self.expr(receiver)
            if not P.is_simple(value):
                self.emit(P.expr_stmt(value))
            message = f"'{node.name}!' needs a variable (or a property or element of one) as receiver"
            self.emit(py.Raise(exc=P.call("_rt_error", P.const("RuntimeError"), P.const(message)), cause=None))
            return P.const(None)
        return self.dynamic_branch(root_name(receiver), lambda: self.bang_place(node, want_value))

    def bang_place(self, node: g.MethodCall, want_value: bool) -> py.expr:
        receiver = node.receiver
        root, steps, current = self.open_place(receiver)
        args, kwargs = self.arguments(node.args)
        if (root[0] == "var" and not steps and node.name in ("append", "push") and len(node.args) == 1
                and node.args[0].name is None and self.simple_target(root[1]) is not None
                and not self.integer_mode):
            # The commonest `!` call gets its own helper (same argument layout, so the same
            # calibrated reference-count threshold); its value is always none.
            target = self.simple_target(root[1])
            value = args.elts[0]
            if not P.is_simple(value):
                value = self.materialize(self.built_map(value))
            slow = P.assign(target, P.call("_rt_append", P.dup(current), P.dup(value), self.unique_var(current)))
            if isinstance(value, py.Name) and value.id == target:
                self.emit(slow)  # `xs.append!(xs)` must append a copy, never the list itself
                return P.const(None)
            fast = P.expr_stmt(P.call(P.attr(P.dup(current), "append"), P.dup(value)))
            if self.fresh_kind(root[1]) == LIST:
                # (a bound `append` kept per loop run measured slower here than this call)
                self.emit(fast)
                return P.const(None)
            # Inline: a uniquely held plain GList (no rules, not frozen: types.GList.plain) appends in place.
            test = py.BoolOp(op=py.And(), values=[
                py.Compare(left=P.attr(P.dup(current), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_GList")]),
                P.attr(P.dup(current), "plain"),
                self.unique_inline(current),
            ])
            flag = self.scope.append_flags.get(root[1])
            if flag is None:
                self.emit(P.if_(test, [fast], [slow]))
            else:
                # Known unique for the rest of this loop run once the test held (loop_appends.py).
                tested = P.if_(test, [P.assign(flag, P.const(True)), copy.deepcopy(fast)], [slow])
                self.emit(P.if_(P.name(flag), [fast], [tested]))
            return P.const(None)
        if root[0] == "var" and not steps:
            unique = self.unique_var(current)
            result = P.call("_rt_call_bang", P.dup(current), P.const(node.name), args, kwargs, unique)
            direct = self.simple_target(root[1])
            if direct is not None and not self.integer_mode:
                if not want_value:
                    self.emit(P.assign(direct, py.Subscript(value=result, slice=P.const(0), ctx=py.Load())))
                    return P.const(None)
                out = self.temp()
                self.emit(py.Assign(targets=[py.Tuple(elts=[P.store(direct), P.store(out)], ctx=py.Store())],
                                    value=result))
                return P.name(out)
            current = self.temp()
        else:
            parent = steps[-1][0] if steps else None
            result = P.call("_rt_call_bang", P.dup(current), P.const(node.name), args, kwargs,
                            self.unique_elem(parent, current))
            current = current.id
        out = self.temp()
        self.emit(py.Assign(targets=[py.Tuple(elts=[P.store(current), P.store(out)], ctx=py.Store())],
                            value=result))
        self.close_place(root, steps, P.name(current))
        return P.name(out)

    # ------------------------------------------------------------------ graph declarations

    def s_GraphDecl(self, node: g.GraphDecl, sink: Sink) -> None:
        graph_type = self.expr(node.graph_type) if node.graph_type is not None else P.const(None)
        parent = self.expr(node.parent) if node.parent is not None else P.const(None)
        template = self.temp("g")
        self.emit(P.assign(template, P.call("_rt_declare_class", P.const(node.name), graph_type, parent)))
        self.assign_name(node.name, P.name(template))
        props = frozenset(e.name for e in node.entries if isinstance(e, g.PropertyDecl))
        methods = frozenset(e.name for e in node.entries if isinstance(e, g.FnDef))
        context = MethodContext("self", props, methods, node.parent is not None, template)
        for entry in node.entries:
            saved = self.span
            self.span = self.at(entry)
            try:
                self.graph_entry(template, entry, context)
            finally:
                self.span = saved
        if sink is not None:
            sink(P.const(None))

    def accumulator_arms(self, entry: g.FnDef, context: MethodContext) -> dict[str, str]:
        """Message kinds an `on_message` handler only adds into a property: symbol -> property.

        An arm `[:s, x] => { p = p + x }` (p a declared property, no guard) of a handler whose
        whole body is `match msg { ... }`, and that no earlier arm could take, does exactly
        "props[p] = props[p] + payload". The messaging engine applies such messages in place,
        in delivery order, without a handler call (functions.with_folds, messaging.execute);
        anything unusual (a setter, frozen, a non-number) still runs the compiled handler."""
        match = _handler_match(entry)
        if match is None or self.integer_mode:
            return {}
        param = entry.params[0]
        enclosing = self.scope
        folds: dict[str, str] = {}
        taken: set[str] = set()  # heads an earlier arm could take
        for arm in match.arms:
            head = _pair_head(arm.pattern)
            if head == "*":
                break  # an earlier arm may take any [:s, x]: later arms are never reached
            fold = _accumulation(arm, context.props, param.name)
            if fold is not None and head not in taken and head not in folds:
                prop = fold[1]
                if not (enclosing.kind == "function" and enclosing.is_variable(prop)):
                    folds[head] = prop
            if head is not None:
                taken.add(head)
        return folds

    def symbol_arms(self, entry: Any) -> list[tuple[str, Any]]:
        """The arms an `on_message` handler runs for a bare symbol message, by symbol.

        For a handler whose whole body is `match msg { ... }`, an unguarded arm `:s => body`
        that no earlier arm could take is what every `:s` message runs; compiled as a
        function of its own, a broadcast of `:s` calls it directly for every node and skips
        the match (functions.with_arms, messaging._run_uniform)."""
        match = _handler_match(entry)
        if match is None:
            return []
        arms: list[tuple[str, Any]] = []
        taken: set[str] = set()  # symbols an earlier arm may take
        for arm in match.arms:
            pattern = arm.pattern
            if isinstance(pattern, (g.PWildcard, g.PBind)):
                break  # takes every symbol: later arms are not reached by one
            if not (isinstance(pattern, g.PLiteral) and isinstance(pattern.value, g.SymbolLit)):
                continue  # a list or another literal never matches a symbol
            name = pattern.value.name
            if arm.guard is None and name not in taken:
                arms.append((name, arm))
            taken.add(name)
        return arms

    def route_fill(self, body: Any, context: MethodContext, param: str) -> py.expr:
        """`(h, x)` for a symbol arm whose whole body is `self.graph.send([:h, x], from: self.id,
        via: "*")` with a literal x, else none: every node sends the same payload, so a
        broadcast of that symbol fills the engine's lane in one C-level store instead of one
        handler call per node (functions.with_arms, messaging._run_uniform). Not with
        limits on: each handler call counts a step."""
        message = None if self.limits else _constant_route_message(body, context, param)
        if message is None:
            return P.const(None)
        return py.Tuple(elts=[self.expr(item) for item in message.items], ctx=py.Load())

    def graph_entry(self, template: str, entry: Any, context: MethodContext) -> None:
        target = P.name(template)
        if isinstance(entry, g.PropertyDecl):
            value = self.expr(entry.value)
            self.emit(P.expr_stmt(P.call(P.attr(target, "define_property"), P.const(entry.name), value)))
        elif isinstance(entry, g.FnDef):
            leaf = _calls_nothing(entry)
            fn = self.function(entry.name, entry.params, entry.body, returns_last=True, clauses=entry.clauses,
                               method=context, self_param=True, span=entry.span,
                               view_body=leaf and entry.kind != "set" and _calls_nothing(entry, attributes=False))
            guard: py.expr = P.const(None)
            if entry.guard is not None:
                guard = self.function(f"{entry.name} guard", entry.params, None, returns_last=True,
                                      method=context, self_param=True, span=entry.guard.span,
                                      guard_only=entry.guard)
            keywords = [
                py.keyword(arg="guard", value=guard),
                py.keyword(arg="static", value=P.const(entry.is_static)),
                py.keyword(arg="private", value=P.const(entry.is_private)),
                py.keyword(arg="setter", value=P.const(entry.kind == "set")),
            ]
            if leaf:
                fn = P.call("_rt_leaf", fn)
            folds = self.accumulator_arms(entry, context)
            if folds:
                fn = P.call("_rt_folds", fn, P.const(tuple(sorted(folds.items()))))
            arms = self.symbol_arms(entry)
            if arms:
                compiled = [
                    py.Tuple(elts=[P.const(name), self.function(
                        entry.name, entry.params, _as_block(arm.body), returns_last=True, method=context,
                        self_param=True, span=entry.span),
                        P.const(_keeps_state(arm.body, context, entry.params[0].name)),
                        self.route_fill(arm.body, context, entry.params[0].name)], ctx=py.Load())
                    for name, arm in arms
                ]
                fn = P.call("_rt_arms", fn, py.Tuple(elts=compiled, ctx=py.Load()))
            self.emit(P.expr_stmt(P.call(P.attr(target, "define_method"), P.const(entry.name), fn,
                                         keywords=keywords)))
        elif isinstance(entry, g.RuleDecl):
            args = self.seq([entry.rule, *entry.args])
            self.emit(P.expr_stmt(P.call(P.attr(target, "add_rule"), *args)))
        elif isinstance(entry, g.Configure):
            access: list[py.keyword] = []
            for setting in entry.settings:
                value = self.expr(setting.value)
                if setting.key in ("readable", "writable", "accessible"):
                    access.append(py.keyword(arg=setting.key, value=value))
                elif setting.key == "behaviors":
                    self.emit(P.expr_stmt(P.call("_rt_add_behaviors", target, value)))
                else:
                    raise _syntax(f"Unknown graph configure setting '{setting.key}'", setting.span)
            if access:
                self.emit(P.expr_stmt(P.call(P.attr(target, "configure_access"), keywords=access)))
        else:
            raise _syntax(f"Unexpected entry in graph body: {type(entry).__name__}", self.at(entry))

    # ------------------------------------------------------------------ expressions

    def expr(self, node: Any) -> py.expr:
        saved = self.span
        self.span = self.at(node)
        try:
            method = getattr(self, "e_" + type(node).__name__, None)
            if method is None:
                raise _syntax(f"Unsupported expression {type(node).__name__}", self.span)
            result = method(node)
            P.stamp(result, self.span)
            return result
        finally:
            self.span = saved

    def e_Const(self, node: g.Const) -> py.expr:
        return P.const(node.value)

    def e_SymbolLit(self, node: g.SymbolLit) -> py.expr:
        return symbol_expr(node.name)

    def e_RegexLit(self, node: g.RegexLit) -> py.expr:
        return P.call("_rt_regex", P.const(node.pattern), P.const(node.flags))

    def e_Name(self, node: g.Name) -> py.expr:
        return self.load_name(node.id)

    def e_ListLit(self, node: g.ListLit) -> py.expr:
        items = self.seq(list(node.items))
        return P.call("_rt_GList", py.List(elts=items, ctx=py.Load()))

    def e_MapLit(self, node: g.MapLit) -> py.expr:
        values = self.seq([value for _, value in node.entries])
        if not values:
            return P.call("_rt_GMap")
        names = [key for key, _ in node.entries]
        if all(_keyword_name(key) for key in names) and len(set(names)) == len(names):
            # keyword arguments fill the new map directly (no dict to build and copy), in order;
            # built_map still turns an assigned, appended or stored literal into stores (cheaper)
            return P.call("_rt_GMap", keywords=[py.keyword(arg=key, value=value) for key, value in zip(names, values)])
        keys: list[py.expr | None] = [P.const(key) for key in names]
        return P.call("_rt_GMap", py.Dict(keys=keys, values=values))

    def e_Unary(self, node: g.Unary) -> py.expr:
        operand = self.expr(node.operand)
        if node.op == "-":
            if isinstance(operand, py.Constant) and type(operand.value) in (int, float):
                return P.const(-operand.value)
            return py.UnaryOp(op=py.USub(), operand=operand)
        if node.op == "not":
            return py.UnaryOp(op=py.Not(), operand=operand)
        if node.op == "~":
            return P.call("_rt_bnot", operand)
        if node.op == "await":
            return P.call("_rt_await", operand)
        raise _syntax(f"Unknown unary operator {node.op}", node.span)

    def e_Spawn(self, node: g.Spawn) -> py.expr:
        return P.call("_rt_spawn", self.expr(node.template))

    def e_Binary(self, node: g.Binary) -> py.expr:
        op = node.op
        if _has_plus(node):
            return self.guarded_arith(node)
        if op in ("==", "!="):
            return self.equality(node)
        left, right = self.seq([node.left, node.right])
        if op == "/" and self.lenient:
            return P.call("_rt_div", left, right)
        if op in _RAW_BINOPS:
            return _arith_node(op, left, right, self.lenient, self.limits)
        if op in _CMP:
            return py.Compare(left=left, ops=[_CMP[op]()], comparators=[right])
        if op in _INLINE_INT_OPS:
            return self.inline_int_op(op, left, right, self.int_kind(node.left), self.int_kind(node.right))
        if op in _HELPER_BINOPS:
            return P.call(_HELPER_BINOPS[op], left, right)
        if op == "=~":
            return P.call("_rt_rematch", left, right)
        if op == "!~":
            return P.not_(P.call("_rt_rematch", left, right))
        if op.startswith("."):
            return P.call("_rt_elementwise", P.const(op[1:]), left, right)
        raise _syntax(f"Unknown operator {op}", node.span)

    def int_kind(self, node: Any) -> str | None:
        """NON_NEGATIVE or INT when the scope proves node evaluates to such an int (intvars.py)."""
        return expr_kind(node, self.scope.ints) if self.scope.ints else None

    def inline_int_op(self, op: str, left: py.expr, right: py.expr, left_kind: str | None = None,
                      right_kind: str | None = None, zero_tested: bool = False) -> py.expr:
        """`(a op b) if <ints in range> else _rt_<op>(a, b)`: Python's operator where it agrees
        with Graphoid's, the helper for every other case (floats, signs, bools, errors).
        An operand of a proven kind (`int_kind`) skips the tests the proof already covers.
        `zero_tested`: the value is only compared with 0 (see remainder_zero_test)."""
        helper = _HELPER_BINOPS[op]
        if not (_int_operand_ok(op, left, True) and _int_operand_ok(op, right, False)):
            return P.call(helper, left, right)
        mask_const = isinstance(right, py.Constant) and right.value >= 0
        if not (_int_guard(op, left, True, mask_const, left_kind, zero_tested)
                or _int_guard(op, right, False, False, right_kind)):
            return py.BinOp(left=left, op=_INLINE_INT_OPS[op](), right=right)  # proven: no test at all
        if not P.is_pure(right) or not P.is_simple(left):
            left = self.materialize(left)  # still read before the right operand runs
        if not P.is_simple(right):
            right = self.materialize(right)
        tests = (_int_guard(op, left, True, mask_const, left_kind, zero_tested)
                 + _int_guard(op, right, False, False, right_kind))
        fast = py.BinOp(left=left, op=_INLINE_INT_OPS[op](), right=right)
        slow = P.call(helper, P.dup(left), P.dup(right))
        if not tests:
            return fast
        test = tests[0] if len(tests) == 1 else py.BoolOp(op=py.And(), values=tests)
        return py.IfExp(test=test, body=fast, orelse=slow)

    def arith(self, node: g.Binary) -> tuple[py.expr, py.expr]:
        """A tree of `+ - * / < <= > >=` as (raw Python expression, Graphoid slow form).

        The leaves are compiled left to right; any leaf that is not a name, constant or raw
        arithmetic of them is saved first (and so is every earlier leaf, to keep the order),
        which makes the whole tree safe to evaluate again in the slow form, where each `+` is
        `_rt_add` and the other operators stay raw (their TypeErrors are the Graphoid ones).
        """
        leaves: list[Any] = []
        _arith_leaves(node, leaves)
        values = self.seq(leaves)
        impure = [i for i, v in enumerate(values) if not P.is_pure(v)]
        if impure:
            last = impure[-1]
            values = [self.materialize(v) if i <= last else v for i, v in enumerate(values)]
        fast = _arith_build(node, iter(values), False, self.lenient, self.limits)
        slow = _arith_build(node, iter([P.dup(v) for v in values]), True, self.lenient, self.limits)
        return fast, slow

    def guarded_arith(self, node: g.Binary, dest: str | None = None) -> py.expr:
        """`t = <raw tree>` guarded by a zero-cost try; TypeError takes the Graphoid slow form.

        Trees whose leaves could run user code are split per operator instead, so that an
        error in a left operand still happens before a call on the right.
        """
        if self.int_kind(node) is not None:
            value = self.int_arith(node)
        elif is_text(node):
            value = self.text_concat(node)
        elif self.plus_on_ints_only(node):
            # `i + 8 <= n`: only the other operators can fail, raw as in the slow form
            left, right = self.seq([node.left, node.right])
            value = _arith_node(node.op, left, right, self.lenient, self.limits)
        else:
            return self.checked_arith(node, dest)
        if dest is None:
            return value
        self.emit(P.assign(dest, value))
        return P.name(dest)

    def plus_on_ints_only(self, node: Any) -> bool:
        """Is every `+` of this arithmetic tree one of proven ints (so none needs `_rt_add`)?"""
        if not (isinstance(node, g.Binary) and node.op in _ARITH):
            return True
        if node.op == "+":
            return self.int_kind(node) is not None
        return self.plus_on_ints_only(node.left) and self.plus_on_ints_only(node.right)

    def int_arith(self, node: Any) -> py.expr:
        """A tree of `+ - *` over proven ints as raw Python arithmetic: no TypeError can occur."""
        if isinstance(node, g.Binary) and node.op in ("+", "-", "*"):
            left = self.int_arith(node.left)
            right = self.int_arith(node.right)
            if node.op == "+":
                value: py.expr = py.BinOp(left=left, op=py.Add(), right=right)
            else:
                value = _arith_node(node.op, left, right, self.lenient, self.limits)
            P.stamp(value, node.span)
            return value
        return self.expr(node)

    def text_concat(self, node: g.Binary) -> py.expr:
        """A chain of `+` with a string literal on one side of each (`"n" + i + "|" + x`): every
        operand is formatted as text (ints the scope proves without a type test) and the texts
        joined with str `+`, which cannot fail, so no `try` (ops.add does the same formatting)."""
        operands: list[Any] = []
        _text_operands(node, operands)
        values = self.seq(operands)
        value = self.operand_text(operands[0], values[0])
        for operand, operand_value in zip(operands[1:], values[1:]):
            value = py.BinOp(left=value, op=py.Add(), right=self.operand_text(operand, operand_value))
            P.stamp(value, node.span)
        return value

    def operand_text(self, operand: Any, value: py.expr) -> py.expr:
        """An operand of a string `+` as its text."""
        if isinstance(operand, g.Const) and type(operand.value) is str:
            return value
        if self.int_kind(operand) is not None:
            return self.int_text(value)
        if isinstance(operand, g.Name) and operand.id in self.scope.texts:
            return value
        if self.is_float(operand):
            return P.call("_rt_float_text", value)
        if P.is_simple(value):
            return _as_text(value, isinstance(operand, g.Name) and operand.id in self.scope.numeric)
        saved = self.temp()
        held = py.NamedExpr(target=P.store(saved), value=value)
        if isinstance(operand, g.Binary) and (operand.op in _CMP or operand.op in ("==", "!=")):
            # a comparison gives a bool: `'true' if t is True else 'false' if t is False else _rt_text(t)`
            otherwise = py.IfExp(test=py.Compare(left=P.name(saved), ops=[py.Is()], comparators=[P.const(False)]),
                                 body=P.const("false"), orelse=P.call("_rt_text", P.name(saved)))
            return py.IfExp(test=py.Compare(left=held, ops=[py.Is()], comparators=[P.const(True)]),
                            body=P.const("true"), orelse=otherwise)
        if isinstance(operand, g.Binary) and operand.op in _INT_LIKELY_OPS:
            # arithmetic mostly gives an int: `str(t)` in place for one of fewer digits than any
            # digit limit CPython allows (str() raises above it), `_rt_text(t)` for anything else
            is_int = py.Compare(left=P.attr(held, "__class__"), ops=[py.Is()], comparators=[P.name("_rt_int")])
            in_range = py.Compare(left=P.const(-_TEXT_INT_BOUND), ops=[py.Lt(), py.Lt()],
                                  comparators=[P.name(saved), P.const(_TEXT_INT_BOUND)])
            return py.IfExp(test=py.BoolOp(op=py.And(), values=[is_int, in_range]),
                            body=P.call("_rt_int_str", P.name(saved)), orelse=P.call("_rt_text", P.name(saved)))
        # `(t := value) if t is a str else _rt_text(t)`: a method's string result skips the call
        is_str = py.Compare(left=P.attr(held, "__class__"), ops=[py.Is()], comparators=[P.name("_rt_str")])
        return py.IfExp(test=is_str, body=P.name(saved), orelse=P.call("_rt_text", P.name(saved)))

    def int_text(self, value: py.expr) -> py.expr:
        """The text of a proven int: `str` (one C call), or `_rt_int_text` for the ints over
        CPython's digit limit, where `str` raises ValueError (a `try` costs nothing until then)."""
        if not P.is_pure(value):
            value = self.materialize(value)
        text = self.temp()
        convert = P.try_except([P.assign(text, P.call("_rt_int_str", value))], P.name("_rt_ValueError"),
                               [P.assign(text, P.call("_rt_int_text", P.dup(value)))])
        convert.gd_cannot_fail = True  # type: ignore[attr-defined]  # see _cannot_fail
        self.emit(convert)
        return P.name(text)

    def is_float(self, node: Any) -> bool:
        """Does node always give a float (or fail)? A float literal; `+ - *` of such and proven ints
        with at least one float; `/` of them (outside lenient code, where `/` may give none)."""
        if isinstance(node, g.Const):
            return type(node.value) is float
        if not (isinstance(node, g.Binary) and node.op in ("+", "-", "*", "/")) or (node.op == "/" and self.lenient):
            return False
        sides = (node.left, node.right)
        floats = [self.is_float(side) for side in sides]
        if not all(is_float or expr_kind(side, self.scope.ints) is not None for is_float, side in zip(floats, sides)):
            return False
        return node.op == "/" or any(floats)

    def checked_arith(self, node: g.Binary, dest: str | None = None) -> py.expr:
        """The `try` form of guarded_arith, for operands of unknown types."""
        leaves: list[Any] = []
        _arith_leaves(node, leaves)
        target = dest or self.temp()
        if not all(_plain_leaf(leaf) for leaf in leaves):
            left, right = self.seq([node.left, node.right])
            if node.op != "+":
                value = _arith_node(node.op, left, right, self.lenient, self.limits)
                if dest is None:
                    return value
                self.emit(P.assign(dest, value))
                return P.name(dest)
            left, right = self.reusable_pair(left, right)
            fast = _plus(node, left, right)
            slow = P.call("_rt_add", P.dup(left), P.dup(right))
        else:
            if self.view_arith(node, leaves, lambda value: P.assign(target, value)):
                return P.name(target)
            fast, slow = self.arith(node)
        self.emit(P.try_except([P.assign(target, fast)], P.name("_rt_TypeError"), [P.assign(target, slow)]))
        return P.name(target)

    def view_arith(self, node: g.Binary, leaves: list[Any], finish: Callable[[py.expr], py.stmt]) -> bool:
        """In a fast body (CodeGen.view_body), an arithmetic tree of plain leaves that reads
        properties as one `try` ending in `finish(value)`: the raw tree reads them straight off
        the view, and a missing property (AttributeError) or a TypeError runs the usual form in
        the handler (the reads with their fallbacks, then the Graphoid slow form). The leaves
        have no effects, so running them again changes nothing. False (nothing emitted) when
        the tree has another kind of leaf or no property read."""
        if self.scope.prop_view is None or not all(_plain_leaf(leaf) for leaf in leaves):
            return False
        reads = [self.view_read(leaf) for leaf in leaves]
        if all(read is None for read in reads):
            return False
        stmts, others = self.capture(lambda: [self.expr(leaf) for leaf, read in zip(leaves, reads) if read is None])
        if stmts:
            return False
        remaining = iter(others)
        values = [read if read is not None else next(remaining) for read in reads]
        fast = _arith_build(node, iter(values), False, self.lenient, self.limits)
        handler, (_, slow) = self.capture(lambda: self.arith(node))
        self.emit(P.try_except([finish(fast)], P.name("_rt_ViewArithMiss"), [*handler, finish(slow)]))
        return True

    def view_read(self, leaf: Any) -> py.expr | None:
        """`view.name` when `leaf` is an implicit-self property read that self_read would take
        off the fast body's view, else None."""
        scope = self.scope
        method = scope.method
        if not (isinstance(leaf, g.Name) and scope.self_direct and method is not None):
            return None
        ident = leaf.id
        if ident == method.self_name or ident in scope.params or ident.startswith("__"):
            return None
        if ident in scope.props or (ident in method.props and not self.bound_locally(ident)):
            return P.attr(P.name(scope.prop_view), ident)
        return None

    def equality(self, node: g.Binary) -> py.expr:
        remainder = _remainder_compared_with_zero(node)
        if remainder is not None:
            test = self.literal_eq(self.remainder_zero_test(remainder), g.Const(0, span=node.span), remainder)
            return test if node.op == "==" else P.not_(test)
        left, right = self.seq([node.left, node.right])
        if isinstance(node.left, g.Const) and isinstance(node.right, g.Const):
            from graphoid.values.ops import eq

            return P.const(eq(node.left.value, node.right.value) == (node.op == "=="))
        if isinstance(node.right, (g.Const, g.SymbolLit)):
            test = self.literal_eq(left, node.right, node.left)
        elif isinstance(node.left, (g.Const, g.SymbolLit)):
            test = self.literal_eq(right, node.left, node.right)
        else:
            return P.call("_rt_eq" if node.op == "==" else "_rt_ne", left, right)
        return test if node.op == "==" else P.not_(test)

    def remainder_zero_test(self, node: g.Binary) -> py.expr:
        """`a % b` compiled for a comparison with 0 (`n % 5 == 0`): the inline form needs no
        sign test on `a`, since Graphoid's remainder (the dividend's sign) and Python's (the
        divisor's) are 0 for the same ints."""
        left, right = self.seq([node.left, node.right])
        value = self.inline_int_op("%", left, right, self.int_kind(node.left), self.int_kind(node.right),
                                   zero_tested=True)
        P.stamp(value, node.span)
        return value

    def literal_eq(self, value: py.expr, literal: Any, value_node: Any = None) -> py.expr:
        """Inline `value == literal` without cross-type coercion (value_node: value's Graphoid node)."""
        if isinstance(literal, g.SymbolLit):
            return py.Compare(left=value, ops=[py.Is()], comparators=[self.expr(literal)])
        constant = literal.value
        if constant is None or type(constant) is bool:
            return py.Compare(left=value, ops=[py.Is()], comparators=[P.const(constant)])
        compare = py.Compare(left=value, ops=[py.Eq()], comparators=[P.const(constant)])
        if type(constant) in (int, float) and constant in (0, 1) and not _never_bool(value_node):
            value = self.reusable(value)
            compare = py.Compare(left=value, ops=[py.Eq()], comparators=[P.const(constant)])
            guard = py.Compare(left=P.dup(value), ops=[py.IsNot()], comparators=[P.const(bool(constant))])
            return py.BoolOp(op=py.And(), values=[compare, guard])
        return compare

    def e_Logical(self, node: g.Logical) -> py.expr:
        return P.to_bool(self.cond(node))

    def cond(self, node: Any) -> py.expr:
        """A Python expression whose truthiness is the Graphoid condition's."""
        if isinstance(node, g.Logical):
            left = self.cond(node.left)
            stmts, right = self.capture(lambda: self.cond(node.right))
            op = py.And() if node.op == "and" else py.Or()
            if not stmts:
                return py.BoolOp(op=op, values=[left, right])
            tmp = self.temp()
            self.emit(P.assign(tmp, left))
            stmts.append(P.assign(tmp, right))
            for stmt in stmts:
                P.stamp(stmt, self.at(node.right))
            test = P.name(tmp) if node.op == "and" else P.not_(P.name(tmp))
            self.emit(P.if_(test, stmts))
            return P.name(tmp)
        if isinstance(node, g.Unary) and node.op == "not":
            return P.not_(self.cond(node.operand))
        return self.expr(node)

    def e_Ternary(self, node: g.Ternary) -> py.expr:
        test = self.cond(node.cond)
        body_stmts, body = self.capture(lambda: self.expr(node.value))
        if node.orelse is not None:
            else_stmts, orelse = self.capture(lambda: self.expr(node.orelse))
        else:
            else_stmts, orelse = [], P.const(None)
        if not body_stmts and not else_stmts:
            return py.IfExp(test=test, body=body, orelse=orelse)
        tmp = self.temp()
        self.emit(P.if_(test, body_stmts + [P.assign(tmp, body)], else_stmts + [P.assign(tmp, orelse)]))
        return P.name(tmp)

    def arguments(self, args: tuple[g.Arg, ...]) -> tuple[py.expr, py.expr]:
        """(tuple of positional values, dict of named values or None) for method calls."""
        values = self.seq([a.value for a in args])
        positional = [v for v, a in zip(values, args) if a.name is None]
        named = [(a.name, v) for v, a in zip(values, args) if a.name is not None]
        kwargs: py.expr = P.const(None)
        if named:
            kwargs = py.Dict(keys=[P.const(k) for k, _ in named], values=[v for _, v in named])
        return P.tuple_(positional), kwargs

    def e_Call(self, node: g.Call) -> py.expr:
        func_node = node.func
        scope = self.scope
        method = scope.method if scope.kind == "function" else None
        if (isinstance(func_node, g.Name) and method is not None and func_node.id in method.methods
                and not self.bound_locally(func_node.id) and func_node.id not in method.props):
            args, kwargs = self.arguments(node.args)
            slow = P.call("_rt_self_call", P.name(method.self_name), P.const(func_node.id), args, kwargs)
            if not self.direct_call_allowed(func_node.id, kwargs):
                return slow
            return self.graph_method_call(func_node.id, P.name(method.self_name), args.elts, slow)
        if isinstance(func_node, g.Name) and method is not None and not self.bound_lexically(func_node.id) \
                and func_node.id not in method.props and func_node.id != method.self_name:
            func = self.with_fallback(P.name(mangle(func_node.id)),
                                      P.call("_rt_self_method", P.name(method.self_name), P.const(func_node.id)))
            values = self.seq([a.value for a in node.args])
        elif (isinstance(func_node, g.Name) and scope.kind == "function" and scope.block_self
              and not self.bound_lexically(func_node.id)):
            # "Block self": inside a block handed to a graph method, an unknown bare call is a
            # method of the graph whose user method is running (the block's caller).
            tmp, exc = self.temp(), self.temp("e")
            handler = py.ExceptHandler(type=P.name("_rt_NameError"), name=exc,
                                       body=[P.assign(tmp, P.call("_rt_block_method", P.const(func_node.id),
                                                                  P.name(exc)))])
            self.emit(py.Try(body=[P.assign(tmp, P.name(mangle(func_node.id)))], handlers=[handler],
                             orelse=[], finalbody=[]))
            func = P.name(tmp)
            values = self.seq([a.value for a in node.args])
        else:
            func, *values = self.seq([func_node, *[a.value for a in node.args]])
        positional = [v for v, a in zip(values, node.args) if a.name is None]
        keywords = [py.keyword(arg=mangle(a.name), value=v) for v, a in zip(values, node.args) if a.name is not None]
        return py.Call(func=func, args=positional, keywords=keywords)

    def e_MethodCall(self, node: g.MethodCall) -> py.expr:
        return self.method_call(node)

    def method_call(self, node: g.MethodCall, dest: str | None = None, plain_list: bool = False,
                    iterating: bool = False) -> py.expr:
        """A method call's value; a direct graph method call stores it into `dest` when given
        (so no temporary keeps a second reference to it, see copy-on-write). plain_list: the
        value goes to a variable that may hold a plain list (plain_lists.py). `iterating`: a
        graph_builtin_site whose value a `for` loop walks (the value is then what _rt_iter gives)."""
        if node.bang:
            return self.bang(node, want_value=True)
        if node.name == "pattern" and isinstance(node.receiver, g.Name) and node.receiver.id == "reflect" \
                and self.reads_builtin("reflect"):
            return self.reflect_pattern(node)
        if node.name in _COMPREHENDED and not self.limits:
            comprehended = self.comprehended_call(node, dest)
            if comprehended is not None:
                return comprehended
        if self.generate_inlinable(node):
            return self.inline_generate(node)
        if self.is_route_send(node):
            message = node.args[0].value
            if (isinstance(message, g.ListLit) and len(message.items) == 2
                    and isinstance(message.items[0], g.SymbolLit)):
                # `self.graph.send([:h, x], from: self.id, via: "*")`: head and payload apart,
                # so a whole-graph step stores only x (messaging.self_route_pair)
                head = self.expr(message.items[0])
                return P.call("_rt_route_pair", P.name("self"), head, self.expr(message.items[1]))
        receiver, *values = self.seq([node.receiver, *[BlockArg(a.value) if isinstance(a.value, g.Lambda)
                                                      else a.value for a in node.args]])
        positional = [v for v, a in zip(values, node.args) if a.name is None]
        named = [(a.name, v) for v, a in zip(values, node.args) if a.name is not None]
        kwargs: py.expr = P.const(None)
        if named:
            kwargs = py.Dict(keys=[P.const(k) for k, _ in named], values=[v for _, v in named])
        if node.name in SIZE_METHODS and not node.args:
            # `s.length()` on a string, list or map is len(); anything else dispatches as usual.
            receiver = self.materialize(receiver) if not P.is_simple(receiver) else receiver
            sized = py.Compare(left=P.attr(P.dup(receiver), "__class__"), ops=[py.In()],
                               comparators=[P.name("_rt_SIZED")])
            slow = P.call("_rt_call_method", P.dup(receiver), P.const(node.name), P.tuple_([]), kwargs)
            return py.IfExp(test=sized, body=P.call("_rt_len", P.dup(receiver)), orelse=slow)
        if self.is_route_send(node):
            # `self.graph.send(m, from: self.id, via: "*")`: the engine's routed send directly
            return P.call("_rt_route_send", P.name("self"), values[0])
        if node.name == "out_degree" and not node.args and self.is_direct_self(node.receiver):
            # inside a handler: the plan's adjacency length, read inline (no call per message)
            context = self.temp()
            in_handler = py.Compare(
                left=py.NamedExpr(target=py.Name(id=context, ctx=py.Store()), value=P.attr(P.dup(receiver), "_msg_ctx")),
                ops=[py.IsNot()], comparators=[P.const(None)])
            inline = P.call("_rt_len", py.Subscript(value=P.attr(P.name(context), "out"),
                                                    slice=P.attr(P.name(context), "slot"), ctx=py.Load()))
            return py.IfExp(test=in_handler, body=inline, orelse=P.call("_rt_self_out_degree", P.dup(receiver)))
        if self.is_direct_self(node.receiver):
            # A graph receives every method call through its own `call` (what call_method does).
            slow = self.at_method_name(node, P.call(P.attr(receiver, "call"), P.const(node.name),
                                                    P.tuple_(positional), kwargs))
            if not self.direct_call_allowed(node.name, kwargs):
                return slow
            return self.graph_method_call(node.name, receiver, positional, slow)
        inline = INLINE_METHODS.get(node.name)
        if inline is not None and not named:
            proven_ints = [self.int_kind(a.value) is not None for a in node.args]
            return self.inline_method(inline, node, receiver, positional, proven_ints, plain_list)
        if self.graph_builtin_site(node):
            return self.graph_builtin_call(node, receiver, positional, dest, iterating)
        if self.direct_call_allowed(node.name, kwargs):
            receiver = receiver if P.is_simple(receiver) else self.materialize(receiver)
            positional = [a if P.is_simple(a) else self.materialize(a) for a in positional]
            slow = self.at_method_name(node, P.call("_rt_call_method", P.dup(receiver), P.const(node.name),
                                                    P.tuple_([P.dup(a) for a in positional]), kwargs))
            return self.graph_method_call(node.name, receiver, positional, slow, dest)
        return self.at_method_name(node, P.call("_rt_call_method", receiver, P.const(node.name),
                                                P.tuple_(positional), kwargs))

    def comprehended_call(self, node: g.MethodCall, dest: str | None) -> py.expr | None:
        """`xs.map(x => e)` (and filter/select/reject) as a generator over xs with the lambda's
        body inlined, when xs is exactly a list and no step budget runs (what map_ and filter_
        in values/methods/list.py then do, without a Python call per element); else None.

        The generator keeps a frame for the lambda, labelled as the lambda's, so an error in
        the body shows the same location and stack."""
        lambda_ = node.args[0].value if len(node.args) == 1 and node.args[0].name is None else None
        if not (isinstance(lambda_, g.Lambda) and len(lambda_.params) == 1 and not isinstance(lambda_.body, g.Block)):
            return None
        param = lambda_.params[0]
        if param.default is not None or param.rest:
            return None
        body = self.comprehension_body(lambda_)
        if body is None:
            return None
        receiver = self.expr(node.receiver)
        receiver = receiver if P.is_simple(receiver) else self.materialize(receiver)
        ident = mangle(param.name)
        element, tests = (body, []) if node.name == "map" else (P.name(ident), [body])
        if node.name == "reject":
            tests = [py.UnaryOp(op=py.Not(), operand=body)]
        loop = py.GeneratorExp(elt=element, generators=[
            py.comprehension(target=py.Name(id=ident, ctx=py.Store()), iter=P.dup(receiver), ifs=tests, is_async=0)])
        # positioned at the lambda: the generator's code then starts on the lambda's line
        P.stamp(loop, lambda_.span)
        self.function_labels[_GENERATOR_CODE_NAME] = LAMBDA_LABEL
        fast = self.at_method_name(node, P.call("_rt_GList", loop))
        result = dest if dest is not None else self.temp()

        def general_call() -> None:  # any other receiver, or under a budget: the method itself
            function = self.expr(BlockArg(lambda_))
            call = P.call("_rt_call_method", P.dup(receiver), P.const(node.name), P.tuple_([function]), P.const(None))
            self.emit(P.assign(result, self.at_method_name(node, call)))

        slow, _ = self.capture(general_call)
        guard = py.BoolOp(op=py.And(), values=[
            py.Compare(left=P.attr(P.dup(receiver), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_GList")]),
            py.Compare(left=P.call("_rt_budget"), ops=[py.Is()], comparators=[P.const(None)])])
        self.emit(P.if_(guard, [P.assign(result, fast)], slow))
        return P.name(result)

    def comprehension_body(self, lambda_: g.Lambda) -> py.expr | None:
        """The lambda's body as one Python expression in a scope of its own (as the lambda's
        def would compile it), or None when it needs statements or binds names."""
        if bound_names((lambda_.body,)):
            return None
        outer = self.scope
        scope = Scope("function", outer, method=outer.method if outer.kind == "function" else None)
        # a lambda argument of a method call is a block: unknown bare calls go to the receiver
        scope.block_self = True
        scope.params = {lambda_.params[0].name}
        scope.locals = set(scope.params)
        if scope.method is None:
            scope.ints = proven_ints((lambda_.body,), set())
        saved_out, saved_scope = self.out, self.scope
        self.out, self.scope = [], scope
        try:
            body = self.expr(lambda_.body)
            needs_statements = bool(self.out)
        finally:
            self.out, self.scope = saved_out, saved_scope
        return None if needs_statements else body

    def generate_inlinable(self, node: g.MethodCall) -> bool:
        """Is node `list.generate(a, b, x => e)` with an expression body that binds no name,
        on the builtin `list`, in code compiled without limits (which count steps per call)?"""
        if node.name != "generate" or self.limits or len(node.args) != 3 or any(a.name for a in node.args):
            return False
        if not (isinstance(node.receiver, g.Name) and node.receiver.id == "list" and self.reads_builtin("list")):
            return False
        fn = node.args[2].value
        if not isinstance(fn, g.Lambda) or fn.kind != "lambda" or isinstance(fn.body, g.Block):
            return False
        params = fn.params
        return (len(params) == 1 and params[0].default is None and not params[0].rest
                and not bound_names((fn.body,)))

    def inline_generate(self, node: g.MethodCall) -> py.expr:
        """`list.generate(a, b, x => e)`: with int bounds on the builtin `list`, a loop running e
        inline (x a proven int) instead of a call per element; else the method call as usual."""
        fn = node.args[2].value
        start_node, end_node = node.args[0].value, node.args[1].value
        values = self.seq([node.receiver, start_node, end_node])
        receiver, start, end = [v if P.is_simple(v) else self.materialize(v) for v in values]
        kinds = [expr_kind(bound, self.scope.ints) for bound in (start_node, end_node)]
        loop_kind = NON_NEGATIVE if kinds[0] == NON_NEGATIVE else INT
        method = self.scope.method if self.scope.kind == "function" else None
        self.block_arg = True  # as e_BlockArg: the lambda is a method call's argument
        loop = self.function(None, fn.params, fn.body, returns_last=True, method=method, span=fn.span,
                             loop_kind=loop_kind)
        function = self.e_BlockArg(BlockArg(fn))
        tests = [py.Compare(left=P.attr(P.dup(receiver), "__class__"), ops=[py.Is()],
                            comparators=[P.name("_rt_ListNamespace")])]
        for bound, kind in zip((start, end), kinds):
            if kind is None:
                tests.append(py.Compare(left=P.attr(P.dup(bound), "__class__"), ops=[py.Is()],
                                        comparators=[P.name("_rt_int")]))
        stop = py.BinOp(left=P.dup(end), op=py.Add(), right=P.const(1))
        slow = self.at_method_name(node, P.call("_rt_call_method", P.dup(receiver), P.const("generate"),
                                                P.tuple_([P.dup(start), P.dup(end), function]), P.const(None)))
        return py.IfExp(test=py.BoolOp(op=py.And(), values=tests) if len(tests) > 1 else tests[0],
                        body=self.at_method_name(node, P.call(loop, P.dup(start), stop)), orelse=slow)

    def reads_builtin(self, ident: str) -> bool:
        """Does `ident` here read the builtin of that name (no variable, parameter or property of the user's)?"""
        scope = self.scope
        if scope.kind == "function":
            method = scope.method
            if (ident in scope.params or ident in scope.props or ident in scope.dynamic_locals
                    or (method is not None and ident in method.props)):
                return False
        return not self.bound_lexically(ident)

    def reflect_pattern(self, node: g.MethodCall) -> py.expr:
        """`reflect.pattern(pattern[, guard])`: the pattern is described, not evaluated; the
        guard is evaluated. The runtime checks `reflect` is still the builtin."""
        positional = [a.value for a in node.args if a.name is None]
        problem = None
        if len(positional) != len(node.args):
            problem = "reflect.pattern takes no named arguments"
        elif not 1 <= len(positional) <= 2:
            problem = f"reflect.pattern expects 1 or 2 arguments (a pattern and a guard), got {len(positional)}"
        from graphoid.compiler.pattern_reflection import describe_pattern

        description = describe_pattern(positional[0]) if problem is None else problem
        if isinstance(description, str):
            raise_error = py.Raise(exc=P.call("_rt_error", P.const("TypeError"), P.const(description)), cause=None)
            # Reported when reached, under the pattern when that is what is wrong, else the method name.
            P.stamp(raise_error, self.at(positional[0]) if problem is None else node.name_span or self.span)
            self.out.append(raise_error)
            return P.const(None)
        guard = self.expr(positional[1]) if len(positional) == 2 else P.const(None)
        return self.at_method_name(node, P.call("_rt_reflect_pattern", self.load_name("reflect"),
                                                P.const(description), guard))

    def at_method_name(self, node: g.MethodCall, call: py.expr) -> py.expr:
        """The dispatching call positioned at the method's name, so an unknown method's caret
        sits under the name rather than the whole expression."""
        if node.name_span is None:
            return call
        return P.stamp_call_at(call, node.name_span, self.span)

    @staticmethod
    def direct_call_allowed(name: str, kwargs: py.expr) -> bool:
        """May a call of method `name` take the direct path of graph_method_call?"""
        return isinstance(kwargs, py.Constant) and name not in _CONTEXT_METHODS

    def graph_method_call(self, name: str, receiver: py.expr, args: list[py.expr], slow: py.expr,
                          dest: str | None = None) -> py.expr:
        """`receiver.name(args)`: a user method of a class-like graph that has nothing to check
        (no guard, not private, no constraints: the graph's `_mdirect` table, filled by its
        `call` and emptied on any method change) runs directly with the receiver pushed on the
        active stack, as Graph._invoke would run it, or without the push for a method that
        calls nothing (functions.as_leaf); anything else is `slow`. A leaf target is also kept
        in this site's cache (classes.call_sites), so the next call on the same graph is a
        receiver-view identity test plus the call (classes.fill_site)."""
        receiver = receiver if P.is_simple(receiver) else self.materialize(receiver)
        args = [a if P.is_simple(a) else self.materialize(a) for a in args]
        fn, target, out, active, site = self.temp(), self.temp(), dest or self.temp(), self.temp(), self.temp()
        view = self.temp("v")
        site_key = f"c{self.unit}_{next(self._call_site_numbers)}"
        site_attr = P.attr(P.name("_rt_sites"), site_key)
        site_store = py.Attribute(value=P.name("_rt_sites"), attr=site_key, ctx=py.Store())
        first_use = py.Assign(targets=[P.store(site), site_store], value=P.name("_rt_EMPTY_SITE"))
        lookup_site = P.try_except([P.assign(site, site_attr)], P.name("_rt_AttributeError"), [first_use])
        self.emit(lookup_site)
        is_graph = py.Compare(left=P.attr(P.dup(receiver), "__class__"), ops=[py.Is()],
                              comparators=[P.name("_rt_Graph")])
        cached = py.BoolOp(op=py.And(), values=[
            P.dup(is_graph),
            py.Compare(left=P.attr(P.dup(receiver), "_pview"), ops=[py.Is()],
                       comparators=[py.Subscript(value=P.name(site), slice=P.const(0), ctx=py.Load())]),
        ])
        cached_call = P.assign(out, P.call(py.Subscript(value=P.name(site), slice=P.const(1), ctx=py.Load()),
                                           P.dup(receiver), *[P.dup(a) for a in args]))
        is_current = py.BoolOp(op=py.And(), values=[
            is_graph,
            py.Compare(left=P.attr(P.dup(receiver), "_mcache_ver"), ops=[py.Eq()],
                       comparators=[py.Subscript(value=P.name("_rt_method_version"), slice=P.const(0),
                                                 ctx=py.Load())]),
        ])
        lookup = P.call(P.attr(P.attr(P.dup(receiver), "_mdirect"), "get"), P.const(name), P.name("_rt_not_direct"))
        entry = py.Tuple(elts=[P.store(fn), P.store(target)], ctx=py.Store())
        find = py.Assign(targets=[entry], value=py.IfExp(test=is_current, body=lookup, orelse=P.name("_rt_not_direct")))
        call = P.assign(out, P.call(P.name(fn), P.dup(receiver), *[P.dup(a) for a in args]))
        # A receiver with a view and a write proof is cached here and runs the target (the
        # fast form, if any) at once: a site whose receivers keep changing pays no call to fill.
        provable = py.BoolOp(op=py.And(), values=[
            py.Compare(left=py.NamedExpr(target=P.store(view), value=P.attr(P.dup(receiver), "_pview")),
                       ops=[py.IsNot()], comparators=[P.const(None)]),
            P.attr(P.attr(P.dup(receiver), "_pw"), "ok"),
        ])
        store = py.Assign(targets=[P.dup(site_store)], value=P.tuple_([P.name(view), P.name(target)]))
        target_call = P.assign(out, P.call(P.name(target), P.dup(receiver), *[P.dup(a) for a in args]))
        fill = P.expr_stmt(P.call("_rt_fill_site", P.name("_rt_sites"), P.const(site_key), P.dup(receiver),
                                  P.name(fn), P.name(target)))
        leaf = P.if_(provable, [store, target_call], [fill, call])
        run = py.Try(body=[P.dup(call)], handlers=[], orelse=[],
                     finalbody=[P.expr_stmt(P.call(P.attr(P.name(active), "pop")))])
        pushed = [P.assign(active, P.attr(P.name("_rt_dispatch_state"), "active")),
                  P.expr_stmt(P.call(P.attr(P.name(active), "append"), P.dup(receiver))),
                  run]
        direct = P.if_(P.name(target), [leaf], pushed)
        uncached = [find, P.if_(py.Compare(left=P.name(fn), ops=[py.Is()], comparators=[P.const(None)]),
                                [P.assign(out, slow)], [direct])]
        dispatch = P.if_(cached, [cached_call], uncached)
        self.emit(dispatch)
        if not self.limits:
            from graphoid.compiler.inline_leaf import LeafSite

            self.leaf_sites.append(LeafSite(name=name, key=site_key, receiver=receiver, args=args, out=out,
                                            entry=site, lookup=lookup_site, dispatch=dispatch, span=self.span))
        return P.name(out)

    def graph_builtin_site(self, node: g.MethodCall) -> bool:
        """Does method_call compile node with graph_builtin_call? (A builtin graph method with a
        direct function for this many positional arguments, values/direct_calls.py, called on
        a receiver other than the running method's self, which is class-like.)"""
        return (not node.bang and node.name not in INLINE_METHODS and all(a.name is None for a in node.args)
                and len(node.args) in GRAPH_DIRECT_ARITIES.get(node.name, ()) and not self.is_direct_self(node.receiver))

    def is_str(self, node: Any) -> bool:
        """Is node's value always a str: a text chain, a local every binding of which is one
        (textvars.py), or a name the enclosing loops know to hold a node id (Scope.texts)?"""
        return is_text(node) or (isinstance(node, g.Name) and node.id in self.scope.texts)

    def graph_builtin_call(self, node: g.MethodCall, receiver: py.expr, args: list[py.expr],
                           dest: str | None, iterating: bool = False) -> py.expr:
        """`receiver.name(args)` for a graph_builtin_site: on a plain graph (exactly a Graph
        whose `_bx` epoch says its builtins are exact) the direct function runs, positioned at
        the method's name as the general dispatch is; any other receiver dispatches as
        method_call would (its value passed through _rt_iter when `iterating`)."""
        receiver = receiver if P.is_simple(receiver) else self.materialize(receiver)
        args = [a if P.is_simple(a) else self.materialize(a) for a in args]
        exact = isinstance(node.receiver, g.Name) and node.receiver.id in self.scope.exact_graphs
        out = dest or self.temp()
        plain = py.BoolOp(op=py.And(), values=[
            py.Compare(left=P.attr(P.dup(receiver), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_Graph")]),
            P.attr(P.attr(P.dup(receiver), "_bx"), "ok"),
        ])
        walked = iterating and len(args) in GRAPH_ITERATED_ARITIES.get(node.name, ())
        helper = (iterated_helper if walked else direct_helper)(node.name, len(args))
        direct = self.at_method_name(node, P.call(helper, P.dup(receiver), *[P.dup(a) for a in args]))
        inline = GRAPH_INLINE.get((node.name, len(args)))
        if inline is not None:
            # the first argument is the node id: a string goes straight to `_nodes`
            node_id = args[0]
            form = inline(P.dup(receiver), [P.dup(a) for a in args])
            if isinstance(node_id, py.Constant):
                direct = form if type(node_id.value) is str else direct
            elif self.is_str(node.args[0].value):
                direct = form
            else:
                is_str = py.Compare(left=P.attr(P.dup(node_id), "__class__"), ops=[py.Is()],
                                    comparators=[P.name("_rt_str")])
                direct = py.IfExp(test=is_str, body=form, orelse=direct)
        if exact:
            # the fast copy of a versioned loop: the test before it found the builtins exact,
            # and they run no user code (seq need not save earlier operands for them)
            for part in py.walk(direct):
                if isinstance(part, py.Call):
                    part.gd_quiet = True  # type: ignore[attr-defined]
            if dest is None:
                return direct
            self.emit(P.assign(out, direct))
            return P.name(out)

        def general() -> py.expr:
            slow = self.at_method_name(node, P.call("_rt_call_method", P.dup(receiver), P.const(node.name),
                                                    P.tuple_([P.dup(a) for a in args]), P.const(None)))
            if self.direct_call_allowed(node.name, P.const(None)):
                return self.graph_method_call(node.name, receiver, args, slow, out)
            return slow

        fallback, value = self.capture(general)
        if iterating:
            value = P.call("_rt_iter", value)
        if not (isinstance(value, py.Name) and value.id == out):
            fallback.append(P.assign(out, value))
        self.emit(P.if_(plain, [P.assign(out, direct)], fallback))
        return P.name(out)

    def inline_method(self, inline: InlineMethod, node: g.MethodCall, receiver: py.expr,
                      args: list[py.expr], proven_ints: list[bool], plain_list: bool = False) -> py.expr:
        """A builtin method inlined under its type guard (one per receiver class that has an
        inline form for this many arguments), else the general dispatch (positioned at the
        method's name). proven_ints: which arguments the scope proves to be ints; plain_list:
        a new Python list may stay unwrapped."""
        specs: list[InlineMethod] = []
        spec: InlineMethod | None = inline
        while spec is not None:
            if len(args) in spec.arities:
                specs.append(spec)
            spec = spec.other
        if not specs:
            return self.at_method_name(node, P.call("_rt_call_method", receiver, P.const(node.name),
                                                    P.tuple_(args), P.const(None)))
        receiver = receiver if P.is_simple(receiver) else self.materialize(receiver)
        args = [a if P.is_simple(a) else self.materialize(a) for a in args]
        result: py.expr = self.at_method_name(node, P.call("_rt_call_method", P.dup(receiver), P.const(node.name),
                                                           P.tuple_([P.dup(a) for a in args]), P.const(None)))
        known = self.fresh_kind(node.receiver.id) if isinstance(node.receiver, g.Name) else None
        known_class = _FRESH_CLASSES.get(known) if known is not None else None
        for spec in reversed(specs):
            test = inline_guard(spec, receiver, args, proven_ints, receiver_known=spec.receiver == known_class)
            if test is not None:
                if known == MAP and node.name == "get" and spec.receiver == known_class:
                    # `m.get(k, d)` on a fresh map: its bound `get` (bound_method)
                    body = P.call(self.bound_method(node.receiver.id, P.dup(receiver), "get"),
                                  *[P.dup(a) for a in args])
                else:
                    body = spec.build(P.dup(receiver), [P.dup(a) for a in args])
                if spec.fresh_list and not plain_list:
                    body = P.call("_rt_GList", body)
                result = body if isinstance(test, py.Constant) else py.IfExp(test=test, body=body, orelse=result)
        return result

    def e_SuperCall(self, node: g.SuperCall) -> py.expr:
        scope = self.scope
        method = scope.method if scope.kind == "function" else None
        if method is None or method.template_temp is None:
            raise _syntax("'super' is only allowed inside a graph method", node.span)
        args, kwargs = self.arguments(node.args)
        return P.call("_rt_super", P.name(method.self_name), P.name(method.template_temp), P.const(node.name),
                      args, kwargs)

    def e_Attr(self, node: g.Attr) -> py.expr:
        if self.is_direct_self(node.obj):
            # `self.name` in a graph method: what _rt_getattr does for a graph, minus its type tests
            return P.call(P.attr(P.name("self"), "get_property"), P.const(node.name), P.const(None))
        obj = self.expr(node.obj)
        return P.call("_rt_getattr", obj, P.const(node.name))

    def is_route_send(self, node: g.MethodCall) -> bool:
        """Is node `self.graph.send(m, from: self.id, via: "*")` (named arguments in any order)?"""
        if node.name != "send" or len(node.args) != 3 or node.args[0].name is not None:
            return False
        receiver = node.receiver
        if not (isinstance(receiver, g.Attr) and receiver.name == "graph" and self.is_direct_self(receiver.obj)):
            return False
        named = {a.name: a.value for a in node.args[1:]}
        source, via = named.get("from"), named.get("via")
        return (isinstance(source, g.Attr) and source.name == "id" and self.is_direct_self(source.obj)
                and isinstance(via, g.Const) and via.value == "*")

    def is_direct_self(self, node: Any) -> bool:
        """Is node the receiver of the graph method being compiled (never rebound in it)?"""
        scope = self.scope
        return (isinstance(node, g.Name) and scope.kind == "function" and scope.self_direct
                and node.id == scope.method.self_name == "self")

    def e_Index(self, node: g.Index) -> py.expr:
        obj, key = self.seq([node.obj, node.index])
        obj, key = self.reusable_pair(obj, key)
        tmp = self.temp()
        self.emit(P.try_except(
            [P.assign(tmp, py.Subscript(value=obj, slice=key, ctx=py.Load()))],
            P.name("_rt_IndexErrors"),
            [P.assign(tmp, P.call("_rt_index", P.dup(obj), P.dup(key)))],
        ))
        return P.name(tmp)

    def e_BlockArg(self, node: "BlockArg") -> py.expr:
        self.block_arg = True
        try:
            return self.expr(node.block)
        finally:
            self.block_arg = False

    def e_Lambda(self, node: g.Lambda) -> py.expr:
        returns_last = node.kind == "lambda"
        body = node.body
        if not isinstance(body, g.Block):
            returns_last = True
        method = self.scope.method if self.scope.kind == "function" else None
        return self.function(None, node.params, body, returns_last=returns_last, method=method, span=node.span)

    def e_If(self, node: g.If) -> py.expr:
        tmp = self.temp()
        self.s_If(node, self.sink_assign(tmp))
        return P.name(tmp)

    def e_Match(self, node: g.Match) -> py.expr:
        tmp = self.temp()
        self.s_Match(node, self.sink_assign(tmp))
        return P.name(tmp)

    def e_Block(self, node: g.Block) -> py.expr:
        tmp = self.temp()
        self.block(node.body, self.sink_assign(tmp))
        return P.name(tmp)

    def e_Raise(self, node: g.Raise) -> py.expr:
        value = self.expr(node.value)
        checked = P.call("_rt_raise", value)
        kind = self.error_constructor_kind(node.value, value)
        if kind is None:
            self.emit(py.Raise(exc=checked, cause=None))
            return P.const(None)
        # `raise ValueError(m)`: when the name still holds the builtin constructor, its value
        # is an error already, so `_rt_raise` (which returns an error unchanged) is skipped. The
        # extra read of the name runs nothing between it and the call's own read.
        is_builtin = py.Compare(left=copy.deepcopy(value.func), ops=[py.Is()],
                                comparators=[P.name(error_constructor_key(kind))])
        built = copy.deepcopy(value)
        if _text_message_only(node.value, value):
            # `K("text " + x)`: a message that is always a str and no cause is all the builtin
            # constructor would look at, so the site builds the error as it would (text_error)
            built = P.call("_rt_text_error", P.const(kind), built.args[0])
            P.stamp(built, node.value.span)
        self.emit(py.Raise(exc=py.IfExp(test=is_builtin, body=built, orelse=checked), cause=None))
        return P.const(None)

    @staticmethod
    def error_constructor_kind(node: Any, value: py.expr) -> str | None:
        """The error kind when `node` calls a name spelled like a builtin error constructor
        (compiled as a call of a plain name), else None."""
        if not (isinstance(node, g.Call) and isinstance(node.func, g.Name) and isinstance(value, py.Call)
                and isinstance(value.func, py.Name)):
            return None
        kind = node.func.id
        return kind if kind in ERROR_PARENTS and kind != "SyntaxError" else None

    def e_Instantiate(self, node: g.Instantiate) -> py.expr:
        template, *values = self.seq([node.template, *[v for _, v in node.props]])
        props = py.Dict(keys=[P.const(k) for k, _ in node.props], values=values)
        return P.call("_rt_instantiate", template, P.call("_rt_GMap", props))

    def e_GraphLit(self, node: g.GraphLit) -> py.expr:
        values = self.seq([v for _, v in node.config] + ([node.parent] if node.parent is not None else []))
        parent = values.pop() if node.parent is not None else P.const(None)
        config = py.Dict(keys=[P.const(k) for k, _ in node.config], values=values)
        return P.call("_rt_graph", config, parent, P.const(node.kind))

    def e_PatternLit(self, node: g.PatternLit) -> py.expr:
        clauses = tuple((c.src, c.dst, c.direction, c.edge_type, c.min, c.max) for c in node.clauses)
        return P.call("_rt_pattern", P.const(clauses))


class BlockArg:
    """Marks a lambda passed as an argument to a method call (for "block self")."""

    __slots__ = ("block", "span")

    def __init__(self, block: g.Lambda) -> None:
        self.block = block
        self.span = block.span


def _handler_match(entry: Any) -> Any:
    """The `match msg { ... }` that is the whole body of a plain one-parameter `on_message`
    (no guard, static, clauses or default), else None."""
    if (entry.name != "on_message" or entry.guard is not None or entry.is_static or entry.kind != "fn"
            or entry.clauses or entry.body is None or len(entry.params) != 1):
        return None
    param = entry.params[0]
    if param.rest or param.default is not None or len(entry.body.body) != 1:
        return None
    stmt = entry.body.body[0]
    match = stmt.expr if isinstance(stmt, g.ExprStmt) else stmt
    if isinstance(match, g.Match) and isinstance(match.subject, g.Name) and match.subject.id == param.name:
        return match
    return None


# `self.m()` calls an arm may make without changing any node's state
_READING_SELF_METHODS = frozenset({"out_degree", "in_degree", "degree"})


def _parts_ok(item: Any, ok: Callable[[Any], bool]) -> bool | None:
    """`ok` of every part of an expression or statement that only combines its parts
    (blocks, returns, `if`, operators, literals of lists and maps, indexing); None for any
    other node, which the caller judges itself."""
    if isinstance(item, g.Block):
        return all(ok(stmt) for stmt in item.body)
    if isinstance(item, g.ExprStmt):
        return ok(item.expr)
    if isinstance(item, g.Return):
        return ok(item.value)
    if isinstance(item, g.If):
        return ok(item.cond) and ok(item.then) and ok(item.orelse)
    if isinstance(item, g.Ternary):
        return ok(item.value) and ok(item.cond) and ok(item.orelse)
    if isinstance(item, g.Unary):
        return ok(item.operand)
    if isinstance(item, (g.Binary, g.Logical)):
        return ok(item.left) and ok(item.right)
    if isinstance(item, g.ListLit):
        return all(ok(value) for value in item.items)
    if isinstance(item, g.MapLit):
        return all(ok(value) for _, value in item.entries)
    if isinstance(item, g.Index):
        return ok(item.obj) and ok(item.index)
    return None


def _keeps_state(node: Any, context: MethodContext, param: str) -> bool:
    """Can this arm body change no node's state (properties, value, topology)?

    Conservative: literals, names, operators, indexing, `if`, assignments to plain local
    names, `self.id`, `self.out_degree()`/`in_degree()`/`degree()` and
    `self.graph.send(...)`/`broadcast(...)` (messages are not state) qualify; any other call,
    attribute or assignment does not. The messaging engine skips the rollback snapshot before
    a broadcast that runs such an arm on every node (messaging._run_uniform)."""
    def ok(item: Any) -> bool:
        if item is None or isinstance(item, (g.Const, g.SymbolLit, g.RegexLit, g.Name)):
            return True
        parts = _parts_ok(item, ok)
        if parts is not None:
            return parts
        if isinstance(item, g.Assign):
            target = item.target
            return (isinstance(target, g.Name) and not context.dynamic and target.id not in context.props
                    and target.id not in ("self", param) and ok(item.value))
        if isinstance(item, g.Attr):
            return _is_self(item.obj) and item.name == "id"
        if isinstance(item, g.MethodCall) and not item.bang:
            if _is_self(item.receiver):
                return item.name in _READING_SELF_METHODS and not item.args
            receiver = item.receiver
            return (isinstance(receiver, g.Attr) and receiver.name == "graph" and _is_self(receiver.obj)
                    and item.name in ("send", "broadcast") and all(ok(arg.value) for arg in item.args))
        return False

    return param != "self" and ok(node)


def _constant_route_message(body: Any, context: MethodContext, param: str) -> g.ListLit | None:
    """The message `[:h, x]` when an arm body is exactly one `self.graph.send([:h, x],
    from: self.id, via: "*")` (named arguments in either order) and x is a literal (number,
    string, bool, none or symbol), else None. `self` cannot be rebound in a one-call body."""
    if isinstance(body, g.Block):
        if len(body.body) != 1 or not isinstance(body.body[0], g.ExprStmt):
            return None
        body = body.body[0].expr
    if (not isinstance(body, g.MethodCall) or body.bang or body.name != "send" or len(body.args) != 3
            or body.args[0].name is not None or context.self_name != "self" or param == "self"):
        return None
    receiver = body.receiver
    if not (isinstance(receiver, g.Attr) and receiver.name == "graph" and _is_self(receiver.obj)):
        return None
    named = {arg.name: arg.value for arg in body.args[1:]}
    source, via = named.get("from"), named.get("via")
    if not (isinstance(source, g.Attr) and source.name == "id" and _is_self(source.obj)
            and isinstance(via, g.Const) and via.value == "*"):
        return None
    message = body.args[0].value
    if not (isinstance(message, g.ListLit) and len(message.items) == 2 and isinstance(message.items[0], g.SymbolLit)):
        return None
    return message if isinstance(message.items[1], (g.Const, g.SymbolLit)) else None


def _calls_nothing(entry: g.FnDef, *, attributes: bool = True) -> bool:
    """Does this method run no code that could look at the active receiver stack? Conservative:
    literals, names, operators, reads, assignments to names and to `self.name`, `if`, `while`
    and returns qualify; calls, lambdas, loops over values, `match`, stores into an index or
    into another value's property (a list's, map's or graph's rules may be user functions) and
    anything else do not. (A setter a property write runs pushes its own receiver.) Without
    attributes, `x.name` reads and `self.name = v` stores do not qualify either: what is left
    runs no user code at all (CodeGen.view_body)."""
    def ok(item: Any) -> bool:
        if item is None or isinstance(item, (g.Const, g.SymbolLit, g.Name, g.Break, g.Continue)):
            return True
        parts = _parts_ok(item, ok)
        if parts is not None:
            return parts
        if isinstance(item, g.Assign):
            target = item.target
            return (isinstance(target, g.Name)
                    or (attributes and isinstance(target, g.Attr) and _is_self(target.obj))) and ok(item.value)
        if isinstance(item, g.While):
            return ok(item.cond) and ok(item.body)
        if isinstance(item, g.Attr):
            return attributes and ok(item.obj)
        return False

    return (entry.body is not None and not entry.clauses and entry.guard is None
            and all(ok(param.default) for param in entry.params) and ok(entry.body))


def _is_self(node: Any) -> bool:
    return isinstance(node, g.Name) and node.id == "self"


def _as_block(body: Any) -> Any:
    """A match arm's body as a function body (an expression arm becomes its only statement)."""
    if isinstance(body, g.Block):
        return body
    return g.Block((g.ExprStmt(body, span=body.span),), span=body.span)


def _pair_head(pattern: Any) -> str | None:
    """Which messages `[:s, x]` a pattern can match: None (none), a symbol name, or "*" (any)."""
    if isinstance(pattern, g.PLiteral):
        return None
    if isinstance(pattern, g.PList):
        items = pattern.items
        if (pattern.rest is None and len(items) != 2) or len(items) > 2:
            return None
        if items and isinstance(items[0], g.PLiteral):
            return items[0].value.name if isinstance(items[0].value, g.SymbolLit) else None
        if items and isinstance(items[0], g.PList):
            return None
    return "*"


def _accumulation(arm: Any, props: frozenset[str], param: str) -> tuple[str, str] | None:
    """(symbol, property) for an arm `[:s, x] => { p = p + x }`, else None."""
    pattern = arm.pattern
    if arm.guard is not None or not isinstance(pattern, g.PList) or pattern.rest is not None:
        return None
    if len(pattern.items) != 2:
        return None
    head, bound = pattern.items
    if not (isinstance(head, g.PLiteral) and isinstance(head.value, g.SymbolLit) and isinstance(bound, g.PBind)):
        return None
    x = bound.name
    if x in ("_", "self", param) or x in props:
        return None
    body = arm.body
    if not (isinstance(body, g.Block) and len(body.body) == 1):
        return None
    stmt = body.body[0]
    if not (isinstance(stmt, g.Assign) and stmt.type_name is None and isinstance(stmt.target, g.Name)):
        return None
    p = stmt.target.id
    value = stmt.value
    if p not in props or p in (x, param, "self"):
        return None
    if not (isinstance(value, g.Binary) and value.op == "+" and isinstance(value.left, g.Name)
            and value.left.id == p and isinstance(value.right, g.Name) and value.right.id == x):
        return None
    return head.value.name, p


def symbol_expr(name: str) -> py.expr:
    """`:name` as `_rt_S.name`, an attribute registered now so the load is a plain one."""
    if name.startswith("__"):
        # Dunder names would hit the cache object's own attributes.
        return P.call("_rt_sym", P.const(name))
    register_symbol(name)
    return P.attr(P.name("_rt_S"), name)


def _inline_pattern(pattern: Any, value: Callable[[], py.expr], tests: list[py.expr], binds: list[py.expr],
                    length: str | None = None) -> None:
    """Direct type/length/identity tests for a match pattern (what matching.match_pattern does,
    without a call per arm): `value` makes a fresh copy of the (pure) matched expression; tests
    are and-ed left to right, so an element is only read after its list's length was checked.
    `length` names a variable holding the subject's length, or -1 when it is no list."""
    if isinstance(pattern, g.PWildcard) or (isinstance(pattern, g.PBind) and pattern.name == "_"):
        return
    if isinstance(pattern, g.PBind):
        binds.append(value())
        return
    if isinstance(pattern, g.PLiteral):
        tests.append(_literal_test(value, pattern.value))
        return
    if isinstance(pattern, g.PList):
        count = len(pattern.items)
        size_op = py.Eq() if pattern.rest is None else py.GtE()
        if length is not None:
            tests.append(py.Compare(left=P.name(length), ops=[size_op], comparators=[P.const(count)]))
        else:
            # GList is the common case; other list subclasses (embedding) take the isinstance call.
            tests.append(py.BoolOp(op=py.Or(), values=[
                py.Compare(left=P.attr(value(), "__class__"), ops=[py.Is()], comparators=[P.name("_rt_GList")]),
                P.call("_rt_isinstance", value(), P.name("_rt_list")),
            ]))
            tests.append(py.Compare(left=P.call("_rt_len", value()), ops=[size_op], comparators=[P.const(count)]))
        for position, item in enumerate(pattern.items):
            def element(index: int = position) -> py.expr:
                return py.Subscript(value=value(), slice=P.const(index), ctx=py.Load())
            _inline_pattern(item, element, tests, binds)
        if pattern.rest is not None and pattern.rest != "_":
            rest = py.Subscript(value=value(), slice=py.Slice(lower=P.const(count)), ctx=py.Load())
            binds.append(P.call("_rt_GList", rest))
        return
    raise _syntax(f"Unsupported pattern {type(pattern).__name__}", getattr(pattern, "span", None))


def _literal_test(value: Callable[[], py.expr], literal: Any) -> py.expr:
    """`value` equals a literal without coercion (matching._literal_equal, inline)."""
    if isinstance(literal, g.SymbolLit):
        return py.Compare(left=value(), ops=[py.Is()], comparators=[symbol_expr(literal.name)])
    constant = literal.value
    if constant is None or type(constant) is bool:
        return py.Compare(left=value(), ops=[py.Is()], comparators=[P.const(constant)])
    if type(constant) is str:
        # Only a string equals a string (no value of another type compares equal to one).
        return py.Compare(left=value(), ops=[py.Eq()], comparators=[P.const(constant)])
    test = py.Compare(left=value(), ops=[py.Eq()], comparators=[P.const(constant)])
    if constant in (0, 1):
        # true/false equal 1/0 in Python but never a Graphoid number
        guard = py.Compare(left=value(), ops=[py.IsNot()], comparators=[P.const(bool(constant))])
        return py.BoolOp(op=py.And(), values=[test, guard])
    return test


def _pattern_spec(pattern: Any) -> tuple:
    if isinstance(pattern, g.PWildcard):
        return ("_",)
    if isinstance(pattern, g.PBind):
        return ("_",) if pattern.name == "_" else ("bind",)
    if isinstance(pattern, g.PLiteral):
        if isinstance(pattern.value, g.SymbolLit):
            return ("sym", pattern.value.name)
        return ("lit", pattern.value.value)
    if isinstance(pattern, g.PList):
        rest = None if pattern.rest is None else ("_" if pattern.rest == "_" else "bind")
        return ("list", tuple(_pattern_spec(item) for item in pattern.items), rest)
    raise _syntax(f"Unsupported pattern {type(pattern).__name__}", getattr(pattern, "span", None))


_ARITH = frozenset({"+", "-", "*", "/", "<", "<=", ">", ">="})


def _has_plus(node: Any) -> bool:
    """Is node an arithmetic tree (see CodeGen.arith) holding at least one `+`?"""
    if not isinstance(node, g.Binary) or node.op not in _ARITH:
        return False
    return node.op == "+" or _has_plus(node.left) or _has_plus(node.right)


def _arith_leaves(node: Any, out: list[Any]) -> None:
    if isinstance(node, g.Binary) and node.op in _ARITH:
        _arith_leaves(node.left, out)
        _arith_leaves(node.right, out)
    else:
        out.append(node)


def _plain_leaf(node: Any) -> bool:
    """A leaf that runs no user code: a constant, a variable, or `-`/`not` of one."""
    if isinstance(node, (g.Const, g.SymbolLit, g.Name)):
        return True
    return isinstance(node, g.Unary) and node.op in ("-", "not") and _plain_leaf(node.operand)


def _arith_node(op: str, left: py.expr, right: py.expr, lenient: bool, limits: bool) -> py.expr:
    """One non-`+` arithmetic operator on the raw path."""
    if op in _CMP:
        return py.Compare(left=left, ops=[_CMP[op]()], comparators=[right])
    if op == "/" and lenient:
        return P.call("_rt_div", left, right)
    if op == "*" and limits:
        # Under limits a product's size is checked before CPython computes it in one C call.
        return P.call("_rt_mul", left, right)
    return py.BinOp(left=left, op=_RAW_BINOPS[op](), right=right)


def _arith_build(node: Any, values: Any, slow: bool, lenient: bool, limits: bool) -> py.expr:
    if not (isinstance(node, g.Binary) and node.op in _ARITH):
        return next(values)
    left = _arith_build(node.left, values, slow, lenient, limits)
    right = _arith_build(node.right, values, slow, lenient, limits)
    result: py.expr
    if node.op == "+":
        result = P.call("_rt_add", left, right) if slow else _plus(node, left, right)
    else:
        result = _arith_node(node.op, left, right, lenient, limits)
    P.stamp(result, node.span)
    return result


def _int_operand_ok(op: str, operand: py.expr, is_left: bool) -> bool:
    """False when a constant operand rules the inline form out (a float, a bool, out of range)."""
    if not isinstance(operand, py.Constant):
        return True
    value = operand.value
    if type(value) is not int:
        return False
    if op in ("%", "//"):
        return value >= 0 if is_left else value > 0
    if op == "**":
        return True if is_left else 0 <= value <= 64
    return _I64_MIN <= value <= _I64_MAX


def _int_guard(op: str, operand: py.expr, is_left: bool, mask_const: bool, kind: str | None,
               zero_tested: bool = False) -> list[py.expr]:
    """The run-time tests an operand needs for the inline form (none for a suitable constant).

    `mask_const`: the other operand of `&` is a constant in range, so for a left operand any
    int will do when that constant is non-negative (its bits lie below bit 63, where the
    64-bit wrap cannot change them). `kind`: what the compiler proved (no type test needed;
    a non-negative dividend needs no sign test either). `zero_tested`: a `%` whose value is
    only compared with 0, where the dividend's sign does not matter (both remainders are 0
    exactly when the divisor divides it)."""
    if isinstance(operand, py.Constant):
        return []
    tests: list[py.expr] = []
    if kind is None:
        tests.append(py.Compare(left=P.call("_rt_type", P.dup(operand)), ops=[py.Is()],
                                comparators=[P.name("_rt_int")]))
    if op in ("%", "//"):
        if (is_left and (kind is NON_NEGATIVE or (zero_tested and op == "%"))) or kind is POSITIVE:
            return tests
        tests.append(py.Compare(left=P.dup(operand), ops=[py.GtE() if is_left else py.Gt()], comparators=[P.const(0)]))
    elif op == "**":
        if not is_left:
            tests.append(py.Compare(left=P.const(0), ops=[py.LtE(), py.LtE()],
                                    comparators=[P.dup(operand), P.const(64)]))
    elif not (op == "&" and mask_const):
        tests.append(py.Compare(left=P.const(_I64_MIN), ops=[py.LtE(), py.LtE()],
                                comparators=[P.dup(operand), P.const(_I64_MAX)]))
    return tests


def _never_bool(node: Any) -> bool:
    """Is node arithmetic, whose value is never a bool (so `== 1` needs no `is not True` test)?
    Python's arithmetic on bools gives ints, and Graphoid's helpers refuse bools."""
    return isinstance(node, g.Binary) and node.op in ("+", "-", "*", "/", "%", "//", "**")


def _remainder_compared_with_zero(node: g.Binary) -> g.Binary | None:
    """The `a % b` of `a % b == 0` / `!=` (either side; 0 an int literal), else None."""
    for value, other in ((node.left, node.right), (node.right, node.left)):
        if (isinstance(other, g.Const) and type(other.value) is int and other.value == 0
                and isinstance(value, g.Binary) and value.op == "%"):
            return value
    return None


def _text_message_only(call: Any, value: py.Call) -> bool:
    """Is `call` (compiled as `value`) an error constructor call with one argument, positional
    and always a str (a string literal or a text `+` chain)?"""
    return (len(call.args) == 1 and call.args[0].name is None and is_text(call.args[0].value)
            and len(value.args) == 1 and not value.keywords and not isinstance(value.args[0], py.Starred))


def _iteration(iterable: py.expr, list_class: str) -> py.expr:
    """What a `for` walks: `_rt_iter(v)`, except that a variable holding a list of list_class
    (`_rt_GList`, or `_rt_list` for a plain-list variable) is walked as it is (what `_rt_iter`
    returns for it) without the call."""
    if not isinstance(iterable, py.Name):
        return P.call("_rt_iter", iterable)
    is_list = py.Compare(left=P.attr(iterable, "__class__"), ops=[py.Is()], comparators=[P.name(list_class)])
    return py.IfExp(test=is_list, body=P.dup(iterable), orelse=P.call("_rt_iter", P.dup(iterable)))


def _text_operands(node: Any, out: list[Any]) -> None:
    """The operands of a chain of text `+` (see textvars.is_text), left to right."""
    if isinstance(node, g.Binary) and node.op == "+" and is_text(node):
        _text_operands(node.left, out)
        _text_operands(node.right, out)
    else:
        out.append(node)


def _plus(node: g.Binary, left: py.expr, right: py.expr) -> py.expr:
    """Raw `left + right`; when exactly one side is a string, the other side is formatted
    directly (`"x" + _rt_text(i)`) instead of failing with a TypeError into `_rt_add`."""
    left_text, right_text = is_text(node.left), is_text(node.right)
    if left_text and not right_text:
        right = _as_text(right)
    elif right_text and not left_text:
        left = _as_text(left)
    return py.BinOp(left=left, op=py.Add(), right=right)


def _as_text(value: py.expr, numeric: bool = False) -> py.expr:
    """`_rt_text(value)`, skipping the call for a variable that already holds a string, and for
    a `numeric` one (most likely a number: Scope.numeric) first for an int of fewer digits than
    any digit limit allows (`str()` in place, as text_concat does for arithmetic)."""
    if not P.is_simple(value):
        return P.call("_rt_text", value)
    is_str = py.Compare(left=P.call("_rt_type", value), ops=[py.Is()], comparators=[P.name("_rt_str")])
    as_str = py.IfExp(test=is_str, body=P.dup(value), orelse=P.call("_rt_text", P.dup(value)))
    if not numeric:
        return as_str
    is_int = py.Compare(left=P.call("_rt_type", P.dup(value)), ops=[py.Is()], comparators=[P.name("_rt_int")])
    in_range = py.Compare(left=P.const(-_TEXT_INT_BOUND), ops=[py.Lt(), py.Lt()],
                          comparators=[P.dup(value), P.const(_TEXT_INT_BOUND)])
    return py.IfExp(test=py.BoolOp(op=py.And(), values=[is_int, in_range]),
                    body=P.call("_rt_int_str", P.dup(value)), orelse=as_str)


def _has_value(node: Any) -> bool:
    """Does a final REPL statement have a value worth echoing?"""
    if isinstance(node, g.ExprStmt):
        return True
    return isinstance(node, (g.If, g.Match))


def _cannot_fail(stmts: list[py.stmt]) -> bool:
    """Are these statements all marked as running no user code and raising nothing (the
    conversion of CodeGen.int_text)? Operands compiled before them then stay unsaved (seq)."""
    return all(getattr(stmt, "gd_cannot_fail", False) for stmt in stmts)


def _keyword_name(key: Any) -> bool:
    """Can this map key be a Python keyword argument as it is (ASCII, so no normalisation)?"""
    return type(key) is str and key.isascii() and key.isidentifier() and not keyword.iskeyword(key)


def _has_effects(stmts: list[py.stmt] | list[py.expr]) -> bool:
    """Could these statements run user code (and so change a variable read before them)?"""
    stack: list[py.AST] = list(stmts)
    while stack:
        node = stack.pop()
        if isinstance(node, (py.FunctionDef, py.Lambda)):
            continue
        if isinstance(node, py.Call):
            func = node.func
            if not (isinstance(func, py.Name) and func.id in _PURE_HELPERS) and not getattr(node, "gd_quiet", False):
                return True
        if isinstance(node, py.Name) and isinstance(node.ctx, py.Store) and not node.id.startswith("_rt"):
            return True
        stack.extend(py.iter_child_nodes(node))
    return False
