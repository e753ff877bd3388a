"""The raw tokenizer: Graphoid source text -> a list of tokens (kind, value, position).

Words are all NAME here; the layout pass (graphoid/syntax/layout.py) turns them into
keywords by context. The only context this pass needs is "is an operand expected?", which
decides whether `/` starts a regex literal or divides.
"""

from __future__ import annotations

import re
from typing import Iterator

from graphoid.errors import GraphoidError, syntax_error
from graphoid.syntax.ast import Span

# Decimal literals longer than this cannot become a Python int (int-str-digits limit) and
# would not print either; no real program needs them.
MAX_NUMBER_DIGITS = 4000

# Operators and punctuation, longest first so the alternation takes the longest match.
OPERATORS: dict[str, str] = {
    "...": "ELLIPSIS", ".//": "EW_DSLASH", ".**": "EW_POW", ".==": "EW_EQ", ".!=": "EW_NE",
    ".<=": "EW_LE", ".>=": "EW_GE",
    "..": "DOTDOT", ".+": "EW_PLUS", ".-": "EW_MINUS", ".*": "EW_STAR", "./": "EW_SLASH",
    ".%": "EW_PERCENT", ".^": "EW_CARET", ".<": "EW_LT", ".>": "EW_GT",
    "**": "POW", "//": "DSLASH", "==": "EQEQ", "!=": "NE", "=~": "MATCHOP", "!~": "NMATCHOP",
    "<=": "LE", ">=": "GE", "<<": "LSHIFT", ">>": "RSHIFT", "&&": "ANDAND", "||": "OROR",
    "=>": "ARROW", "->": "EDGE_R",
    "+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH", "%": "PERCENT", "^": "CARET",
    "~": "TILDE", "&": "AMP", "|": "BAR", "<": "LT", ">": "GT", "=": "EQUAL", "!": "BANG",
    "(": "LPAR", ")": "RPAR", "{": "LBRACE", "}": "RBRACE", "[": "LSQB", "]": "RSQB",
    ",": "COMMA", ".": "DOT", ":": "COLON", ";": "SEMI",
}

# Words after which an operand is still expected (so `/` opens a regex). Literal words
# (true/false/none) end an operand, like names.
OPERAND_WORDS = frozenset(
    "if then else unless while for in return raise and or not await spawn when match import load "
    "precision".split()
)
# Token kinds after which an operand is complete (so `/` divides).
_OPERAND_END = frozenset({"NAME", "NUMBER", "STRING", "SYMBOL", "REGEX", "RPAR", "RSQB", "RBRACE"})

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}

