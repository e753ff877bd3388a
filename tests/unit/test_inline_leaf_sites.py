"""Leaf methods' fast forms run in place at their call sites (compiler/inline_leaf.py).

Every program here runs twice, with the sites inlined and with CodeGen.inline_leaf_sites turned
off (the call sites as before), and must give the same values, output and errors (kind,
message, caret position and Graphoid stack), so the fast path is compared with the general
path on the happy paths and off them."""

from __future__ import annotations

import ast as py
import io
import re
import textwrap
from typing import Any

import pytest

from graphoid import Interpreter
from graphoid.compiler import codegen, dump
from graphoid.compiler.inline_leaf import leaf_template
from graphoid.errors import GraphoidError, format_error
from graphoid.graphs import classes
from graphoid.syntax.parser import parse

ACCOUNT = """
graph Account {
    balance: 0
    deposits: 0
    fn deposit(amount) {
        balance = balance + amount
        deposits = deposits + 1
    }
    fn total() { return balance }
}
"""


def outcome(source: str, **options: Any) -> tuple[Any, str, str | None]:
    """(value or error, printed output, the formatted error with caret and stack)."""
    out = io.StringIO()
    interp = Interpreter(stdout=out, **options)
    try:
        return interp.run(source, filename="inline.gd"), out.getvalue(), None
    except GraphoidError as error:
        return (error.kind, error.message), out.getvalue(), format_error(error, source)


