"""The layout pass: raw tokens -> the terminals the LALR grammar sees.

It decides everything the grammar cannot with one token of lookahead:
- which words are keywords (most keywords are hard, a few are contextual so that names
  like `graph`, `set`, `pattern`, `await` stay usable as variables);
- which newlines end a statement (dropped inside () [] and maps, after an operator or `,`,
  before `}` / `.` / `catch` / `finally` / `else`, collapsed when repeated);
- what each `{` opens (block LBRACE, map or instantiation LMAP, block lambda LLAMBDA);
- `(` that starts a lambda `(a, b) =>`, `x =>` lambdas, prefix vs suffix `if`/`unless`.
See docs/syntax.md for the rules and their reasons.
"""

from __future__ import annotations

from graphoid.errors import GraphoidError, syntax_error
from graphoid.syntax.ast import Span
from graphoid.syntax.lexer import Token

MAX_NESTING = 200
MAX_PREFIX_RUN = 200

HARD_KEYWORDS: dict[str, str] = {
    w.lower(): w
    for w in (
        "FN IF THEN ELSE UNLESS WHILE FOR IN RETURN BREAK CONTINUE TRY CATCH FINALLY RAISE AS "
        "IMPORT LOAD MODULE MATCH FROM SUPER CONFIGURE PRECISION AND OR NOT TRUE FALSE NONE SPAWN"
    ).split()
}
TYPE_WORDS = frozenset("num bignum string bool list map hash tree graph".split())
SOFT_WORDS = frozenset("set static when rule priv alias pattern await".split())
ALL_WORDS = frozenset(HARD_KEYWORDS) | TYPE_WORDS | SOFT_WORDS

# Kinds after which an operand is complete (a following `if` is a suffix, `{` may instantiate).
OPERAND_END = frozenset(
    {"NAME", "NUMBER", "STRING", "SYMBOL", "REGEX", "TRUE", "FALSE", "NONE", "RPAR", "RSQB"}
)
# After these a newline cannot end the statement: the expression obviously continues.
CONTINUATION = frozenset(
    """PLUS MINUS STAR SLASH DSLASH PERCENT POW CARET TILDE AMP BAR LT GT LE GE EQEQ NE MATCHOP
    NMATCHOP LSHIFT RSHIFT ANDAND OROR EQUAL ARROW _COMMA DOT COLON AND OR NOT AWAIT SPAWN IN ELSE
    THEN IF_SUFFIX UNLESS_SUFFIX LPAR LPAR_LAMBDA LSQB LBRACE LMAP LLAMBDA EDGE_R EDGE_L AS FROM
    EW_PLUS EW_MINUS EW_STAR EW_SLASH EW_DSLASH EW_PERCENT EW_POW EW_CARET EW_EQ EW_NE EW_LT
    EW_LE EW_GT EW_GE RAISE ELSE_STMT""".split()
)
LITERAL_KINDS = frozenset({"STRING", "NUMBER", "SYMBOL", "TRUE", "FALSE", "NONE"})
OPERAND_START = frozenset({"NAME", "NUMBER", "STRING", "SYMBOL", "REGEX", "LPAR", "LSQB", "LBRACE"})
NOT_OPERAND_WORDS = frozenset("and or in if unless else then as".split())
PREFIX_OPS = frozenset({"MINUS", "NOT", "TILDE", "AWAIT", "SPAWN"})

# Frames whose newlines separate statements/entries; the others ignore newlines.
NEWLINE_FRAMES = frozenset(
    {"top", "block", "fnbody", "lambda", "cmd", "graphbody", "configure", "match", "pattern"}
)
STATEMENT_FRAMES = frozenset({"top", "block", "fnbody", "lambda", "cmd", "graphbody"})
# Headers whose `{` may instead be an instantiation `Name { k: v }` inside the expression.
EXPR_HEADERS = frozenset({"if", "unless", "while", "for", "match", "precision", "else"})
CLOSERS = {"RPAR": "LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE"}


def _span(tok: Token, filename: str) -> Span:
    return Span(filename, tok.line, tok.column, tok.end_line, tok.end_column)


