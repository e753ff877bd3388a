"""parse(): source text -> ast.Program, with every failure a GraphoidError(SyntaxError).

Pipeline: lexer.tokenize_list -> layout.layout -> lalr.LALRParser (tables computed by
Lark from grammar/graphoid.lark and cached, see tables.py) -> builder callbacks -> AST.
"""

from __future__ import annotations

import threading

from graphoid.errors import GraphoidError, syntax_error
from graphoid.syntax import ast as A
from graphoid.syntax.builder import Builder
from graphoid.syntax.lalr import LALRParser, ParseFailure
from graphoid.syntax.layout import layout
from graphoid.syntax.lexer import Token, tokenize_list
from graphoid.syntax.tables import load_tables

# Deeper ASTs would overflow the recursion of the compiler downstream; see docs/syntax.md.
MAX_AST_DEPTH = 500

# How terminals read in messages.
TERMINAL_TEXT: dict[str, str] = {
    "LPAR": "(", "LPAR_LAMBDA": "(", "RPAR": ")", "LSQB": "[", "RSQB": "]", "LBRACE": "{",
    "LMAP": "{", "LLAMBDA": "{", "RBRACE": "}", "_COMMA": ",", "DOT": ".", "COLON": ":",
    "SEMI": ";", "ELLIPSIS": "...", "DOTDOT": "..", "ARROW": "=>", "EQUAL": "=", "BANG": "!",
    "BAR": "|", "OROR": "||", "ANDAND": "&&", "EDGE_R": "->", "EDGE_L": "<-", "PLUS": "+",
    "MINUS": "-", "STAR": "*", "SLASH": "/", "DSLASH": "//", "PERCENT": "%", "POW": "**",
    "CARET": "^", "TILDE": "~", "AMP": "&", "LSHIFT": "<<", "RSHIFT": ">>", "EQEQ": "==",
    "NE": "!=", "MATCHOP": "=~", "NMATCHOP": "!~", "LT": "<", "LE": "<=", "GT": ">", "GE": ">=",
    "NAME": "a name", "LAMBDA_NAME": "a name", "NUMBER": "a number", "STRING": "a string",
    "SYMBOL": "a symbol", "REGEX": "a regex", "_NL": "a newline", "$END": "end of input",
    "IF_SUFFIX": "if", "UNLESS_SUFFIX": "unless", "ELSE_STMT": "else", "TYPE": "a type", "TYPE_GENERIC": "a type",
}
OPERAND_STARTS = frozenset({"NAME", "NUMBER", "STRING", "LPAR", "LSQB", "LMAP"})
BINARY_OPS = frozenset(
    """PLUS MINUS STAR SLASH DSLASH PERCENT POW CARET AMP BAR LSHIFT RSHIFT EQEQ NE MATCHOP
    NMATCHOP LT LE GT GE ANDAND OROR AND OR NOT EQUAL ARROW TILDE AWAIT SPAWN RAISE""".split()
)


_builder = Builder()
_lock = threading.Lock()
_lalr: LALRParser | None = None


def _parser() -> LALRParser:
    global _lalr
    if _lalr is None:
        _lalr = LALRParser(load_tables(), _builder)
    return _lalr


def describe(kind: str, tok: Token | None = None) -> str:
    if tok is not None and kind not in ("_NL", "$END"):
        text = str(tok) if kind not in ("STRING", "NUMBER", "REGEX", "SYMBOL") else None
        if kind == "STRING":
            return "a string"
        if kind == "SYMBOL":
            return f"symbol '{tok}'"
        if kind in ("NUMBER",):
            return f"number {str(tok)!s}"
        if text:
            return f"'{text[:40]}'"
    shown = TERMINAL_TEXT.get(kind)
    if shown is None:
        return f"'{kind.lower()}'"
    if shown[0].isalpha() and " " in shown or shown == "end of input":
        return shown
    return f"'{shown}'"


def _message(err: ParseFailure, tokens: list[Token], filename: str) -> GraphoidError:
    tok = err.token
    kind = tok.type
    index = next((i for i, t in enumerate(tokens) if t is tok), len(tokens))
    prev = tokens[index - 1] if index > 0 else None
    expected = set(err.expected)
    after_operator = prev is not None and prev.type in BINARY_OPS and bool(expected & OPERAND_STARTS)
    if kind == "$END":
        line, col = (prev.end_line, prev.end_column) if prev is not None else (1, 1)
        span = A.Span(filename, line, col, line, col + 1)
        if after_operator:
            return syntax_error(f"expected an expression after '{prev}'", span)
        return syntax_error("unexpected end of input", span)
    if kind == "_NL":
        span = A.Span(filename, tok.line, tok.column, tok.line, tok.column + 1)
        if after_operator:
            return syntax_error(f"expected an expression after '{prev}'", span)
        return syntax_error(f"unexpected end of line{_hint(tokens, index, expected)}", span)
    span = A.Span(filename, tok.line, tok.column, tok.end_line, tok.end_column)
    mistake = _mistake_hint(tok, prev, tokens[index - 2] if index > 1 else None)
    if after_operator:
        return syntax_error(f"expected an expression after '{prev}', found {describe(kind, tok)}", span, mistake)
    return syntax_error(f"unexpected {describe(kind, tok)}{_hint(tokens, index, expected)}", span, mistake)


