"""Mutated and random programs through the whole pipeline (parse, compile, run).

Whatever the input, only a GraphoidError may come out: never a Python exception, never a hang
(each run carries a step and a time limit, and runs sandboxed so mutated imports touch nothing).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphoid import Interpreter
from graphoid.errors import GraphoidError

# More examples on demand: GRAPHOID_FUZZ_EXAMPLES=2000 python -m pytest tests/unit/test_pipeline_fuzz.py
EXAMPLES = int(os.environ.get("GRAPHOID_FUZZ_EXAMPLES", "150"))

CORPUS_DIR = Path(__file__).resolve().parent.parent / "conformance"
CORPUS = sorted(
    p.read_text(encoding="utf-8", errors="replace")
    for p in CORPUS_DIR.rglob("*.gd")
    if "lib" not in p.parts and "modules" not in p.parts
)

FRAGMENTS = [
    "x", "xs", "none", "0", "-1", "2.5", '""', '"s"', ":k", "[]", "{}", "[1, 2]", '{"a": 1}',
    "+", "-", "*", "/", "//", "%", "**", "==", "<", "and", "not", "(", ")", "[", "]", "{", "}",
    ",", ".", "=", "=>", "!", ".length()", ".append!(1)", ".pop!()", "[0]", "[-1]", ".x",
    "fn", "return", "if", "else", "while", "for", "in", "match", "_", "raise", "try", "catch",
    "graph", "self", "\n",
]


def run_guarded(source: str) -> None:
    interp = Interpreter(stdout=io.StringIO(), sandbox=True, max_steps=20_000, time_limit=2.0)
    try:
        interp.run(source, filename="fuzz.gd")
    except GraphoidError as err:
        assert err.kind and err.message, err


def mutate(source: str, data: st.DataObject) -> str:
    lines = source.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        if not lines:
            break
        where = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "insert", "swap", "truncate"]))
        if action == "drop":
            del lines[where]
        elif action == "dup":
            lines.insert(where, lines[where])
        elif action == "insert":
            line = lines[where]
            cut = data.draw(st.integers(0, len(line)))
            lines[where] = line[:cut] + " " + data.draw(st.sampled_from(FRAGMENTS)) + " " + line[cut:]
        elif action == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        else:
            lines[where] = lines[where][: data.draw(st.integers(0, len(lines[where])))]
    return "\n".join(lines) + "\n"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_conformance_programs_only_raise_graphoid_errors(data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(CORPUS))
    run_guarded(mutate(source, data))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join))
def test_random_fragments_only_raise_graphoid_errors(source: str) -> None:
    run_guarded(source)


def test_the_corpus_is_large_enough_to_mutate() -> None:
    assert len(CORPUS) > 100
