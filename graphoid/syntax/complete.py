"""is_complete(): does REPL input need more lines before it can be run?"""

from __future__ import annotations

from graphoid.errors import GraphoidError
from graphoid.syntax.layout import layout
from graphoid.syntax.lexer import tokenize_list
from graphoid.syntax.parser import parse_tokens

# Raw token kinds that cannot end a statement: the next line must continue it.
_TRAILING = frozenset(
    """PLUS MINUS STAR SLASH DSLASH PERCENT POW CARET TILDE AMP BAR LT GT LE GE EQEQ NE MATCHOP
    NMATCHOP LSHIFT RSHIFT ANDAND OROR EQUAL ARROW EDGE_R COMMA DOT COLON BANG ELLIPSIS""".split()
)
_TRAILING_WORDS = frozenset("and or not in else then".split())


def is_complete(source: str) -> bool:
    """False when more text could complete the input (open bracket/string, trailing operator,
    unfinished block); True when it parses or has an error no further text can fix."""
    try:
        raw = tokenize_list(source)
    except GraphoidError as err:
        return not err.message.startswith(("unterminated string", "unterminated comment"))
    significant = [t for t in raw if t.type != "NL"]
    if significant:
        last = significant[-1]
        if last.type in _TRAILING or (last.type == "NAME" and last.value in _TRAILING_WORDS):
            return False
    try:
        tokens = layout(raw, "<input>")
    except GraphoidError as err:
        return "is never closed" not in err.message
    try:
        parse_tokens(tokens, "<input>")
    except GraphoidError as err:
        if getattr(err, "at_end", False):
            return False
        # `try { ... }` typed so far: its catch/finally may be on the next line.
        return not (err.message.startswith("'try' needs") and significant[-1].type == "RBRACE")
    return True