# Habits from other languages, keyed by the token the parser stopped at.
_COMPOUND_OPS = frozenset({"PLUS", "MINUS", "STAR", "SLASH", "PERCENT"})


def _mistake_hint(tok: Token, prev: Token | None, before_prev: Token | None) -> str | None:
    """How to write a construct another language spells differently (`x += 1`, `!x`, ...)."""
    kind, text = tok.type, str(tok)
    if kind == "EQUAL" and prev is not None and prev.type in _COMPOUND_OPS:
        target = str(before_prev) if before_prev is not None and before_prev.type == "NAME" else "x"
        return f"Graphoid has no '{prev}=': write `{target} = {target} {prev} ...`"
    if kind == "BANG":
        return "negation is written `not x` (`!` only ends a mutating method name, as in `append!`)"
    if kind == "NAME" and text == "elif":
        return "write `else if` for another branch"
    if prev is not None and prev.type == "NAME" and str(prev) in ("let", "var", "const") and kind == "NAME":
        return f"Graphoid has no '{prev}': assign directly, as in `{text} = ...`"
    if kind == "SYMBOL" and prev is not None and prev.type in ("NAME", "STRING"):
        key = str(prev)
        return (
            f"`{key}{text}` reads as a symbol: put a space after the colon (`{key}: {text[1:]}`)"
            " for a map entry or a named argument"
        )
    return None


# What closes each kind of opener, for "expected ',' or ')'" hints.
_CLOSING = {"LPAR": "')'", "LPAR_LAMBDA": "')'", "LSQB": "']'", "LMAP": "'}'"}


def _innermost_opener(tokens: list[Token], index: int) -> str | None:
    depth = 0
    for i in range(index - 1, -1, -1):
        kind = tokens[i].type
        if kind in ("RPAR", "RSQB", "RBRACE"):
            depth += 1
        elif kind in ("LPAR", "LPAR_LAMBDA", "LSQB", "LMAP", "LBRACE", "LLAMBDA"):
            if depth == 0:
                return kind
            depth -= 1
    return None


def _hint(tokens: list[Token], index: int, expected: set[str]) -> str:
    """A short ", expected ..." from the enclosing bracket, or the expected set if tiny."""
    if len(expected) <= 3:
        names = sorted({TERMINAL_TEXT.get(e, e.lower()) for e in expected})
        shown = [n if " " in n else f"'{n}'" for n in names]
        return ", expected " + " or ".join(shown) if shown else ""
    opener = _innermost_opener(tokens, index)
    closer = _CLOSING.get(opener or "")
    if closer is not None and "_COMMA" in expected:
        return f", expected ',' or {closer}"
    return ""


_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = tuple(n for n in getattr(cls, "__slots__", ()) if not n.endswith("span") and not n.startswith("__"))
        _FIELDS[cls] = fields
    return fields


def _check_depth(program: A.Program) -> None:
    """Reject trees deeper than MAX_AST_DEPTH, walking iteratively."""
    stack: list[tuple[object, int]] = [(program, 0)]
    pop = stack.pop
    push = stack.append
    while stack:
        node, depth = pop()
        if isinstance(node, tuple):
            for item in node:
                if item is not None and not isinstance(item, (str, int, float)):
                    push((item, depth))
            continue
        if depth > MAX_AST_DEPTH:
            raise syntax_error("expression nesting too deep", getattr(node, "span", None))
        for name in _child_fields(type(node)):
            child = getattr(node, name)
            if child is not None and not isinstance(child, (str, bool, int, float)):
                push((child, depth + 1))


def _longest_statement(tokens: list[Token]) -> int:
    """Most tokens between top-level statement breaks (bounds the AST depth)."""
    longest = run = 0
    for tok in tokens:
        if tok.type == "_NL":
            if run > longest:
                longest = run
            run = 0
        else:
            run += 1
    return max(longest, run)


def lex(source: str, filename: str = "<string>") -> list[Token]:
    """Raw tokens followed by the layout pass: exactly what the grammar sees."""
    return layout(tokenize_list(source, filename), filename)


def parse(source: str, filename: str = "<string>") -> A.Program:
    """Parse Graphoid source into an ast.Program; raises GraphoidError(SyntaxError)."""
    if not isinstance(source, str):
        raise TypeError("parse() needs a str")
    return parse_tokens(lex(source, filename), filename)


def parse_tokens(tokens: list[Token], filename: str) -> A.Program:
    """Run the LALR parser over layout tokens. A SyntaxError raised because the input
    ended too early carries `at_end = True` (is_complete uses it)."""
    parser = _parser()
    last = tokens[-1] if tokens else None
    if last is not None:
        end = Token("$END", "", last.end_pos, last.end_line, last.end_column, last.end_line,
                    last.end_column + 1, last.end_pos)
    else:
        end = Token("$END", "", 0, 1, 1, 1, 2, 0)
    with _lock:
        _builder.file = filename
        try:
            program = parser.parse(tokens, end)
        except ParseFailure as err:
            error = _message(err, tokens, filename)
            error.at_end = err.token.type == "$END"
            raise error from None
    # A statement adds at most ~1.5 tree levels per token; only long ones can be too deep.
    if len(tokens) > MAX_AST_DEPTH // 2 and _longest_statement(tokens) > MAX_AST_DEPTH // 2:
        _check_depth(program)
    return program
