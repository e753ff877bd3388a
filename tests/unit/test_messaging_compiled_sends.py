"""Compiled fast forms of `self.graph.send(m, from: self.id, via: "*")` and `self.out_degree()`.

Each fast form must behave exactly like the same call written so the compiler cannot
recognise it (through a local), inside and outside handlers, shadowed or not.
"""

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.errors import GraphoidError
from graphoid.syntax.parser import parse

FAST = 'self.graph.send([:hit, rank], from: self.id, via: "*")'
SLOW = 'gr = self.graph\n                gr.send([:hit, rank], from: self.id, via: "*")'

TEMPLATE = """
graph Node {{
    rank = 1
    total = 0
    seen = 0
    {extra}
    fn on_message(msg) {{
        match msg {{
            :go => {{
                seen = self.out_degree()
                {send}
            }}
            [:hit, x] => {{ total = total * 10 + x }}
        }}
    }}
}}

fn run(extra_rank) {{
    g = graph {{ type: :directed }}
    for id in ["a", "b", "c", "d"] {{ g.add_node(id, {{}}) }}
    for e in [["a", "b"], ["a", "c"], ["b", "c"], ["c", "a"], ["d", "a"]] {{ g.add_edge(e[0], e[1], "x") }}
    g.set_behavior(Node)
    g.broadcast(:init_noop)
    result = {{}}
    for id in ["a", "b", "c", "d"] {{
        result[id] = 0
    }}
    g.broadcast(:go)
    for id in ["a", "b", "c", "d"] {{
        n = g.get_node(id)
        result[id] = [n.total, n.seen]
    }}
    return result
}}
"""


def run_program(send: str, extra: str = "") -> object:
    interp = Interpreter()
    interp.run(TEMPLATE.format(send=send, extra=extra), filename="sends.gd")
    return interp.call("run", 0)


def test_the_routed_send_and_out_degree_compile_to_their_fast_helpers():
    code = dump(parse(TEMPLATE.format(send=FAST, extra=""), "sends.gd"))
    assert "_rt_route_pair(self, _rt_S.hit, " in code  # a `[:h, x]` literal: head and payload apart
    assert "_rt_self_out_degree(self)" in code
    slow = dump(parse(TEMPLATE.format(send=SLOW, extra=""), "sends.gd"))
    assert "_rt_route_" not in slow
    whole = 'm = [:hit, rank]\n                self.graph.send(m, from: self.id, via: "*")'
    assert "_rt_route_send(self, " in dump(parse(TEMPLATE.format(send=whole, extra=""), "sends.gd"))
    assert run_program(whole) == run_program(SLOW)


def test_other_send_shapes_are_not_taken_for_the_routed_form():
    for send in ('self.graph.send([:hit, rank], from: self.id, via: "x")',
                 'self.graph.send([:hit, rank], from: "a", via: "*")',
                 'self.graph.send([:hit, rank], to: self.id)'):
        assert "_rt_route_" not in dump(parse(TEMPLATE.format(send=send, extra=""), "s.gd"))


def test_named_arguments_in_either_order_are_the_routed_form():
    send = 'self.graph.send([:hit, rank], via: "*", from: self.id)'
    assert "_rt_route_pair" in dump(parse(TEMPLATE.format(send=send, extra=""), "s.gd"))
    assert run_program(send) == run_program(SLOW)


def test_fast_send_delivers_like_the_generic_call():
    fast = run_program(FAST)
    assert fast == run_program(SLOW)
    # a gets 1 from c and d (ascending origin), c gets from a and b; out-degrees as built
    assert fast["a"] == [11, 2] and fast["b"] == [1, 1] and fast["c"] == [11, 1] and fast["d"] == [0, 1]


def test_a_property_shadowing_id_takes_the_generic_path():
    # with `id` a stored property, `from: self.id` names node "b" for every sender
    extra = 'id = "b"'
    assert run_program(FAST, extra) == run_program(SLOW, extra)
    assert run_program(FAST, extra)["c"] == [1111, 1]


def test_out_degree_outside_a_handler_dispatches_as_written():
    source = """
graph Holder {
    fn fast() { return self.out_degree() }
    fn slow() { s = self
                return s.out_degree() }
}
h = Holder {}
fn call_fast() { return h.fast() }
fn call_slow() { return h.slow() }
"""
    interp = Interpreter()
    interp.run(source, filename="deg.gd")
    outcomes = []
    for name in ("fast", "slow"):
        try:
            outcomes.append(("ok", interp.call("call_" + name)))
        except GraphoidError as exc:
            outcomes.append((exc.kind, exc.message))
    assert outcomes[0] == outcomes[1]


def test_a_failing_routed_send_rolls_back_and_names_the_node():
    send = 'self.graph.send([:hit, rank], from: self.id, via: "*")\n                boom = 1 / 0'
    interp = Interpreter()
    interp.run(TEMPLATE.format(send=send, extra=""), filename="sends.gd")
    with pytest.raises(GraphoidError) as info:
        interp.call("run", 0)
    assert "node 'a'" in info.value.message