_op_pattern = "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True))
_MASTER = re.compile(
    r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<comment>\#[^\n]*)
  | (?P<bcomment>/\*)
  | (?P<hex>0[xX][0-9A-Fa-f_]+)
  | (?P<bin>0[bB][01_]+)
  | (?P<num>(?:\d+(?:\.\d+)?|\.\d+)(?P<unit>ms|s)?(?![\w]))
  | (?P<badnum>\d+(?:\.\d+)?)
  | (?P<name>[^\W\d]\w*)
  | (?P<symbol>:\w+)
  | (?P<quote>["'])
  | (?P<op>"""
    + _op_pattern
    + r""")
    """,
    re.VERBOSE,
)


class Token:
    """One token: `type` is its kind, `value` the decoded value, `text` the source spelling.

    Positions are 1-based; end_column is exclusive. The layout pass retags `type` in place.
    """

    __slots__ = ("type", "value", "text", "start_pos", "end_pos", "line", "column", "end_line",
                 "end_column")

    def __init__(self, type: str, text: str, start_pos: int, line: int, column: int,
                 end_line: int, end_column: int, end_pos: int, value: object = None) -> None:
        self.type = type
        self.text = text
        self.value = text if value is None else value
        self.start_pos = start_pos
        self.end_pos = end_pos
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.text!r}, {self.line}:{self.column})"


def _span(filename: str, line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(filename, line, col, end_line, end_col)


def _make(kind: str, text: str, value: object, pos: int, line: int, col: int,
          end_pos: int, end_line: int, end_col: int) -> Token:
    tok = Token(kind, text, pos, line, col, end_line, end_col, end_pos)
    tok.value = value
    return tok


def _number_value(text: str, filename: str, line: int, col: int) -> int | float:
    digits = text.replace("_", "")
    if len(digits) > MAX_NUMBER_DIGITS:
        raise syntax_error("number literal is too long", _span(filename, line, col, line, col + len(text)))
    if digits[:2] in ("0x", "0X"):
        if len(digits) == 2:
            raise syntax_error("hex literal needs digits", _span(filename, line, col, line, col + len(text)))
        return int(digits[2:], 16)
    if digits[:2] in ("0b", "0B"):
        if len(digits) == 2:
            raise syntax_error("binary literal needs digits", _span(filename, line, col, line, col + len(text)))
        return int(digits[2:], 2)
    if "." in digits:
        return float(digits)
    return int(digits)


def tokenize(source: str, filename: str = "<string>") -> Iterator[Token]:
    """Yield raw tokens (comments and blanks dropped, newlines kept as NL).

    Raises GraphoidError(SyntaxError) for an unterminated string/comment/regex or a
    character that cannot start a token.
    """
    yield from _Scanner(source, filename).run()


def tokenize_list(source: str, filename: str = "<string>") -> list[Token]:
    return list(_Scanner(source, filename).run())


class _Scanner:
    __slots__ = ("src", "file", "pos", "line", "line_start")

    def __init__(self, source: str, filename: str) -> None:
        self.src = source
        self.file = filename
        # A UTF-8 byte-order mark is an encoding artefact, not program text.
        self.pos = 1 if source.startswith("\ufeff") else 0
        self.line = 1
        self.line_start = self.pos

    def _col(self, pos: int) -> int:
        return pos - self.line_start + 1

    def _error(self, message: str, pos: int, end: int | None = None) -> GraphoidError:
        col = self._col(pos)
        end_col = col + max(1, (end if end is not None else pos + 1) - pos)
        return syntax_error(message, _span(self.file, self.line, col, self.line, end_col))

    def run(self) -> Iterator[Token]:
        src = self.src
        n = len(src)
        match = _MASTER.match
        prev_kind = "NL"
        prev_value: object = None
        while self.pos < n:
            pos = self.pos
            m = match(src, pos)
            if m is None:
                ch = src[pos]
                shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
                raise self._error(f"unexpected character {shown}", pos)
            group = m.lastgroup
            end = m.end()
            line, col = self.line, self._col(pos)
            if group == "ws" or group == "comment":
                self.pos = end
                continue
            if group == "nl":
                self.pos = end
                yield _make("NL", "\n", "\n", pos, line, col, end, line, col + 1)
                self.line += 1
                self.line_start = end
                prev_kind = "NL"
                continue
            if group == "bcomment":
                close = src.find("*/", pos + 2)
                if close < 0:
                    raise self._error("unterminated comment", pos, pos + 2)
                self._advance_lines(pos, close + 2)
                continue
            if group == "quote":
                tok = self._string(pos, src[pos])
            elif group == "name":
                text = m.group()
                tok = _make("NAME", text, text, pos, line, col, end, line, col + end - pos)
                self.pos = end
            elif group in ("num", "hex", "bin"):
                text = m.group()
                unit = m.group("unit") if group == "num" else None
                body = text[: -len(unit)] if unit else text
                value = _number_value(body, self.file, line, col)
                if unit:
                    # Durations are milliseconds; 1.5s is 1500, kept an int when integral.
                    value = value * 1000 if unit == "s" else value
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                tok = _make("NUMBER", text, value, pos, line, col, end, line, col + end - pos)
                self.pos = end
            elif group == "badnum":
                text = m.group()
                bad = re.match(r"\w+", src[end:])
                stop = end + (bad.end() if bad else 0)
                raise self._error(f"invalid number literal '{src[pos:stop][:40]}'", pos, stop)
            elif group == "symbol":
                text = m.group()
                tok = _make("SYMBOL", text, text[1:], pos, line, col, end, line, col + end - pos)
                self.pos = end
            else:
                text = m.group()
                if text == "/" and not self._operand_complete(prev_kind, prev_value):
                    tok = self._regex(pos)
                else:
                    kind = OPERATORS[text]
                    tok = _make(kind, text, text, pos, line, col, end, line, col + end - pos)
                    self.pos = end
            prev_kind = tok.type
            prev_value = tok.value
            yield tok

    @staticmethod
    def _operand_complete(kind: str, value: object) -> bool:
        if kind == "NAME":
            return value not in OPERAND_WORDS
        return kind in _OPERAND_END

    def _advance_lines(self, start: int, end: int) -> None:
        """Move past src[start:end], keeping line bookkeeping right across newlines."""
        chunk = self.src[start:end]
        count = chunk.count("\n")
        if count:
            self.line += count
            self.line_start = start + chunk.rfind("\n") + 1
        self.pos = end

    def _string(self, start: int, quote: str) -> Token:
        src = self.src
        n = len(src)
        line, col = self.line, self._col(start)
        parts: list[str] = []
        i = start + 1
        chunk_start = i
        while True:
            if i >= n:
                self.pos = start
                raise syntax_error("unterminated string", _span(self.file, line, col, line, col + 1))
            ch = src[i]
            if ch == quote:
                parts.append(src[chunk_start:i])
                i += 1
                break
            if ch == "\\":
                parts.append(src[chunk_start:i])
                if i + 1 >= n:
                    raise syntax_error("unterminated string", _span(self.file, line, col, line, col + 1))
                esc = src[i + 1]
                # The reference maps any unknown escape \c to c.
                parts.append(_ESCAPES.get(esc, esc))
                i += 2
                chunk_start = i
                continue
            i += 1
        self._advance_lines(start, i)
        text = src[start:i]
        return _make("STRING", text, "".join(parts), start, line, col, i, self.line, self._col(i))

    def _regex(self, start: int) -> Token:
        src = self.src
        n = len(src)
        line, col = self.line, self._col(start)
        i = start + 1
        out: list[str] = []
        while True:
            if i >= n or src[i] == "\n":
                raise syntax_error("unterminated regex literal", _span(self.file, line, col, line, col + 1))
            ch = src[i]
            if ch == "\\" and i + 1 < n and src[i + 1] != "\n":
                # \/ is a literal slash; every other escape is kept for the regex engine.
                out.append("/" if src[i + 1] == "/" else src[i : i + 2])
                i += 2
                continue
            if ch == "/":
                i += 1
                break
            out.append(ch)
            i += 1
        flag_start = i
        while i < n and (src[i].isalnum() or src[i] == "_"):
            i += 1
        flags = src[flag_start:i]
        if any(f not in "imsx" for f in flags) or len(set(flags)) != len(flags):
            raise syntax_error(
                f"invalid regex flags '{flags}' (allowed: i, m, s, x)",
                _span(self.file, line, col + flag_start - start, line, col + i - start),
            )
        self.pos = i
        text = src[start:i]
        return _make("REGEX", text, ("".join(out), flags), start, line, col, i, line, col + i - start)
