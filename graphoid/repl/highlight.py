"""Syntax highlighting for the REPL: a prompt_toolkit Lexer over graphoid.syntax.tokenize.

The tokenizer drops comments and whitespace, so gaps between tokens that start with `#` or
`/*` are comments. Input that does not tokenize (an unfinished string while typing) keeps the
styles found up to the problem and shows the rest as a string.
"""

from __future__ import annotations

from typing import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style

from graphoid.repl.completion import KEYWORDS
from graphoid.errors import GraphoidError

STYLE = Style.from_dict(
    {
        "keyword": "bold ansiblue",
        "string": "ansigreen",
        "number": "ansicyan",
        "symbol": "ansimagenta",
        "regex": "ansiyellow",
        "comment": "italic ansibrightblack",
        "operator": "",
        "name": "",
    }
)

_KEYWORDS = frozenset(KEYWORDS)
_KIND_STYLE = {"STRING": "class:string", "NUMBER": "class:number", "SYMBOL": "class:symbol", "REGEX": "class:regex"}


def char_styles(text: str) -> list[str]:
    """One style class per character of `text`."""
    from graphoid.syntax import tokenize

    styles = [""] * len(text)
    covered_to = 0
    try:
        for token in tokenize(text, "<repl>"):
            start = token.start_pos
            end = token.end_pos if token.end_pos is not None else start + len(str(token))
            if start is None:
                continue
            _style_gap(text, styles, covered_to, start)
            kind = token.type
            if kind == "NAME":
                style = "class:keyword" if str(token) in _KEYWORDS else "class:name"
            else:
                style = _KIND_STYLE.get(kind, "class:operator")
            for i in range(start, min(end, len(text))):
                styles[i] = style
            covered_to = max(covered_to, end)
    except GraphoidError:
        rest = text[covered_to:].lstrip()
        if rest.startswith(("'", '"')):
            offset = len(text) - len(rest)
            for i in range(offset, len(text)):
                styles[i] = "class:string"
            return styles
    except Exception:
        # Highlighting runs on every keystroke: a tokenizer bug must cost colour, not the REPL.
        return [""] * len(text)
    _style_gap(text, styles, covered_to, len(text))
    return styles


def _style_gap(text: str, styles: list[str], start: int, end: int) -> None:
    """Mark comments in a stretch the tokenizer skipped."""
    i = start
    while i < end:
        ch = text[i]
        if ch == "#":
            stop = text.find("\n", i, end)
            stop = end if stop < 0 else stop
            for j in range(i, stop):
                styles[j] = "class:comment"
            i = stop
        elif text.startswith("/*", i):
            stop = text.find("*/", i + 2, end)
            stop = end if stop < 0 else stop + 2
            for j in range(i, stop):
                styles[j] = "class:comment"
            i = stop
        else:
            i += 1


class GraphoidLexer(Lexer):
    """Highlights the whole input buffer (multi-line statements included)."""

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        text = document.text
        styles = char_styles(text)
        lines: list[StyleAndTextTuples] = []
        fragments: StyleAndTextTuples = []
        for ch, style in zip(text, styles):
            if ch == "\n":
                lines.append(fragments)
                fragments = []
            elif fragments and fragments[-1][0] == style:
                fragments[-1] = (style, fragments[-1][1] + ch)
            else:
                fragments.append((style, ch))
        lines.append(fragments)

        def get_line(lineno: int) -> StyleAndTextTuples:
            return lines[lineno] if 0 <= lineno < len(lines) else []

        return get_line
