"""The Graphoid global functions from make_builtins."""

from __future__ import annotations

import pytest

from graphoid.runtime.builtins import ErrorLog, make_builtins, register_provider
from graphoid.errors import GraphoidError
from graphoid.values.format import display, type_name
from graphoid.values.methods import call_method
from graphoid.values.types import GList, GMap


@pytest.fixture
def env():
    out: list[str] = []
    return make_builtins(out.append), out


def test_print_joins_display_forms(env):
    b, out = env
    b["print"]("a", 1, 2.0, None, GList(["x", 1]), GMap({"k": "v"}))
    b["print"]()
    assert out == ['a 1 2 none [x, 1] {"k": v}\n', "\n"]


def test_conversions(env):
    b, _ = env
    assert b["length"]("héllo") == 5 and b["length"](GList([1])) == 1 and b["length"](GMap()) == 0
    assert b["string"](2.0) == "2" and b["string"](None) == "none"
    assert b["num"]("2.5") == 2.5 and b["num"](True) == 1 and b["num"](4) == 4
    assert b["int"](3.9) == 3 and b["int"](-3.9) == -3 and b["int"]("7.5") == 7
    assert b["typeof"]([1]) == "list"
    for bad in (lambda: b["length"](5), lambda: b["num"]("x"), lambda: b["num"](None), lambda: b["int"](None)):
        with pytest.raises(GraphoidError):
            bad()


def test_error_constructors(env):
    b, _ = env
    for kind in ("RuntimeError", "ValueError", "TypeError", "IOError", "NetworkError", "ParseError", "Error"):
        err = b[kind]("msg")
        assert isinstance(err, GraphoidError) and err.kind == kind and err.message == "msg"
    assert b["ValueError"](42).message == "42"
    assert display(b["ValueError"]) == "<function ValueError>"
    caused = b["RuntimeError"]("outer", b["IOError"]("inner"))
    assert caused.cause.kind == "IOError"


def test_static_namespaces(env):
    b, _ = env
    assert call_method(b["list"], "generate", (1, 3, 1)) == [1, 2, 3]
    assert call_method(b["list"], "upto", (2,)) == [0, 1, 2]
    assert call_method(b["list"], "range", (3,)) == [0, 1, 2]
    assert call_method(b["string"], "generate", ("a", "c")) == "abc"
    assert b["string"](GList([1])) == "[1]"
    assert type_name(b["string"]) == "function"
    with pytest.raises(GraphoidError) as info:
        call_method(b["list"], "nope", ())
    assert "static method" in info.value.message
    with pytest.raises(GraphoidError) as info:
        call_method(b["list"], "upto", ())
    assert info.value.kind == "TypeError"


def test_range_builtin(env):
    b, _ = env
    assert b["range"](3) == [0, 1, 2] and b["range"](1, 7, 2) == [1, 3, 5]


def test_error_log():
    log = ErrorLog()
    b = make_builtins(lambda s: None, log)
    log.record(GraphoidError("ValueError", "x"))
    assert [e.message for e in b["get_errors"]()] == ["x"]
    b["clear_errors"]()
    assert b["get_errors"]() == []


def test_providers_extend_every_new_table():
    def provider(write):
        return {"answer_of_test_provider": lambda: 42}

    register_provider(provider)
    register_provider(provider)
    b = make_builtins(lambda s: None)
    assert b["answer_of_test_provider"]() == 42
