"""Grammar callbacks: each reduction of the LALR parser builds one AST node.

The parser calls these while it reduces (Lark's inline-transformer mode), so building the
tree never recurses: deep input cannot overflow Python's stack here.
"""

from __future__ import annotations

from typing import Any

from graphoid.errors import syntax_error
from graphoid.syntax import ast as A
from graphoid.syntax.lexer import Token

Span = A.Span

_LITERAL_WORDS = {"TRUE": True, "FALSE": False, "NONE": None}
# Operator token kinds whose spelling differs from the AST op name.
_OP_NAMES = {"OROR": "or", "ANDAND": "and", "OR": "or", "AND": "and", "NOT": "not", "AWAIT": "await"}


def _name_span(attr: A.Attr) -> Span:
    """The span of the name in `obj.name`: the last characters of the attribute's span."""
    end = attr.span
    return Span(end.file, end.end_line, max(1, end.end_col - len(attr.name)), end.end_line, end.end_col)


class Builder:
    """Callbacks named after grammar rules/aliases; `file` is set before each parse."""

    def __init__(self) -> None:
        self.file = "<string>"

    # ------------------------------------------------------------------ span helpers

    def span(self, first: Any, last: Any | None = None) -> Span:
        """Span from the start of `first` to the end of `last` (tokens or nodes)."""
        if last is None:
            last = first
        if isinstance(first, Token):
            line, col = first.line, first.column
        else:
            line, col = first.span.line, first.span.col
        if isinstance(last, Token):
            end_line, end_col = last.end_line, last.end_column
        else:
            end_line, end_col = last.span.end_line, last.span.end_col
        return Span(self.file, line, col, end_line, end_col)

    def error(self, message: str, where: Any) -> Exception:
        return syntax_error(message, self.span(where))

    # ------------------------------------------------------------------ program & statements

    def start(self, c: list) -> A.Program:
        body = c[0]
        if body:
            span = self.span(body[0], body[-1])
            span = Span(self.file, 1, 1, span.end_line, span.end_col)
        else:
            span = Span(self.file, 1, 1, 1, 1)
        return A.Program(body, span=span)

    def stmts(self, c: list) -> tuple:
        return tuple(c)

    def expr_stmt(self, c: list) -> A.ExprStmt:
        return A.ExprStmt(c[0], span=c[0].span)

    def assign(self, c: list) -> A.Assign:
        target, _, value = c
        if not isinstance(target, (A.Name, A.Index, A.Attr)):
            raise self.error("cannot assign to this expression", target)
        return A.Assign(target, value, span=self.span(target, value))

    def typed_decl(self, c: list) -> A.Assign:
        type_tok, name, _, value = c
        target = A.Name(str(name.value), span=self.span(name))
        return A.Assign(target, value, type_name=str(type_tok.value), span=self.span(type_tok, value))

    def block(self, c: list) -> A.Block:
        return A.Block(c[1], span=self.span(c[0], c[2]))

    def break_stmt(self, c: list) -> A.Break:
        return A.Break(span=self.span(c[0]))

    def continue_stmt(self, c: list) -> A.Continue:
        return A.Continue(span=self.span(c[0]))

    def return_stmt(self, c: list) -> A.Return:
        kw, value = c
        return A.Return(value, span=self.span(kw, value if value is not None else kw))

    def while_stmt(self, c: list) -> A.While:
        return A.While(c[1], c[2], span=self.span(c[0], c[2]))

    def for_stmt(self, c: list) -> A.For:
        return A.For(str(c[1].value), c[3], c[4], span=self.span(c[0], c[4]))

    def try_stmt(self, c: list) -> A.Try:
        kw, body = c[0], c[1]
        catches = tuple(c[2:-2])
        finally_ = c[-1]
        if not catches and finally_ is None:
            raise self.error("'try' needs a 'catch' or 'finally'", kw)
        last = finally_ or (catches[-1] if catches else body)
        return A.Try(body, catches, finally_, span=self.span(kw, last))

    def catch_clause(self, c: list) -> A.Catch:
        kw, type_tok, _as, var_tok, body = c
        return A.Catch(
            str(type_tok.value) if type_tok is not None else None,
            str(var_tok.value) if var_tok is not None else None,
            body,
            span=self.span(kw, body),
        )

    def import_stmt(self, c: list) -> A.Import:
        kw, path, _as, alias, _lb, names, rb = c
        last = rb or alias or path
        return A.Import(
            path.value, alias=str(alias.value) if alias is not None else None,
            names=names, span=self.span(kw, last),
        )

    def import_names(self, c: list) -> tuple:
        return tuple(x for x in c if x is not None)

    def import_name(self, c: list) -> tuple[str, str | None]:
        name, _as, alias = c
        return (str(name.value), str(alias.value) if alias is not None else None)

    def load_stmt(self, c: list) -> A.Load:
        return A.Load(c[1], span=self.span(c[0], c[1]))

    def module_stmt(self, c: list) -> A.ModuleDecl:
        kw, name, _alias, alias = c
        return A.ModuleDecl(
            str(name.value), alias=str(alias.value) if alias is not None else None,
            span=self.span(kw, alias or name),
        )

    def priv_stmt(self, c: list) -> A.Priv:
        kw, stmt = c
        return A.Priv((stmt,), span=self.span(kw, stmt))

    def priv_block(self, c: list) -> A.Priv:
        return A.Priv(c[2], span=self.span(c[0], c[3]))

    def configure_stmt(self, c: list) -> A.Configure:
        kw, _lb, settings, rb, body = c
        return A.Configure(settings or (), body, span=self.span(kw, body or rb))

    def spawn_stmt(self, c: list) -> A.SpawnBlock:
        kw, body = c
        return A.SpawnBlock(body, span=self.span(kw, body))

    def graph_configure(self, c: list) -> A.Configure:
        kw, _lb, settings, rb = c
        return A.Configure(settings or (), None, span=self.span(kw, rb))

    def settings(self, c: list) -> tuple:
        return tuple(x for x in c if x is not None)

    def setting_kv(self, c: list) -> A.ConfigSetting:
        key, _, value = c
        return A.ConfigSetting(str(key.value), value, span=self.span(key, value))

    def setting_flag(self, c: list) -> A.ConfigSetting:
        sym = self.symbol(c)
        return A.ConfigSetting(None, sym, span=sym.span)

    def precision_stmt(self, c: list) -> A.Precision:
        return A.Precision(c[1], c[2], span=self.span(c[0], c[2]))

    def if_then(self, c: list) -> A.ExprStmt:
        kw, cond, _then, then_stmt, _else, else_stmt = c
        then_block = A.Block((then_stmt,), span=then_stmt.span)
        orelse = A.Block((else_stmt,), span=else_stmt.span) if else_stmt is not None else None
        node = A.If(cond, then_block, orelse, span=self.span(kw, else_stmt or then_stmt))
        return A.ExprStmt(node, span=node.span)

    def if_else_stmt(self, c: list) -> A.ExprStmt:
        kw, cond, then, _else, stmt = c
        orelse = A.Block((stmt,), span=stmt.span)
        node = A.If(cond, then, orelse, span=self.span(kw, stmt))
        return A.ExprStmt(node, span=node.span)

    if_else_chain = if_else_stmt

    # ------------------------------------------------------------------ commands

    def _command_block(self, lb: Token, body: tuple, rb: Token) -> A.Lambda:
        span = self.span(lb, rb)
        return A.Lambda((), A.Block(body, span=span), span=span)

    def command(self, c: list) -> A.ExprStmt:
        name, lits, lb, body, rb = c
        args = [A.Arg(x, span=x.span) for x in (lits or ())]
        block = self._command_block(lb, body, rb)
        args.append(A.Arg(block, span=block.span))
        func = A.Name(str(name.value), span=self.span(name))
        call = A.Call(func, tuple(args), span=self.span(name, rb))
        return A.ExprStmt(call, span=call.span)

    def command_lambda(self, c: list) -> A.ExprStmt:
        name, lits, lam = c
        args = [A.Arg(x, span=x.span) for x in lits] + [A.Arg(lam, span=lam.span)]
        func = A.Name(str(name.value), span=self.span(name))
        call = A.Call(func, tuple(args), span=self.span(name, lam))
        return A.ExprStmt(call, span=call.span)

    def method_command(self, c: list) -> A.MethodCall:
        recv, _dot, name, lits, lb, body, rb = c
        args = [A.Arg(x, span=x.span) for x in (lits or ())]
        block = self._command_block(lb, body, rb)
        args.append(A.Arg(block, span=block.span))
        return A.MethodCall(recv, str(name.value), tuple(args), name_span=self.span(name), span=self.span(recv, rb))

    def method_command_lambda(self, c: list) -> A.MethodCall:
        recv, _dot, name, lits, lam = c
        args = [A.Arg(x, span=x.span) for x in lits] + [A.Arg(lam, span=lam.span)]
        return A.MethodCall(recv, str(name.value), tuple(args), name_span=self.span(name), span=self.span(recv, lam))

    def cmd_lits(self, c: list) -> tuple:
        return tuple(c)

    # ------------------------------------------------------------------ functions

    def params(self, c: list) -> tuple:
        params = tuple(x for x in c if x is not None)
        seen: set[str] = set()
        for i, p in enumerate(params):
            if p.name in seen:
                raise syntax_error(f"duplicate parameter '{p.name}'", p.span)
            seen.add(p.name)
            if p.rest and i != len(params) - 1:
                raise syntax_error("'...' parameter must be last", p.span)
        return params

    def param(self, c: list) -> A.Param:
        return A.Param(str(c[0].value), span=self.span(c[0]))

    def param_default(self, c: list) -> A.Param:
        name, _, value = c
        return A.Param(str(name.value), value, span=self.span(name, value))

    def param_rest(self, c: list) -> A.Param:
        return A.Param(str(c[1].value), rest=True, span=self.span(c[0], c[1]))

    def guard(self, c: list) -> A.Expr:
        return c[1]

    def fn_body(self, c: list) -> A.Block:
        return A.Block(c[1], span=self.span(c[0], c[2]))

    def clause_body(self, c: list) -> tuple:
        return tuple(c[1])

    def clauses(self, c: list) -> tuple:
        return tuple(c)

    def clause(self, c: list) -> A.PatternClause:
        bar, pattern, _bar, _if, guard, _arrow, body = c
        return A.PatternClause(pattern, guard, body, span=self.span(bar, body))

    def _fn(self, start: Any, name: Token, receiver: Token | None, params: Any, guard: Any,
            body: Any, *, static: bool = False, kind: str = "fn") -> A.FnDef:
        if isinstance(body, tuple):
            clauses, block = body, None
            end = clauses[-1]
        else:
            clauses, block = (), body
            end = body
        return A.FnDef(
            str(name.value), params or (), block,
            receiver=str(receiver.value) if receiver is not None else None,
            is_static=static, guard=guard, clauses=clauses, kind=kind,
            span=self.span(start, end),
        )

    def fn_def(self, c: list) -> A.FnDef:
        kw, name, _lp, params, _rp, guard, body = c
        return self._fn(kw, name, None, params, guard, body)

    def fn_def_recv(self, c: list) -> A.FnDef:
        kw, recv, _dot, name, _lp, params, _rp, guard, body = c
        return self._fn(kw, name, recv, params, guard, body)

    def static_fn_def(self, c: list) -> A.FnDef:
        kw, _fn, name, _lp, params, _rp, guard, body = c
        return self._fn(kw, name, None, params, guard, body, static=True)

    def static_fn_def_recv(self, c: list) -> A.FnDef:
        kw, _fn, recv, _dot, name, _lp, params, _rp, guard, body = c
        return self._fn(kw, name, recv, params, guard, body, static=True)

    def fn_expr(self, c: list) -> A.Lambda:
        kw, _lp, params, _rp, body = c
        return A.Lambda(params or (), body, kind="fn", span=self.span(kw, body))

    def lambda_one(self, c: list) -> A.Lambda:
        name, _arrow, body = c
        param = A.Param(str(name.value), span=self.span(name))
        return A.Lambda((param,), body, span=self.span(name, body))

    def lambda_paren(self, c: list) -> A.Lambda:
        lp, params, _rp, _arrow, body = c
        return A.Lambda(params or (), body, span=self.span(lp, body))

    def lambda_block(self, c: list) -> A.Lambda:
        lb, rb = c[0], c[-1]
        if len(c) == 6:
            names = c[2] or ()
            body = c[4]
        else:
            names = ()
            body = c[2]
        span = self.span(lb, rb)
        return A.Lambda(names, A.Block(body, span=span), span=span)

    def lparams(self, c: list) -> tuple:
        seen: set[str] = set()
        out = []
        for tok in c:
            name = str(tok.value)
            if name in seen:
                raise self.error(f"duplicate parameter '{name}'", tok)
            seen.add(name)
            out.append(A.Param(name, span=self.span(tok)))
        return tuple(out)

    # ------------------------------------------------------------------ graphs

    def graph_decl(self, c: list) -> A.GraphDecl:
        kw, name, _lp, gtype, _rp, _from, parent, _lb, entries, rb = c
        return A.GraphDecl(str(name.value), gtype, parent, entries or (), span=self.span(kw, rb))

    def graph_entries(self, c: list) -> tuple:
        return tuple(x for x in c if x is not None)

    def prop_decl(self, c: list) -> A.PropertyDecl:
        name, _, value = c
        return A.PropertyDecl(str(name.value), value, span=self.span(name, value))

    def priv_method(self, c: list) -> A.FnDef:
        fn = c[1]
        return A.FnDef(
            fn.name, fn.params, fn.body, receiver=fn.receiver, is_static=fn.is_static,
            is_private=True, guard=fn.guard, clauses=fn.clauses, kind=fn.kind,
            span=self.span(c[0], fn),
        )

    def setter(self, c: list) -> A.FnDef:
        kw, name, _lp, params, _rp, guard, body = c
        return self._fn(kw, name, None, params, guard, body, kind="set")

    def rule_decl(self, c: list) -> A.RuleDecl:
        kw, rule, *args = c
        last = args[-1] if args else rule
        return A.RuleDecl(rule, tuple(args), span=self.span(kw, last))

    def _config(self, entries: Any) -> tuple:
        return tuple(entries or ())

    def graph_lit(self, c: list) -> A.GraphLit:
        kw, _lb, entries, rb = c
        return A.GraphLit(self._config(entries), span=self.span(kw, rb))

    def graph_lit_from(self, c: list) -> A.GraphLit:
        kw, _from, parent, _lb, entries, rb = c
        return A.GraphLit(self._config(entries), parent, span=self.span(kw, rb))

    def tree_lit(self, c: list) -> A.GraphLit:
        kw, _lb, entries, rb = c
        return A.GraphLit(self._config(entries), kind="tree", span=self.span(kw, rb))

    def instantiate(self, c: list) -> A.Instantiate:
        template, _lb, entries, rb = c
        return A.Instantiate(template, self._config(entries), span=self.span(template, rb))

    # ------------------------------------------------------------------ expressions

    def raise_expr(self, c: list) -> A.Raise:
        return A.Raise(c[1], span=self.span(c[0], c[1]))

    def ternary(self, c: list) -> A.Ternary:
        value, _if, cond, _else, orelse = c
        return A.Ternary(value, cond, orelse, span=self.span(value, orelse or cond))

    def unless_suffix(self, c: list) -> A.Ternary:
        value, kw, cond = c
        negated = A.Unary("not", cond, span=self.span(kw, cond))
        return A.Ternary(value, negated, None, span=self.span(value, cond))

    def logical(self, c: list) -> A.Logical:
        left, op, right = c
        return A.Logical(_OP_NAMES[op.type], left, right, span=self.span(left, right))

    def binary(self, c: list) -> A.Binary:
        left, op, right = c
        return A.Binary(str(op), left, right, span=self.span(left, right))

    def unary_op(self, c: list) -> A.Unary:
        op, operand = c
        return A.Unary(_OP_NAMES.get(op.type, str(op)), operand, span=self.span(op, operand))

    def spawn_expr(self, c: list) -> A.Spawn:
        kw, template = c
        return A.Spawn(template, span=self.span(kw, template))

    def call(self, c: list) -> A.Call | A.MethodCall:
        func, _lp, args, rp = c
        args = args or ()
        span = self.span(func, rp)
        if isinstance(func, A.Attr):
            return A.MethodCall(func.obj, func.name, args, name_span=_name_span(func), span=span)
        return A.Call(func, args, span=span)

    def call_block(self, c: list) -> A.Call | A.MethodCall:
        func, lam = c
        arg = A.Arg(lam, span=lam.span)
        span = self.span(func, lam)
        if isinstance(func, A.Attr):
            return A.MethodCall(func.obj, func.name, (arg,), name_span=_name_span(func), span=span)
        if isinstance(func, A.MethodCall):
            return A.MethodCall(
                func.receiver, func.name, func.args + (arg,), func.bang, func.name_span, span=span
            )
        if isinstance(func, A.Call):
            return A.Call(func.func, func.args + (arg,), span=span)
        if isinstance(func, A.SuperCall):
            return A.SuperCall(func.name, func.args + (arg,), span=span)
        return A.Call(func, (arg,), span=span)

    def bang_call(self, c: list) -> A.MethodCall:
        recv, _dot, name, _bang, _lp, args, rp = c
        return A.MethodCall(
            recv, str(name.value), args or (), bang=True, name_span=self.span(name), span=self.span(recv, rp)
        )

    def index(self, c: list) -> A.Index:
        obj, _lb, idx, rb = c
        return A.Index(obj, idx, span=self.span(obj, rb))

    def attr(self, c: list) -> A.Attr:
        obj, _dot, name = c
        return A.Attr(obj, str(name.value), span=self.span(obj, name))

    def super_call(self, c: list) -> A.SuperCall:
        kw, _dot, name, _lp, args, rp = c
        return A.SuperCall(str(name.value), args or (), span=self.span(kw, rp))

    def args(self, c: list) -> tuple:
        args = tuple(x for x in c if x is not None)
        seen: set[str] = set()
        for a in args:
            if a.name is not None:
                if a.name in seen:
                    raise syntax_error(f"argument '{a.name}' given twice", a.span)
                seen.add(a.name)
        return args

    def arg(self, c: list) -> A.Arg:
        return A.Arg(c[0], span=c[0].span)

    def named_arg(self, c: list) -> A.Arg:
        name, _, value = c
        return A.Arg(value, str(name.value), span=self.span(name, value))

    # ------------------------------------------------------------------ primaries

    def name(self, c: list) -> A.Name:
        tok = c[0]
        return A.Name(str(tok.value), span=self.span(tok))

    def number(self, c: list) -> A.Const:
        tok = c[0]
        return A.Const(tok.value, span=self.span(tok))

    def string(self, c: list) -> A.Const:
        tok = c[0]
        return A.Const(tok.value, span=self.span(tok))

    def symbol(self, c: list) -> A.SymbolLit:
        tok = c[0]
        return A.SymbolLit(str(tok.value), span=self.span(tok))

    def regex(self, c: list) -> A.RegexLit:
        tok = c[0]
        pattern, flags = tok.value
        return A.RegexLit(pattern, flags, span=self.span(tok))

    def const(self, c: list) -> A.Const:
        tok = c[0]
        return A.Const(_LITERAL_WORDS[tok.type], span=self.span(tok))

    def paren(self, c: list) -> Any:
        # Parentheses leave no node; the inner expression keeps its own span.
        return c[1]

    def items(self, c: list) -> tuple:
        return tuple(x for x in c if x is not None)

    def list_lit(self, c: list) -> A.ListLit:
        lb, items, rb = c
        return A.ListLit(items or (), span=self.span(lb, rb))

    def typed_list(self, c: list) -> A.ListLit:
        kw, _lb, items, rb = c
        return A.ListLit(items or (), span=self.span(kw, rb))

    def entries(self, c: list) -> tuple:
        entries = tuple(x for x in c if x is not None)
        return entries

    def entry(self, c: list) -> tuple[str, Any]:
        key, _, value = c
        return (str(key.value), value)

    def map_lit(self, c: list) -> A.MapLit:
        lb, entries, rb = c
        return A.MapLit(self._config(entries), span=self.span(lb, rb))

    def typed_map(self, c: list) -> A.MapLit:
        kw, _lb, entries, rb = c
        return A.MapLit(self._config(entries), span=self.span(kw, rb))

    def if_expr(self, c: list) -> A.If:
        kw, cond, then, _else, orelse = c
        if isinstance(orelse, A.If):
            orelse = A.Block((A.ExprStmt(orelse, span=orelse.span),), span=orelse.span)
        return A.If(cond, then, orelse, span=self.span(kw, orelse or then))

    def unless_expr(self, c: list) -> A.If:
        kw, cond, body = c
        negated = A.Unary("not", cond, span=cond.span)
        return A.If(negated, body, None, span=self.span(kw, body))

    def match_expr(self, c: list) -> A.Match:
        kw, subject, _lb, arms, rb = c
        return A.Match(subject, arms or (), span=self.span(kw, rb))

    def arms(self, c: list) -> tuple:
        return tuple(x for x in c if x is not None)

    def arm(self, c: list) -> A.MatchArm:
        pattern, _if, guard, _arrow, body = c
        return A.MatchArm(pattern, guard, body, span=self.span(pattern, body))

    # ------------------------------------------------------------------ match patterns

    def p_name(self, c: list) -> A.PWildcard | A.PBind:
        tok = c[0]
        if tok.value == "_":
            return A.PWildcard(span=self.span(tok))
        return A.PBind(str(tok.value), span=self.span(tok))

    def p_literal(self, c: list) -> A.PLiteral:
        tok = c[0]
        if tok.type == "SYMBOL":
            value: Any = self.symbol(c)
        elif tok.type in _LITERAL_WORDS:
            value = self.const(c)
        else:
            value = A.Const(tok.value, span=self.span(tok))
        return A.PLiteral(value, span=value.span)

    def p_negative(self, c: list) -> A.PLiteral:
        minus, tok = c
        span = self.span(minus, tok)
        return A.PLiteral(A.Const(-tok.value, span=span), span=span)

    def p_rest(self, c: list) -> tuple:
        return ("rest", str(c[1].value), self.span(c[0], c[1]))

    def p_items(self, c: list) -> tuple:
        return tuple(x for x in c if x is not None)

    def p_list(self, c: list) -> A.PList:
        lb, items, rb = c
        items = items or ()
        rest = None
        out = []
        for i, item in enumerate(items):
            if isinstance(item, tuple):
                if i != len(items) - 1:
                    raise syntax_error("'...' must be the last element of a list pattern", item[2])
                rest = item[1]
            else:
                out.append(item)
        return A.PList(tuple(out), rest, span=self.span(lb, rb))

    # ------------------------------------------------------------------ pattern literals

    def pattern_lit(self, c: list) -> A.PatternLit:
        kw, _lb, clauses, rb = c
        return A.PatternLit(clauses or (), span=self.span(kw, rb))

    def pclauses(self, c: list) -> tuple:
        out: list[A.PatternEdge] = []
        for chain in c:
            if chain is not None:
                out.extend(chain)
        return tuple(out)

    def pchain(self, c: list) -> tuple:
        first = c[0]
        if len(c) == 1:
            return (A.PatternEdge(str(first.value), None, "-", span=self.span(first)),)
        out = []
        src = first
        i = 1
        while i < len(c):
            edge, dst, spec = c[i], c[i + 1], c[i + 2]
            direction = {"EDGE_R": "->", "EDGE_L": "<-", "MINUS": "-"}[edge.type]
            edge_type, lo, hi, end = spec if spec is not None else (None, None, None, dst)
            out.append(A.PatternEdge(
                str(src.value), str(dst.value), direction, edge_type, lo, hi,
                span=self.span(src, end),
            ))
            src = dst
            i += 3
        return tuple(out)

    def pspec(self, c: list) -> tuple:
        lb, type_tok, _star, lo, _dd, hi, rb = c
        edge_type = str(type_tok.value) if type_tok is not None else None
        low = high = None
        if lo is not None:
            low = lo.value
            high = hi.value if hi is not None else low
            for tok, v in ((lo, low), (hi, high)):
                if not isinstance(v, int) or v < 0:
                    raise self.error("path length must be a whole number", tok or lo)
            if high < low:
                raise self.error("path length range is empty", hi)
        return (edge_type, low, high, rb)
