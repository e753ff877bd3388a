"""Universal methods (casting) and methods of none/bool/symbol/regex/error values."""

from __future__ import annotations

import pytest

from graphoid.errors import GraphoidError, TraceEntry
from graphoid.values.methods import call_method
from graphoid.values.types import GList, GMap, Regex, Symbol
from graphoid.syntax.ast import Span


def m(receiver, name, *args):
    return call_method(receiver, name, args)


def test_universal_casting_matches_reference_spec():
    assert m(True, "to_num") == 1 and m(False, "to_num") == 0
    assert m(True, "to_string") == "true" and m(False, "to_string") == "false"
    assert m(None, "to_num") == 0 and m(None, "to_string") == "" and m(None, "to_bool") is False
    assert m("123.45", "to_num") == 123.45 and m("42", "to_num") == 42
    assert m("abc", "to_num") is None and m(" 42", "to_num") is None and m("1_000", "to_num") is None
    assert str(m("-0", "to_num")) == "-0.0"
    assert m("-1e3", "to_num") == -1000.0 and m("inf", "to_num") == float("inf")
    assert m("", "to_bool") is False and m("hello", "to_bool") is True
    assert m(GList([1, 2, 3, 4, 5]), "to_num") == 5 and m(GMap({"a": 1, "b": 2}), "to_num") == 2
    assert m(GList(), "to_string") == "[]" and m(GMap(), "to_string") == "{}"
    assert m(Symbol("s"), "to_num") == 0


def test_type_methods():
    assert m(1, "type") == "num" and m("s", "type_name") == "string"
    assert m(GList(), "type") == "list" and m(None, "type") == "none"
    err = GraphoidError("ValueError", "bad")
    assert m(err, "type") == "ValueError" and m(err, "type_name") == "error"


def test_symbol_bool_regex_methods():
    assert m(Symbol("abc"), "name") == "abc"
    assert m(True, "not") is False
    assert m(None, "is_none") is True
    r = Regex(r"\d+", "i")
    assert m(r, "source") == r"\d+" and m(r, "flags") == "i"
    assert m(r, "test", "a1") and not m(r, "test", "ab")
    assert m(r, "type") == "regex"


def test_error_methods():
    span = Span("main.gd", 3, 5, 3, 9)
    cause = GraphoidError("IOError", "disk")
    err = GraphoidError(
        "ValueError", "bad input", span, trace=[TraceEntry("outer", Span("main.gd", 10, 1, 10, 2)),
                                                 TraceEntry("inner", span)]
    )
    assert m(err, "message") == "bad input"
    assert m(err, "file") == "main.gd" and m(err, "line") == 3 and m(err, "column") == 5
    assert m(err, "to_string") == "ValueError: bad input"
    assert [frame["function"] for frame in m(err, "stack")] == ["inner", "outer"]
    trace = m(err, "stack_trace")
    assert trace.splitlines()[0] == "ValueError: bad input" and "at inner (main.gd:3:5)" in trace
    assert m(err, "cause") is None
    chained = m(err, "caused_by", cause)
    assert chained is not err and m(chained, "cause") is cause and err.cause is None
    assert m(chained, "full_chain") == "ValueError: bad input\nCaused by: IOError: disk"
    bare = GraphoidError("RuntimeError", "x")
    assert m(bare, "file") is None and m(bare, "line") == 0
    with pytest.raises(GraphoidError) as info:
        m(err, "caused_by", "nope")
    assert info.value.kind == "TypeError"