def both_ways(source: str, monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[Any, str, str | None]:
    """The outcome with the sites inlined, checked equal to the outcome without."""
    inlined = outcome(source, **options)
    with monkeypatch.context() as patch:
        patch.setattr(codegen.CodeGen, "inline_leaf_sites", lambda self: None)
        general = outcome(source, **options)
    assert inlined == general
    return inlined


def inlined_sites(source: str) -> int:
    """How many call sites run a fast form in place (each copies its usual entry into its
    inline entry `<key>_i`)."""
    text = dump(parse(source, "inline.gd"))
    return len(re.findall(r"_rt_sites\.c\w+_i = _rt_\d+\n", text))


# ---------------------------------------------------------------------------- what is inlined


def test_a_leaf_method_is_inlined_at_its_direct_call_sites() -> None:
    source = ACCOUNT + "fn go(a) {\n    a.deposit(3)\n    return a.total()\n}\n"
    text = dump(parse(source, "inline.gd"))
    assert inlined_sites(source) == 2
    region = text.split("except _rt_Exception")[0].rsplit("try:", 1)[1]
    assert "(" not in region.replace("_rt_sites", "")  # the region calls nothing
    assert text.startswith("_rt_fu")  # the fast forms are bound to none before the sites run


@pytest.mark.parametrize("program", [
    # two leaf methods of one name: which one a receiver runs is not known here
    ACCOUNT + "graph Other { balance: 0\n fn total() { return balance + 1 } }\nfn go(a) { return a.total() }\n",
    # arity differs from the method's
    ACCOUNT + "fn go(a) { return a.total(1) }\n",
    # a method that calls something is no leaf
    "graph Loud { n: 0\n fn total() { print(n)\n return n } }\nfn go(a) { return a.total() }\n",
    # a graph declared in a function: its fast form is no module global
    "fn make() {\n graph Local { n: 0\n fn total() { return n } }\n return Local.clone()\n}\n"
    "fn go(a) { return a.total() }\n",
    # a method reading a global variable (a caller's local of that name would capture it)
    "rate = 2\ngraph Rated { n: 1\n fn total() { return n * rate } }\nfn go(a) { return a.total() }\n",
    # an index read, a list literal, a Graphoid try/catch
    "graph Box { items: [1, 2]\n fn total() { return items[0] } }\nfn go(a) { return a.total() }\n",
    "graph Box { items: [1, 2]\n fn total() { items = [0] } }\nfn go(a) { return a.total() }\n",
    "graph Box { n: 1\n fn total() { try { n = n + 1 } catch as e { n = 0 } } }\nfn go(a) { return a.total() }\n",
])
def test_what_is_not_inlined(program: str) -> None:
    assert inlined_sites(program) == 0


def test_nothing_is_inlined_with_limits_on() -> None:
    source = ACCOUNT + "a = Account.clone()\na.deposit(1)\n"
    program = parse(source, "inline.gd")
    from graphoid.compiler import compile_program

    code = compile_program(program, "inline.gd", limits=True)
    names = set()
    stack = [code]
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(c for c in current.co_consts if hasattr(c, "co_names"))
    assert "_rt_Exception" not in names


# ---------------------------------------------------------------------------- templates


def template_of(body: str, params: str = "self, amount") -> Any:
    source = f"def fast({params}):\n    v = self._pview\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return leaf_template(py.parse(source).body[0])


def test_a_template_defers_view_writes_and_redirects_later_reads() -> None:
    template = template_of("""
        try:
            t1 = v.balance + amount
        except _rt_ViewArithMiss:
            t1 = _rt_add(_rt_self_get(self, 'balance'), amount)
        v.balance = t1
        t2 = v.balance * 2
        v.deposits = t2 + 1
        v.balance = t2
        return t2
    """)
    assert template is not None
    region = "\n".join(py.unparse(stmt) for stmt in template.region)
    assert "v.balance * 2" not in region and "t1 * 2" in region  # the read after the write
    assert [prop for prop, _ in template.commits] == ["balance", "deposits"]  # first-write order
    assert dict(template.commits)["balance"] == "t2"
    assert py.unparse(template.result) == "t2"


@pytest.mark.parametrize("body", [
    "t = _rt_add(v.balance, amount)\nreturn t\n",  # a call
    "t = v.items[0]\nreturn t\n",  # a subscript
    "t = self._props\nreturn t\n",  # the receiver
    "t = rate * v.balance\nreturn t\n",  # a user global
    "if amount:\n    return 1\nreturn 2\n",  # a return in a branch
    "if amount:\n    v.balance = 1\nreturn 2\n",  # a view write in a branch
    "try:\n    t = v.balance\nfinally:\n    t = 0\nreturn t\n",  # a finally
    "try:\n    t = v.balance\nexcept _rt_Exception:\n    t = 0\nreturn t\n",  # a handler of user errors
    "if amount:\n    t = 1\nreturn t\n",  # a local not assigned on every path
    "try:\n    t = v.balance\nexcept _rt_SelfMiss:\n    u = 1\nreturn u\n",  # a local only a handler assigns
    "return 1\nv.balance = 2\n",  # a return before the end
    "while amount:\n    pass\n",  # a loop
    "v = 1\nreturn v\n",  # the view rebound
])
def test_templates_refuse_what_they_do_not_understand(body: str) -> None:
    assert template_of(body) is None


def test_templates_refuse_optional_and_rest_parameters() -> None:
    assert template_of("return 1\n", "self, amount=None") is None
    assert template_of("return 1\n", "self, *rest") is None
    assert template_of("return v.balance\n", "self") is not None


# ---------------------------------------------------------------------------- same meaning


def test_the_benchmark_shape_in_a_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ACCOUNT + """
fn go(n) {
    a = Account.clone()
    i = 0
    while i < n {
        a.deposit(i % 10)
        i = i + 1
    }
    return [a.total(), a.deposits, a.balance]
}
go(1000)
"""
    assert both_ways(source, monkeypatch)[0] == [4500, 1000, 4500]


def test_the_inline_entry_holds_the_receiver_view_and_the_fast_form() -> None:
    interp = Interpreter(stdout=io.StringIO())
    # the first call fills the graph's direct-call table, the second the site's usual entry,
    # the third copies that into the inline entry
    interp.run(ACCOUNT + "a = Account.clone()\nfn step(x) { x.deposit(2) }\nstep(a)\nstep(a)\nstep(a)\n",
               filename="inline.gd")
    graph = interp.lookup("a")
    entries = {key: value for key, value in vars(interp.builtins["_rt_sites"]).items() if key.endswith("_i")}
    [(view, fast)] = entries.values()
    assert view is graph._pview and fast is graph._mdirect["deposit"][1]
    # runs in place: a fast form that would fail if called shows that the region ran
    sites = interp.builtins["_rt_sites"]
    key = next(iter(entries))

    def refuse(*args: Any) -> None:
        raise AssertionError("called")

    setattr(sites, key, (view, refuse))
    interp.run("step(a)", filename="inline.gd")
    assert graph.get_property("balance") == 8
    # a miss in the region calls the entry's function
    with pytest.raises(GraphoidError, match="AssertionError: called"):
        interp.run("a.balance = none\nstep(a)", filename="inline.gd")


def test_sites_at_the_top_level_and_in_methods(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ACCOUNT + """
graph Bank {
    count: 0
    fn pay(account, k) {
        account.deposit(k)
        count = count + 1
        return account.total()
    }
}
a = Account.clone()
b = Bank.clone()
out = []
for k in [1, 2, 3] {
    a.deposit(k)
    out = out + [b.pay(a, k), a.total()]
}
out + [b.count, a.deposits]
"""
    assert both_ways(source, monkeypatch)[0] == [2, 2, 6, 6, 12, 12, 3, 6]


@pytest.mark.parametrize("argument", ["none", '"s"', "[1]", "1.5", "a", "{}"])
def test_arguments_the_fast_region_cannot_add(argument: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A miss in the region runs the fast form from the start: its slow path gives the same
    value, or the same error at the method's line with the method in the stack."""
    source = ACCOUNT + f"""
fn go(a, x) {{
    a.deposit(1)
    a.deposit(x)
    return [a.balance, a.deposits]
}}
a = Account.clone()
r = go(a, 2)
r + go(a, {argument})
"""
    value, _, error = both_ways(source, monkeypatch)
    if error is not None:
        assert "inline.gd:6" in error and "deposit" in error


def test_properties_of_other_types_and_caught_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ACCOUNT + """
fn go(a, x) {
    try { a.deposit(x) } catch as e { return e.type() + ": " + e.message() }
    return [a.balance, a.total()]
}
a = Account.clone()
out = [go(a, 1), go(a, "s"), go(a, 2)]
a.balance = "text "
out = out + [go(a, "more"), go(a, 3), go(a, [1])]
a.balance = [1]
out + [go(a, [2]), go(a, 1), go(a, none)]
"""
    assert both_ways(source, monkeypatch)[0] == [
        [1, 1], ["1s", "1s"], ["1s2", "1s2"], ["text more", "text more"], ["text more3", "text more3"],
        ["text more3[1]", "text more3[1]"], [[1, 2], [1, 2]],
        "TypeError: Unsupported operation: list + num", "TypeError: Unsupported operation: list + none",
    ]


def test_an_uncaught_error_has_the_same_caret_and_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ACCOUNT + """
fn step(a, x) {
    a.deposit(x)
}
a = Account.clone()
step(a, 1)
step(a, 2)
step(a, none)
"""
    value, _, error = both_ways(source, monkeypatch)
    assert value[0] == "TypeError"
    assert "inline.gd:6" in error and "step" in error


def test_reads_after_writes_locals_branches_and_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    source = """
graph Acc {
    n: 1
    label: "x"
    fn mix(k) {
        n = n + k
        t = n * 2
        if k > 2 { t = t + 100 } else { t = t - 1 }
        n = t + n
        return n
    }
    fn bump(k) {
        k = k + 1
        n = n + k
        return k
    }
    fn same(k) { return n }
    fn tag(k) {
        label = label + k
        label = label + label
    }
}
fn go(a) {
    out = []
    for k in [1, 3, 0.5, -2] {
        out = out + [a.mix(k), a.bump(k), a.same(k), a.n]
    }
    a.tag("y")
    a.tag(1)
    return out + [a.label, a.n]
}
go(Acc.clone())
"""
    assert both_ways(source, monkeypatch)[0][-1] is not None


def test_an_unused_argument_is_still_evaluated(monkeypatch: pytest.MonkeyPatch) -> None:
    source = """
graph Probe { n: 1
    fn peek(x) { return n }
}
fn go(p, flag) {
    if flag { later = 1 }
    return p.peek(later)
}
p = Probe.clone()
[go(p, true), go(p, true), go(p, false)]
"""
    value, _, error = both_ways(source, monkeypatch)
    assert value == ("NameError", "Undefined variable 'later'") and "inline.gd:7:12" in error


def test_changes_after_the_site_was_filled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setters, freezing, method redefinition and receivers of other templates all leave
    the inline entry and take the general path."""
    source = ACCOUNT + """
graph Other {
    balance: 100
    fn deposit(amount) {
        print("other " + amount)
        balance = balance - amount
    }
}
fn step(x, k) { x.deposit(k) }
a = Account {}
b = Other {}
log = []
step(a, 1)
step(a, 2)
step(b, 3)
step(a, 4)
log = log + [a.balance, b.balance]
fn Account.deposit(amount) { balance = balance * amount }
step(a, 2)
step(a, 3)
log = log + [a.balance]
Account.set_balance = 1
log = log + [a.balance]
a.freeze()
try { step(a, 5) } catch as e { log = log + [e.type(), e.message()] }
log + [a.balance, a.deposits]
"""
    assert both_ways(source, monkeypatch)[0][:3] == [7, 97, 42]


def test_a_setter_defined_later_runs_on_inlined_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ACCOUNT + """
fn step(x, k) { x.deposit(k) }
a = Account.clone()
step(a, 1)
step(a, 1)
graph Audited from Account {
    set balance(v) {
        print("set " + v)
        balance = v * 10
    }
}
c = Audited.clone()
step(c, 2)
step(c, 3)
step(a, 1)
[a.balance, c.balance, c.deposits]
"""
    value, output, _ = both_ways(source, monkeypatch)
    assert value == [3, 230, 2] and output == "set 2\nset 23\n"


def test_the_call_graph_sees_every_inlined_call(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ACCOUNT + """
fn go(a) {
    i = 0
    while i < 5 {
        a.deposit(i)
        i = i + 1
    }
}
go(Account.clone())
reflect.call_graph().get_node("fn:deposit")["call_count"]
"""
    assert both_ways(source, monkeypatch)[0] == 5


def test_a_recording_interpreter_caches_no_site() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(ACCOUNT + "a = Account.clone()\nfn step(x) { x.deposit(2) }\nstep(a)\n", filename="inline.gd")
    assert interp.run("step(a)\nstep(a)\nn = reflect.call_graph()\na.balance", filename="inline.gd") == 6
    # counted from the input that asked for the call graph on: 2 + 1
    assert interp.run("step(a)\nreflect.call_graph().get_node(\"fn:deposit\")[\"call_count\"]",
                      filename="inline.gd") == 3
    assert isinstance(interp.builtins["_rt_sites"], classes.UncachedSites)


def test_the_inline_entry_is_copied_from_a_usual_entry_that_matched() -> None:
    """Receivers taking turns at one site never store the inline entry; a receiver called
    again does, and a method change empties it."""
    interp = Interpreter(stdout=io.StringIO())
    interp.run(ACCOUNT + "a = Account.clone()\nb = Account.clone()\nfn step(x) { x.deposit(1) }\n"
               "for k in [1, 2, 3] {\n step(a)\n step(b)\n}\n", filename="inline.gd")
    sites = interp.builtins["_rt_sites"]

    def inline_entries() -> list[Any]:
        return [value for key, value in vars(sites).items() if key.endswith("_i")]

    assert all(entry is classes.EMPTY_SITE for entry in inline_entries())
    interp.run("step(a)\nstep(a)", filename="inline.gd")
    graph = interp.lookup("a")
    assert [entry[0] for entry in inline_entries()] == [graph._pview]
    assert interp.run("step(a)\nstep(b)\n[a.balance, b.balance]", filename="inline.gd") == [6, 4]
    classes.methods_changed()
    assert all(entry is classes.EMPTY_SITE for entry in inline_entries())
