"""GList.plain (the one flag the compiled `append!` fast path tests) follows `rules` and
`frozen` wherever they are set, so ruled and frozen lists never take the in-place append."""

from __future__ import annotations

import copy
import io
import pickle

import pytest

from graphoid import Interpreter
from graphoid.errors import GraphoidError
from graphoid.values.types import GList


def run(source: str) -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(source, filename="plain.gd")
    return interp


def test_the_flag_follows_rules_and_frozen() -> None:
    xs = GList([1])
    assert xs.plain
    xs.frozen = True
    assert not xs.plain
    xs.frozen = False
    assert xs.plain
    xs.rules = ("rule",)
    assert not xs.plain
    assert not xs.copy().plain  # copies keep the rules
    xs.rules = None
    assert xs.plain
    xs.rules = ("rule",)
    del xs.rules
    assert xs.plain


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, lambda v: pickle.loads(pickle.dumps(v))])
def test_copies_and_pickles_keep_the_flag(clone: object) -> None:
    xs = GList([1])
    xs.frozen = True
    copied = clone(xs)  # type: ignore[operator]
    assert copied.frozen and not copied.plain


def test_a_ruled_list_appended_in_a_loop_runs_its_rules() -> None:
    source = """
fn run() {
    xs = [1].add_rule(:positive)
    i = 0
    while i < 3 {
        xs.append!(0 - 5)
        i = i + 1
    }
    ys = xs.remove_rule(:positive)
    ys.append!(0 - 1)
    return [xs, ys]
}
"""
    assert run(source).call("run") == [[1, 5, 5, 5], [1, 5, 5, 5, -1]]


def test_a_frozen_list_refuses_append_in_a_loop() -> None:
    source = "fn run() {\n    xs = [1].freeze()\n    while true { xs.append!(2) }\n}"
    with pytest.raises(GraphoidError) as caught:
        run(source).call("run")
    assert caught.value.message == "Cannot modify a frozen list"


def test_a_new_list_built_from_a_frozen_one_appends_again() -> None:
    source = "fn run() {\n    xs = [1].freeze()\n    ys = xs + []\n    ys.append!(2)\n    return [xs, ys]\n}"
    assert run(source).call("run") == [[1], [1, 2]]
