"""The runtime fast paths keep the slow paths' meaning: inline match tests, direct implicit-self
property access, accumulator arms in messaging, the inline `append!`, GC pausing, dispatch."""

import gc
import io

import pytest

from graphoid import Interpreter
from graphoid.errors import GraphoidError
from graphoid.values.types import GList, Symbol


def run(source: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run(source, filename="fast.gd")
    return out.getvalue()


def interp_with(source: str) -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(source, filename="fast.gd")
    return interp


# ------------------------------------------------------------------ match

CLASSIFY = """
fn classify(v) {
    kind = match v {
        [:init, p] => "init " + p.to_string()
        :tick => "tick"
        [:add, 1] => "add one"
        [:add, x] => "add " + x.to_string()
        [[a, b], c] => "nested " + (a + b + c).to_string()
        [h, ...t] => "head " + h.to_string() + " rest " + t.length().to_string()
        [] => "empty"
        1 => "one"
        "s" => "string"
        _ => "other"
    }
    return kind
}
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[:init, 5]", "init 5"),
        (":tick", "tick"),
        ("[:add, 1]", "add one"),
        ("[:add, true]", "add true"),  # true is not the number 1
        ("[:add, 2]", "add 2"),
        ("[[1, 2], 3]", "nested 6"),
        ("[7, 8, 9]", "head 7 rest 2"),
        ("[:init]", "head :init rest 0"),
        ("[]", "empty"),
        ("1", "one"),
        ("1.0", "one"),
        ("true", "other"),
        ('"s"', "string"),
        ("[:tick]", "head :tick rest 0"),
        ("{}", "other"),
    ],
)
def test_inline_list_and_literal_patterns(value, expected):
    assert run(CLASSIFY + f"print(classify({value}))\n").strip() == expected


def test_plain_python_lists_match_like_graphoid_lists():
    classify = interp_with(CLASSIFY).globals["classify"]  # the compiled function, no conversion
    assert classify([Symbol("add"), 3]) == "add 3"


def test_guarded_arms_fall_through_with_inline_tests():
    source = """
    fn f(v) {
        r = match v {
            [:n, x] if x > 10 => "big"
            [:n, x] => "small " + x.to_string()
            _ => "none"
        }
        return r
    }
    print(f([:n, 50]), f([:n, 2]), f(:n))
    """
    assert run(source).split() == ["big", "small", "2", "none"]


# ------------------------------------------------------------------ implicit self

COUNTER = """
graph Counter {
    count: 0
    fn bump(by) {
        count = count + by
        return count
    }
    fn peek() { self.count }
}
c = Counter {}
"""


def test_implicit_self_writes_see_a_setter_defined_later():
    interp = interp_with(COUNTER)
    c = interp.globals["c"]
    assert c.call("bump", (1,)) == 1  # a plain write: the receiver's write epoch is now valid
    calls = []

    def setter(self, value):
        calls.append(value)
        self.set_property("count", value * 10)

    c.metadata.template.define_method("count", setter, setter=True)
    assert c.call("bump", (1,)) == 20  # the setter ran and stored 2 * 10
    assert calls == [2]


def test_implicit_self_write_on_a_frozen_graph_is_refused():
    interp = interp_with(COUNTER)
    c = interp.globals["c"]
    assert c.call("bump", (1,)) == 1
    c.call("freeze", ())
    with pytest.raises(GraphoidError) as info:
        c.call("bump", (1,))
    assert "frozen" in info.value.message
    assert c.get_property("count") == 1


def test_implicit_self_read_falls_back_to_context_and_nodes():
    source = """
    graph G {
        x: 1
        fn total() { x + self.x }
    }
    g = G {}
    print(g.total())
    """
    assert run(source).strip() == "2"


# ------------------------------------------------------------------ accumulator arms

ACCUMULATOR = """
graph Acc {
    total = 0
    log = []
    fn on_message(msg) {
        match msg {
            [:add, amount] => {
                total = total + amount
            }
            :spread => {
                self.graph.send([:add, 1.5], from: self.id, via: "*")
            }
            [:note, text] => {
                log = log + [text]
            }
            :get => total
        }
    }
}
g = graph { type: :directed }
g.add_node("a", {})
g.add_node("b", {})
g.add_node("c", {})
g.add_edge("a", "b", "x")
g.add_edge("a", "c", "x")
g.add_edge("c", "b", "x")
g.set_behavior(Acc)
"""


def test_handler_has_accumulator_metadata():
    interp = interp_with(ACCUMULATOR)
    template = interp.globals["Acc"]
    fn = template.find_method("on_message")[1].default
    assert fn._gd_folds == {Symbol("add"): "total"}


def test_accumulated_messages_give_the_handler_results():
    source = ACCUMULATOR + """
    g.broadcast(:spread)
    g.broadcast(:spread)
    print(g.request(:get, where: v => true))
    g.send(:add, 2, to: "a")
    g.send(:note, "hi", to: "a")
    print(g.request(:get, to: "a"))
    """
    assert run(source).splitlines() == ["[0, 6, 3]", "2"]


def test_accumulating_a_wrong_type_reports_node_and_step_with_rollback():
    source = ACCUMULATOR + """
    g.send(:add, 5, to: "b")
    try {
        g.broadcast(:add, {})
    } catch as e {
        print(e.message())
    }
    print(g.request(:get, to: "b"))
    """
    lines = run(source).splitlines()
    assert "node 'a'" in lines[0] and "superstep 0" in lines[0]
    assert lines[1] == "5"


def test_accumulator_respects_a_setter():
    interp = interp_with(ACCUMULATOR)
    g, template = interp.globals["g"], interp.globals["Acc"]
    seen = []

    def setter(self, value):
        seen.append(value)
        self.set_property("total", value)

    template.define_method("total", setter, setter=True)
    g.call("send", (Symbol("add"), 2), {"to": "b"})
    g.call("send", (Symbol("add"), 3), {"to": "b"})
    assert seen == [2, 5]
    assert g.call("request", (Symbol("get"),), {"to": "b"}) == 5


def test_no_accumulator_when_an_earlier_arm_may_take_the_message():
    source = """
    graph A {
        total = 0
        fn on_message(msg) {
            match msg {
                [kind, v] if kind == :skip => none
                [:add, amount] => { total = total + amount }
            }
        }
    }
    graph B {
        total = 0
        fn on_message(msg) {
            match msg {
                [:add, amount] => { total = total + amount }
            }
            none
        }
    }
    """
    interp = interp_with(source)
    for name in ("A", "B"):
        fn = interp.globals[name].find_method("on_message")[1].default
        assert not hasattr(fn, "_gd_folds")


def test_messaging_pauses_the_collector_and_restores_it():
    interp = interp_with(ACCUMULATOR)
    g = interp.globals["g"]
    assert gc.isenabled()
    g.call("broadcast", (Symbol("spread"),))
    assert gc.isenabled()
    with pytest.raises(GraphoidError):
        g.call("broadcast", (Symbol("add"), {}))
    assert gc.isenabled()
    gc.disable()
    try:
        g.call("broadcast", (Symbol("spread"),))
        assert not gc.isenabled()  # the host's own choice is left alone
    finally:
        gc.enable()


# ------------------------------------------------------------------ append!


def test_append_bang_keeps_value_semantics():
    source = """
    xs = [1]
    ys = xs
    xs.append!(2)
    xs.append!(xs)
    fn grow(list, n) {
        i = 0
        while i < n {
            list.append!(i)
            i = i + 1
        }
        return list
    }
    zs = grow(ys, 3)
    print(xs, ys, zs)
    v = xs.append!(9)
    print(v, xs.length())
    """
    assert run(source).splitlines() == ["[1, 2, [1, 2]] [1] [1, 0, 1, 2]", "none 4"]


def test_append_bang_honours_frozen_lists_and_rules():
    with pytest.raises(GraphoidError) as info:
        run("xs = [1].freeze()\nxs.append!(2)\n")
    assert "frozen" in info.value.message
    out = run("xs = []\nxs.add_rule!(:none_to_zero)\nxs.append!(none)\nxs.push!(3)\nprint(xs)\n")
    assert out.strip() == "[0, 3]"


# ------------------------------------------------------------------ dispatch


def test_graph_method_calls_and_self_calls_dispatch_through_the_graph():
    source = """
    graph Box {
        items = []
        fn add(x) {
            items = items + [x]
            self.size()
        }
        fn size() { items.length() }
        fn node_count() { 99 }
    }
    b = Box {}
    print(b.add(1), b.add(2), b.node_count(), b.size())
    """
    assert run(source).split() == ["1", "2", "99", "2"]
