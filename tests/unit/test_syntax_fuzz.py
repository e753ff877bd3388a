"""Random and mutated programs: parse() either succeeds or raises a SyntaxError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphoid.errors import GraphoidError
from graphoid.syntax import ast as A
from graphoid.syntax import is_complete, parse, tokenize

SEED_PROGRAMS = [
    'fn fact(n) {\n    |0| => 1\n    |k| => k * fact(k - 1)\n}\nprint(fact(5))\n',
    'graph Dog from Animal {\n    sound: "woof"\n    rank = 0.0\n    fn speak() { return super.speak() }\n'
    '    rule :no_cycles\n}\nrex = Dog { name: "Rex" }\n',
    'describe "math" {\n    it "adds" {\n        expect(1 + 1).to_equal(2)\n    }\n}\n',
    'x = match v { [:init, p] => { p }, n if n > 1 => n * 2, _ => {} }\n',
    'try {\n    raise ValueError("x")\n} catch ValueError as e {\n    print(e.message())\n} finally { done() }\n',
    'r = stream\n    .filter(i => i.score > 0.5)\n    .take(5)\nok = "a" =~ /b+/i\n',
    'p = pattern {\n    a -> b [FRIEND]\n    b <- c, c - d [LINK*1..3]\n}\nt = await g.request(:x, to: "y")\n',
    'configure { :unsigned, skip_none: true } { y = 0xFF >> 2 ^ 0b11 }\nlist<num> xs = [1, 2]\n',
    'import "m" as q { f, g as h }\nmodule mm alias m\npriv { A = 1 }\nload "x.gr"\n',
    'if a { b } else if c { d } else { e }\nwhile i < 3 { i = i + 1 }\nfor x in xs { continue }\n',
    'f = (a, b = 2, ...r) => { return a }\ng = { |x| x }\nh = fn(x) { x }\nv = "s" if c else 100ms\n',
]

FRAGMENTS = [
    "fn", "if", "else", "while", "for", "in", "match", "try", "catch", "finally", "return", "graph",
    "pattern", "await", "configure", "import", "module", "priv", "static", "set", "when", "rule",
    "x", "y", "_", "self", "super", "1", "2.5", "0x1F", "100ms", '"s"', "'t'", ":sym", "/re/i",
    "(", ")", "[", "]", "{", "}", "|", "||", ",", ".", ":", ";", "=", "=>", "->", "<-", "...", "..",
    "+", "-", "*", "/", "//", "%", "**", "^", "&", "<<", ">>", "==", "!=", "<", ">", "=~", "!~",
    "and", "or", "not", "!", "~", "#c\n", "/* c */", "\n", " ", "\t", "true", "none", "list", "num",
]


def check(source: str) -> None:
    try:
        program = parse(source, "fuzz.gd")
    except GraphoidError as err:
        assert err.kind == "SyntaxError", err
        assert err.span is None or err.span.file == "fuzz.gd"
        assert err.message
    else:
        assert isinstance(program, A.Program)
    assert is_complete(source) in (True, False)
    try:
        for _ in tokenize(source):
            pass
    except GraphoidError as err:
        assert err.kind == "SyntaxError"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join))
def test_random_fragment_soup(source: str) -> None:
    check(source)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_random_text(source: str) -> None:
    check(source)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(SEED_PROGRAMS))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap"]))
        if not source:
            break
        i = draw(st.integers(0, len(source) - 1))
        j = draw(st.integers(i, min(len(source), i + 12)))
        if op == "delete":
            source = source[:i] + source[j:]
        elif op == "insert":
            source = source[:i] + draw(st.sampled_from(FRAGMENTS)) + source[i:]
        elif op == "duplicate":
            source = source[:j] + source[i:j] + source[j:]
        else:
            k = draw(st.integers(0, len(source) - 1))
            chars = list(source)
            chars[i], chars[k] = chars[k], chars[i]
            source = "".join(chars)
    return source


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_programs(source: str) -> None:
    check(source)


def test_seed_programs_parse() -> None:
    for source in SEED_PROGRAMS:
        assert parse(source).body
        assert is_complete(source)