class _Frame:
    """An open bracket: its kind decides newline handling and what `{` and `if` mean inside."""

    __slots__ = ("kind", "depth", "in_pattern", "lam_state")

    def __init__(self, kind: str, depth: int) -> None:
        self.kind = kind
        self.depth = depth
        # True while reading a match-arm / pattern-clause pattern (before its `=>`).
        self.in_pattern = kind == "match"
        # Block lambdas: 0 just opened, 1 inside |params|, 2 in the body.
        self.lam_state = 0


class Layout:
    """One pass over the raw token list; `run()` returns the grammar's token list."""

    def __init__(self, raw: list[Token], filename: str) -> None:
        self.raw = raw
        self.file = filename
        self.out: list[Token] = []
        self.frames: list[_Frame] = [_Frame("top", 0)]
        # Pending headers: (kind, depth); the next `{` at that depth belongs to the header.
        self.pending: list[tuple[str, int]] = []
        self.match_index = self._match_brackets()
        self.stmt_start = True
        # Command-call recognition for the current statement (see _cmd_step).
        self.cmd = "start"
        self.cmd_dot = False
        self.cmd_rhs = False
        self.prefix_run = 0
        self.last_closed = ""
        # Set by a handler when the token it emitted ends a statement prefix (`{`, `|x|`).
        self.mark_start = False

    # ------------------------------------------------------------------ helpers

    def _error(self, message: str, tok: Token) -> GraphoidError:
        return syntax_error(message, _span(tok, self.file))

    def _match_brackets(self) -> dict[int, int]:
        """Pair every opener with its closer; report mismatches and excessive nesting."""
        pairs: dict[int, int] = {}
        stack: list[int] = []
        raw = self.raw
        for i, tok in enumerate(raw):
            kind = tok.type
            if kind in ("LPAR", "LSQB", "LBRACE"):
                stack.append(i)
                if len(stack) > MAX_NESTING:
                    raise self._error("nesting too deep", tok)
            elif kind in CLOSERS:
                if not stack:
                    raise self._error(f"unexpected '{tok}'", tok)
                opener = raw[stack[-1]]
                if opener.type != CLOSERS[kind]:
                    raise self._error(
                        f"unexpected '{tok}' (the '{opener}' at line {opener.line} is not closed)", tok
                    )
                pairs[stack.pop()] = i
        if stack:
            opener = raw[stack[-1]]
            raise syntax_error(f"'{opener}' is never closed", _span(opener, self.file))
        return pairs

    def _peek(self, i: int, skip_nl: bool = False) -> Token | None:
        raw = self.raw
        n = len(raw)
        while i < n:
            tok = raw[i]
            if skip_nl and tok.type == "NL":
                i += 1
                continue
            return tok
        return None

    def _prev_type(self) -> str | None:
        return self.out[-1].type if self.out else None

    def _operand_complete(self) -> bool:
        if not self.out:
            return False
        prev = self.out[-1].type
        if prev == "RBRACE":
            return self.last_closed not in ("block", "fnbody", "graphbody", "configure", "cmd", "match_block")
        return prev in OPERAND_END or prev == "LAMBDA_NAME"

    def _emit(self, tok: Token, kind: str) -> None:
        if tok.type != kind:
            tok.type = kind
        self.out.append(tok)

    def _is_key_colon(self, i: int) -> bool:
        """raw[i] (after newlines) is a name or string directly followed by a bare `:`."""
        raw = self.raw
        n = len(raw)
        while i < n and raw[i].type == "NL":
            i += 1
        if i + 1 >= n or raw[i].type not in ("NAME", "STRING"):
            return False
        return raw[i + 1].type == "COLON"

    # ------------------------------------------------------------------ main loop

    def run(self) -> list[Token]:
        raw = self.raw
        n = len(raw)
        i = 0
        while i < n:
            tok = raw[i]
            kind = tok.type
            if kind == "NL" or (kind == "SEMI" and self.frames[-1].kind in NEWLINE_FRAMES):
                i = self._newline(i)
                continue
            if kind == "NAME":
                i = self._word(i, tok)
            elif kind == "LBRACE":
                self._brace(i, tok)
                i += 1
            elif kind == "LPAR":
                self._paren(i, tok)
                i += 1
            elif kind == "LSQB":
                self._open(tok, "LSQB", "list")
                i += 1
            elif kind in CLOSERS:
                self._close(i, tok)
                i += 1
            else:
                i = self._operator(i, tok)
            self._after(self.out[-1] if self.out else None)
        self._strip_trailing_newline()
        return self.out

    def _after(self, tok: Token | None) -> None:
        """Bookkeeping after each emitted token: statement start, command state, prefix runs."""
        if tok is None:
            return
        kind = tok.type
        if kind in PREFIX_OPS and not self._operand_complete_before_last():
            self.prefix_run += 1
            if self.prefix_run > MAX_PREFIX_RUN:
                raise self._error("nesting too deep", tok)
        else:
            self.prefix_run = 0
        was_start = self.stmt_start
        self.stmt_start = False
        self._cmd_step(kind, was_start)
        if self.mark_start:
            self.mark_start = False
            self.stmt_start = True
            self.cmd = "start"

    def _operand_complete_before_last(self) -> bool:
        if len(self.out) < 2:
            return False
        prev = self.out[-2].type
        return prev in OPERAND_END or prev == "LAMBDA_NAME"

    def _cmd_step(self, kind: str, was_start: bool) -> None:
        """Track whether the statement so far is a command prefix `a.b "lit", 2`."""
        state = self.cmd
        if was_start:
            self.cmd_dot = False
            self.cmd_rhs = False
            self.cmd = "head" if kind == "NAME" else "dead"
            return
        if state == "head":
            if kind == "DOT":
                self.cmd = "dot"
            elif kind in LITERAL_KINDS:
                self.cmd = "lits"
            elif kind == "EQUAL" and not self.cmd_rhs:
                self.cmd = "rhs"
            else:
                self.cmd = "dead"
        elif state == "dot":
            if kind == "NAME":
                self.cmd = "head"
                self.cmd_dot = True
            else:
                self.cmd = "dead"
        elif state == "rhs":
            if kind == "NAME":
                self.cmd = "head"
                self.cmd_dot = False
                self.cmd_rhs = True
            else:
                self.cmd = "dead"
        elif state in ("lits", "litcomma"):
            if kind in LITERAL_KINDS:
                self.cmd = "lits"
            elif kind == "_COMMA" and state == "lits":
                self.cmd = "litcomma"
            else:
                self.cmd = "dead"

    # ------------------------------------------------------------------ newlines

    def _newline(self, i: int) -> int:
        """Emit at most one _NL for a run of newlines/semicolons, or drop it by context."""
        raw = self.raw
        n = len(raw)
        first = raw[i]
        j = i
        while j < n and (raw[j].type == "NL" or (raw[j].type == "SEMI" and self.frames[-1].kind in NEWLINE_FRAMES)):
            j += 1
        frame = self.frames[-1]
        nxt = raw[j] if j < n else None
        if frame.kind not in NEWLINE_FRAMES:
            return j
        prev = self._prev_type()
        if prev is None or prev == "_NL" or prev in CONTINUATION:
            return j
        if nxt is None:
            return j
        nt = nxt.type
        if nt in ("RBRACE", "RPAR", "RSQB", "DOT", "COMMA"):
            return j
        if nt == "NAME" and nxt.value in ("catch", "finally", "else"):
            return j
        nl = Token("_NL", "\n", first.start_pos, first.line, first.column, first.end_line,
                   first.end_column, first.end_pos)
        self.out.append(nl)
        self.stmt_start = frame.kind in STATEMENT_FRAMES
        self.cmd = "start"
        self.prefix_run = 0
        depth = len(self.frames)
        while self.pending and self.pending[-1][1] >= depth:
            self.pending.pop()
        if frame.kind == "match":
            frame.in_pattern = True
        elif frame.kind == "fnbody":
            frame.in_pattern = False
        # An `if` header never spans a statement boundary (`x if c` newline ...).
        return j

    def _strip_trailing_newline(self) -> None:
        while self.out and self.out[-1].type == "_NL":
            self.out.pop()

    # ------------------------------------------------------------------ brackets

    def _open(self, tok: Token, kind: str, frame_kind: str) -> None:
        self._emit(tok, kind)
        self.frames.append(_Frame(frame_kind, len(self.frames)))
        if kind == "LBRACE" and frame_kind in STATEMENT_FRAMES:
            self.mark_start = True

    def _close(self, i: int, tok: Token) -> None:
        frame = self.frames.pop()
        depth = len(self.frames)
        while self.pending and self.pending[-1][1] >= depth + 1:
            self.pending.pop()
        self.last_closed = frame.kind
        self._emit(tok, tok.type)
        if frame.kind == "configure":
            nxt = self._peek(i + 1)
            if nxt is not None and nxt.type == "LBRACE":
                self.pending.append(("block", depth))

    def _pending_here(self) -> str | None:
        if self.pending and self.pending[-1][1] == len(self.frames):
            return self.pending[-1][0]
        return None

    def _brace(self, i: int, tok: Token) -> None:
        nxt = self._peek(i + 1, skip_nl=True)
        nt = nxt.type if nxt is not None else None
        lambda_next = nt in ("BAR", "OROR")
        header = self._pending_here()
        frame = self.frames[-1]
        if header is not None:
            if header == "fn":
                self.pending.pop()
                self._open(tok, "LBRACE", "fnbody")
                return
            if header == "fnguard":
                # `when xs.any { |x| .. } {`: only a `|` on the same line opens a lambda, so
                # a clause body (`{` newline `|0| => ..`) still works after a guard.
                same_line = self._peek(i + 1)
                if same_line is not None and same_line.type in ("BAR", "OROR"):
                    self._open(tok, "LLAMBDA", "lambda")
                    return
                self.pending.pop()
                self._open(tok, "LBRACE", "fnbody")
                return
            if header in EXPR_HEADERS:
                if lambda_next:
                    self._open(tok, "LLAMBDA", "lambda")
                    return
                if header != "else" and self.out and not self._operand_complete():
                    # The header's expression still needs an operand (`if m == {} {`,
                    # `for k in {"a": 1} {`, `match {} {`): this `{` is a map literal.
                    self._open(tok, "LMAP", "map")
                    return
                if self._prev_type() == "NAME" and self._is_key_colon(i + 1):
                    self._open(tok, "LMAP", "map")
                    return
            self.pending.pop()
            frame_kind = {
                "match": "match", "graphdecl": "graphbody", "graphlit": "map", "pattern": "pattern",
                "configure": "configure", "import": "map",
            }.get(header, "block")
            self._open(tok, "LBRACE", frame_kind)
            return
        if lambda_next and not frame.in_pattern:
            self._open(tok, "LLAMBDA", "lambda")
            return
        prev = self._prev_type()
        if prev == "ARROW":
            if nt == "RBRACE":
                self._open(tok, "LMAP" if frame.kind == "match" else "LBRACE", "map" if frame.kind == "match" else "block")
            elif self._is_key_colon(i + 1):
                self._open(tok, "LMAP", "map")
            else:
                self._open(tok, "LBRACE", "block")
            return
        if not self._operand_complete():
            self._open(tok, "LMAP", "map")
            return
        # After an operand: instantiation, a command block, or an error the grammar reports.
        if self.cmd in ("head", "lits") and frame.kind in STATEMENT_FRAMES:
            # `a.b { k: v }` instantiates; `a.b { stmts }` is a command block.
            instantiation = self.cmd == "head" and (
                self._is_key_colon(i + 1) or (self.cmd_rhs and not self.cmd_dot)
            )
            if not instantiation:
                self._open(tok, "LBRACE", "cmd")
                return
        if prev == "NAME" and (nt == "RBRACE" or self._is_key_colon(i + 1)):
            self._open(tok, "LMAP", "map")
            return
        self._open(tok, "LBRACE", "block")

    def _paren(self, i: int, tok: Token) -> None:
        frame = self.frames[-1]
        if not self._operand_complete() and not frame.in_pattern:
            close = self.match_index[i]
            after = self._peek(close + 1)
            if after is not None and after.type == "ARROW":
                self._open(tok, "LPAR_LAMBDA", "paren")
                return
        self._open(tok, "LPAR", "paren")

    # ------------------------------------------------------------------ words

    def _word(self, i: int, tok: Token) -> int:
        value = tok.value
        prev = self._prev_type()
        nxt = self._peek(i + 1)
        nt = nxt.type if nxt is not None else None
        frame = self.frames[-1]
        if prev in ("DOT", "FN"):
            # Member names and function names may be any word: `x.match(...)`, `fn g.set()`.
            self._name(tok, nt, frame)
            return i + 1
        if value not in ALL_WORDS:
            self._name(tok, nt, frame)
            return i + 1
        if nt == "COLON" and value not in ("true", "false", "none"):
            # A word used as a key: `{from: 1}`, `f(map: g)`, `type: :directed`.
            self._emit(tok, "NAME")
            return i + 1
        if value in HARD_KEYWORDS:
            return self._keyword(i, tok, HARD_KEYWORDS[value], nt, frame)
        if value in TYPE_WORDS:
            return self._type_word(i, tok, nt, frame)
        return self._soft_word(i, tok, nt, frame)

    def _name(self, tok: Token, nt: str | None, frame: _Frame) -> None:
        if nt == "ARROW" and not frame.in_pattern and not self._operand_complete():
            self._emit(tok, "LAMBDA_NAME")
        else:
            self._emit(tok, "NAME")

    def _keyword(self, i: int, tok: Token, kind: str, nt: str | None, frame: _Frame) -> int:
        depth = len(self.frames)
        if kind in ("IF", "UNLESS"):
            if frame.in_pattern or (self._operand_complete() and not self.stmt_start):
                self._emit(tok, kind + "_SUFFIX")
                return i + 1
            if self.pending and self.pending[-1] == ("else", depth):
                self.pending.pop()
            self.pending.append((kind.lower(), depth))
        elif kind in ("WHILE", "FOR", "MATCH", "PRECISION"):
            self.pending.append((kind.lower(), depth))
        elif kind == "FN":
            self.pending.append(("fn", depth))
        elif kind in ("TRY", "FINALLY", "CATCH"):
            self.pending.append(("block", depth))
        elif kind == "ELSE":
            if self._prev_type() == "RBRACE" and self.last_closed in ("block",):
                after = self._peek(i + 1, skip_nl=True)
                if after is not None and after.type != "LBRACE" and not (
                        after.type == "NAME" and after.value == "if"):
                    # `} else print(x)`: a single statement, not a block or an else-if.
                    self._emit(tok, "ELSE_STMT")
                    return i + 1
                self.pending.append(("else", depth))
        elif kind == "THEN":
            if self.pending and self.pending[-1] == ("if", depth):
                self.pending.pop()
        elif kind == "IMPORT":
            self.pending.append(("import", depth))
        elif kind == "CONFIGURE":
            self.pending.append(("configure", depth))
        elif kind == "SPAWN" and nt == "LBRACE" and self.stmt_start:
            self.pending.append(("block", depth))  # `spawn { ... }`: a task's body
        self._emit(tok, kind)
        return i + 1

    def _type_word(self, i: int, tok: Token, nt: str | None, frame: _Frame) -> int:
        value = tok.value
        depth = len(self.frames)
        nxt = self._peek(i + 1)
        if value == "graph":
            if nt == "LBRACE" or (nt == "NAME" and nxt.value == "from"):
                self.pending.append(("graphlit", depth))
                self._emit(tok, "GRAPH")
                return i + 1
            after = self._peek(i + 2)
            if (nt == "NAME" and nxt.value not in ALL_WORDS and self.stmt_start
                    and not (after is not None and after.type == "EQUAL")):
                self.pending.append(("graphdecl", depth))
                self._emit(tok, "GRAPH")
                return i + 1
            if nt == "NAME" and after is not None and after.type == "EQUAL":
                self._emit(tok, "TYPE")
                return i + 1
            self._name(tok, nt, frame)
            return i + 1
        if value == "tree":
            if nt == "LBRACE":
                self.pending.append(("graphlit", depth))
                self._emit(tok, "TREE")
            else:
                self._name(tok, nt, frame)
            return i + 1
        if nt == "LT":
            end = self._generic_end(i + 1)
            if end is not None:
                tok.end_line = self.raw[end].end_line
                tok.end_column = self.raw[end].end_column
                tok.end_pos = self.raw[end].end_pos
                self._emit(tok, "TYPE_GENERIC")
                return end + 1
        if nt == "NAME" and nxt.value not in ALL_WORDS:
            self._emit(tok, "TYPE")
            return i + 1
        self._name(tok, nt, frame)
        return i + 1

    def _generic_end(self, j: int) -> int | None:
        """`<num>` / `<string, list<num>>` after a type word: index of the closing `>`."""
        raw = self.raw
        depth = 0
        k = j
        while k < len(raw):
            t = raw[k].type
            if t == "LT":
                depth += 1
            elif t == "GT":
                depth -= 1
            elif t == "RSHIFT":
                depth -= 2
            elif t == "NAME":
                if raw[k].value not in TYPE_WORDS and depth == 1 and raw[k - 1].type == "LT":
                    return None
            elif t != "COMMA":
                return None
            if depth <= 0:
                return k if depth == 0 else None
            k += 1
        return None

    def _soft_word(self, i: int, tok: Token, nt: str | None, frame: _Frame) -> int:
        value = tok.value
        depth = len(self.frames)
        nxt = self._peek(i + 1)
        prev = self._prev_type()
        kind = None
        if value == "pattern" and nt == "LBRACE":
            kind = "PATTERN"
            self.pending.append(("pattern", depth))
        elif value == "await":
            if (not self._operand_complete() and nt in OPERAND_START
                    and not (nt == "NAME" and nxt.value in NOT_OPERAND_WORDS)):
                kind = "AWAIT"
        elif value == "static":
            if nt == "NAME" and nxt.value == "fn":
                kind = "STATIC"
        elif value == "priv":
            if self.stmt_start and nt in ("NAME", "LBRACE"):
                kind = "PRIV"
                if nt == "LBRACE":
                    self.pending.append(("block", depth))
        elif value == "set":
            after = self._peek(i + 2)
            if self.stmt_start and nt == "NAME" and after is not None and after.type == "LPAR":
                kind = "SET"
                self.pending.append(("fn", depth))
        elif value == "rule":
            if self.stmt_start and frame.kind == "graphbody" and nt not in ("EQUAL", "COLON", "DOT", "LPAR"):
                kind = "RULE"
        elif value == "when":
            if prev == "RPAR" and self.pending and self.pending[-1] == ("fn", depth):
                self.pending[-1] = ("fnguard", depth)
                kind = "WHEN"
        elif value == "alias":
            if prev == "NAME" and len(self.out) >= 2 and self.out[-2].type == "MODULE":
                kind = "ALIAS"
        if kind is None:
            self._name(tok, nt, frame)
        else:
            self._emit(tok, kind)
        return i + 1

    # ------------------------------------------------------------------ operators

    def _operator(self, i: int, tok: Token) -> int:
        kind = tok.type
        frame = self.frames[-1]
        if kind == "COMMA":
            self._emit(tok, "_COMMA")
            if frame.kind == "match":
                frame.in_pattern = True
            elif frame.kind == "graphbody":
                self.mark_start = True
            return i + 1
        if kind == "ARROW":
            if frame.in_pattern:
                frame.in_pattern = False
            self._emit(tok, kind)
            return i + 1
        if kind == "BAR":
            if frame.kind == "lambda" and frame.lam_state < 2 and self._prev_type() in ("LLAMBDA", "NAME", "_COMMA", "BAR"):
                self._emit(tok, kind)
                if frame.lam_state == 0:
                    frame.lam_state = 1
                else:
                    frame.lam_state = 2
                    self.mark_start = True
                return i + 1
            if frame.kind == "fnbody" and self.stmt_start:
                frame.in_pattern = True
            self._emit(tok, kind)
            return i + 1
        if kind == "OROR" and frame.kind == "lambda" and frame.lam_state == 0 and self._prev_type() == "LLAMBDA":
            frame.lam_state = 2
            self._emit(tok, kind)
            self.mark_start = True
            return i + 1
        if kind == "LT" and frame.kind == "pattern":
            nxt = self._peek(i + 1)
            if nxt is not None and nxt.type == "MINUS" and nxt.start_pos == tok.end_pos:
                tok.end_column = nxt.end_column
                tok.end_pos = nxt.end_pos
                self._emit(tok, "EDGE_L")
                return i + 2
        if kind == "SEMI":
            self._emit(tok, kind)
            return i + 1
        self._emit(tok, kind)
        return i + 1


def layout(raw: list[Token], filename: str) -> list[Token]:
    """Turn raw tokens into grammar terminals (see the module docstring)."""
    return Layout(raw, filename).run()
