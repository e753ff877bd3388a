"""Tab completion for the REPL: keywords, names in scope, and methods after a `.`."""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from graphoid.runtime.interpreter import Interpreter
from graphoid.runtime.modules import Module
from graphoid.runtime.namespace import mangle, unmangle, user_items

# The reference lexer's keywords (LANGUAGE_STUDY §1.1) and the type words.
KEYWORDS = (
    "fn if then else unless while for in return break continue try catch finally raise as import "
    "load module alias priv match from super set static when spawn configure rule precision and or "
    "not true false none await num bignum string bool list map hash tree graph"
).split()

_MEMBER = re.compile(r"(?:([A-Za-z_][A-Za-z0-9_]*)|(\"[^\"]*\"|'[^']*'))\.([A-Za-z_][A-Za-z0-9_]*)?$")
# Any other `<receiver>.<prefix>`: completed from the receiver's shape, never with global names.
_AFTER_DOT = re.compile(r"([\]\})])\s*\.([A-Za-z_][A-Za-z0-9_]*)?$")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_OPENERS = {"]": "[", "}": "{", ")": "("}


def method_names_for(value: Any) -> list[str]:
    """Methods a value answers to: a module's exports, else the method registry's names."""
    if isinstance(value, Module):
        return sorted(set(value.exports()) | {"name", "path", "exports", "imports"})
    from graphoid.values.methods import registry

    names = set(registry.method_names(value))
    user_methods = getattr(value, "method_names", None)
    if callable(user_methods):
        names.update(user_methods())
    # A class-like graph instance's properties (its own and its template's); private ones
    # (a leading `_`) are not for use from outside.
    properties = getattr(value, "_props", None)
    if isinstance(properties, dict):
        names.update(name for name in properties if isinstance(name, str) and not name.startswith("_"))
    return sorted(name for name in names if not name.startswith("_"))


def _literal_receiver(text: str, closer_index: int) -> Any:
    """A sample of the literal that ends at text[closer_index] (`[...]` or `{...}`), or None
    when that bracket closes something else (an index, a call, a block)."""
    closer = text[closer_index]
    if closer == ")":
        return None
    depth = 0
    for i in range(closer_index, -1, -1):
        ch = text[i]
        if ch in _OPENERS:
            depth += 1
        elif ch in _OPENERS.values():
            depth -= 1
            if depth == 0:
                if ch != _OPENERS[closer]:
                    return None
                before = text[:i].rstrip()
                # `xs[0].` and `f(x)[1].` index a value; a literal follows an operator or nothing.
                if before and (before[-1].isalnum() or before[-1] in "_)]}\"'"):
                    return None
                from graphoid.values.types import GList, GMap

                return GList() if ch == "[" else GMap()
    return None


class GraphoidCompleter(Completer):
    """Completes against the live interpreter, so new definitions show up immediately."""

    def __init__(self, interp: Interpreter) -> None:
        self.interp = interp

    def _lookup(self, name: str) -> tuple[bool, Any]:
        key = mangle(name)
        for table in (self.interp.namespace, self.interp.builtins):
            if key in table and unmangle(key) is not None:
                return True, table[key]
        return False, None

    def scope_names(self) -> list[str]:
        names = {name for name, _ in user_items(self.interp.namespace)}
        names.update(name for name, _ in user_items(self.interp.builtins))
        return sorted(names)

    def candidates(self, text_before_cursor: str) -> tuple[str, Iterable[str]]:
        """(prefix being completed, candidate names) for the text left of the cursor."""
        member = _MEMBER.search(text_before_cursor)
        if member is not None:
            receiver_name, literal, prefix = member.group(1), member.group(2), member.group(3) or ""
            if literal is not None:
                return prefix, method_names_for("")
            found, value = self._lookup(receiver_name)
            if found:
                return prefix, method_names_for(value)
            return prefix, ()
        after_dot = _AFTER_DOT.search(text_before_cursor)
        if after_dot is not None:
            sample = _literal_receiver(text_before_cursor, after_dot.start(1))
            return after_dot.group(2) or "", method_names_for(sample) if sample is not None else ()
        word = _WORD.search(text_before_cursor)
        prefix = word.group(0) if word else ""
        return prefix, sorted(set(KEYWORDS) | set(self.scope_names()))

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        try:
            prefix, names = self.candidates(document.text_before_cursor)
        except Exception:
            # Completion looks at live values; whatever goes wrong there must not end the REPL.
            return
        for name in names:
            if name.startswith(prefix) and name != prefix:
                yield Completion(name, start_position=-len(prefix))
