"""Call-site caches of class-like graph methods (classes.call_sites, CodeGen.graph_method_call)
and the fast bodies of leaf methods (CodeGen.view_body, classes.PropertyView): every case off
the fast path (other receivers, overrides, methods added or removed later, setters, frozen
instances, constraint rollbacks, private and guarded methods, errors, limits) keeps its meaning."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.errors import GraphoidError
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


def run(source: str, **options: object) -> object:
    return Interpreter(stdout=io.StringIO(), **options).run(source, filename="sites.gd")


def error_of(source: str, **options: object) -> GraphoidError:
    with pytest.raises(GraphoidError) as caught:
        run(source, **options)
    return caught.value


def test_repeated_calls_on_one_receiver() -> None:
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
    assert run(source) == [4500, 1000, 4500]


def test_one_site_with_receivers_of_other_templates_and_instances() -> None:
    source = ACCOUNT + """
graph Doubler {
    balance: 0
    deposits: 0
    fn deposit(amount) { balance = balance + 2 * amount }
}
items = [Account.clone(), Doubler.clone(), Account.clone(), [1, 2]]
out = []
for round in [1, 2, 3] {
    for item in items {
        if item.type() == "list" { out = out + [item.length()] } else { item.deposit(round) }
    }
}
[items[0].balance, items[0].deposits, items[1].balance, items[1].deposits, items[2].balance, out]
"""
    assert run(source) == [6, 3, 12, 0, 6, [2, 2, 2]]


def test_an_override_on_the_instance_after_the_site_was_cached() -> None:
    source = ACCOUNT + """
a = Account.clone()
b = Account.clone()
fn step(x) { x.deposit(1) }
step(a)
step(a)
fn a.deposit(amount) { balance = balance + 100 * amount }
step(a)
step(b)
[a.balance, a.deposits, b.balance]
"""
    assert run(source) == [102, 2, 1]


def test_methods_removed_and_added_at_run_time() -> None:
    source = ACCOUNT + """
a = Account.clone()
fn step(x) { return x.deposit(1) }
step(a)
step(a)
a.remove_method("deposit")
step(a)
"""
    error = error_of(source)
    assert error.kind == "RuntimeError" and "Unknown method 'deposit'" in error.message
    source = ACCOUNT + """
a = Account.clone()
fn step(x) { return x.deposit(1) }
step(a)
fn a.deposit(amount) { balance = balance - amount }
step(a)
step(a)
a.balance
"""
    assert run(source) == -1


def test_a_setter_added_later_runs_on_the_next_write() -> None:
    source = ACCOUNT + """
a = Account.clone()
fn step(x) { x.deposit(5) }
step(a)
step(a)
graph Audited from Account {
    log: []
    set balance(v) { log = log + [v]; balance = v }
}
b = Audited.clone()
step(b)
step(b)
step(a)
[a.balance, b.balance, b.log]
"""
    assert run(source) == [15, 10, [5, 10]]


def test_a_frozen_instance_rejects_the_write_and_keeps_its_state() -> None:
    source = ACCOUNT + """
a = Account.clone()
fn step(x) { x.deposit(5) }
step(a)
step(a)
a.freeze()
result = "not raised"
try { step(a) } catch as e { result = e.message() }
[result, a.balance, a.deposits]
"""
    assert run(source) == ["Cannot modify a frozen graph", 10, 2]


def test_a_constraint_rollback_replaces_the_properties_the_fast_body_writes() -> None:
    source = """
graph Counter {
    count: 0
    fn bump() { count = count + 1 }
}
c = Counter.clone()
c.bump()
c.bump()
c.add_method_constraint((before, after) => after.node_count() < 1)
failed = false
try { c.add_node("x", 1) } catch as e { failed = true }
c.bump()
c.bump()
[failed, c.count, c.node_count()]
"""
    assert run(source) == [True, 4, 0]


def test_private_and_guarded_methods_keep_their_checks_in_a_loop() -> None:
    source = """
graph Vault {
    secret: 42
    priv fn reveal() { return secret }
    fn hint() { return _reveal() - 40 }
    fn size() when secret > 10 { return "big" }
    fn size() { return "small" }
}
v = Vault.clone()
out = []
for i in [1, 2, 3] { out = out + [v.hint(), v.size()] }
v.secret = 1
out = out + [v.size()]
out
"""
    assert run(source) == [2, "big", 2, "big", 2, "big", "small"]
    error = error_of("""
graph Vault {
    secret: 42
    priv fn reveal() { return secret }
}
v = Vault.clone()
for i in [1, 2, 3] { v._reveal() }
""")
    assert "private method" in error.message


def test_recursion_through_a_direct_site() -> None:
    source = """
graph Walker {
    steps: 0
    fn down(n) {
        if n == 0 { return steps }
        steps = steps + 1
        return down(n - 1)
    }
}
w = Walker.clone()
[w.down(50), w.down(10)]
"""
    assert run(source) == [50, 60]


def test_an_error_in_a_fast_body_points_at_its_line() -> None:
    source = ACCOUNT + """
a = Account.clone()
fn step(x, amount) { x.deposit(amount) }
step(a, 1)
step(a, 2)
step(a, [3])
"""
    error = error_of(source)
    assert error.kind == "TypeError"
    assert error.span is not None and error.span.line == 6
    assert run(ACCOUNT + "a = Account.clone()\na.deposit(1)\ntry { a.deposit(none) } catch as e { 0 }\n"
               "[a.balance, a.deposits]") == [1, 1]


def test_arity_mistakes_at_a_cached_site() -> None:
    source = ACCOUNT + """
a = Account.clone()
fn step(x) { x.deposit(1) }
step(a)
step(a)
a.deposit(1, 2)
"""
    error = error_of(source)
    assert error.kind == "TypeError" and "deposit" in error.message


@pytest.mark.timeout(120)
def test_the_step_limit_stops_a_loop_of_cached_calls() -> None:
    source = ACCOUNT + """
graph Spinner {
    turns: 0
    fn spin() {
        while true { turns = turns + 1 }
    }
}
a = Account.clone()
i = 0
while true {
    a.deposit(1)
    i = i + 1
}
"""
    error = error_of(source, max_steps=20_000)
    assert "limit" in error.message.lower()
    error = error_of(ACCOUNT.replace("fn total()", "fn spin() { while true { balance = balance + 1 } }\n    fn total()")
                     + "a = Account.clone()\na.spin()", max_steps=20_000)
    assert "limit" in error.message.lower()


def test_property_names_the_view_does_not_take() -> None:
    source = """
graph Odd {
    __class__: 1
    __dict__: 2
    fn bump() {
        __class__ = __class__ + 10
        __dict__ = __dict__ + 20
        return [__class__, __dict__]
    }
}
o = Odd.clone()
o.bump()
o.bump()
"""
    assert run(source) == [21, 42]


def test_every_property_dict_assignment_forgets_the_view() -> None:
    """`_pview` is None or the view of the current `_props` (classes.PropertyView): each
    assignment to `_props` in the package must be followed by resetting `_pview`."""
    root = Path(__file__).resolve().parents[2] / "graphoid"
    assignment = re.compile(r"^(\s*)([\w\[\]\.]+)\._props(?:: [^=]+)? = ")
    missing = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            found = assignment.match(line)
            if found is None:
                continue
            owner = found.group(2)
            rest = lines[number + 1:number + 8]  # a multi-line value, then the reset
            if not any(f"{owner}._pview" in later for later in rest):
                missing.append(f"{path.relative_to(root)}:{number + 1}")
    assert missing == []


# ------------------------------------------------------------------ sites keyed by the receiver's view


def test_a_fresh_clone_is_verified_at_its_first_cached_call() -> None:
    source = ACCOUNT + """
fn go() {
    out = []
    for k in [1, 2, 3] {
        a = Account.clone()
        a.deposit(k)
        a.deposit(k)
        out = out + [a.balance, a.deposits]
    }
    return out
}
go()
"""
    assert run(source) == [2, 2, 4, 2, 6, 2]


def test_the_fast_form_falls_back_for_properties_that_are_not_ints() -> None:
    source = """
graph Acc {
    balance: 0
    fn add(amount) { balance = balance + amount }
}
fn go(a, items) {
    for item in items { a.add(item) }
    return a.balance
}
[go(Acc.clone(), [1, 2.5, 3]), go(Acc { balance: "x" }, [1, "y", 2.0]), go(Acc { balance: [] }, [[1], [2]])]
"""
    assert run(source) == [6.5, "x1y2", [1, 2]]  # 2.0 prints as 2
    source = """
graph Acc {
    balance: 0
    fn add(amount) { balance = balance + amount }
}
a = Acc.clone()
fn go(x, v) { x.add(v) }
go(a, 1)
go(a, 1)
go(a, {"k": 1})
"""
    error = error_of(source)
    assert error.kind == "TypeError" and error.span is not None and error.span.line == 4


def test_a_method_replaced_on_the_template_after_the_fast_form_was_cached() -> None:
    source = ACCOUNT + """
a = Account { balance: 0 }
fn step(x) { x.deposit(5) }
step(a)
step(a)
fn Account.deposit(amount) { balance = balance - amount }
step(a)
step(a)
[a.balance, a.deposits]
"""
    assert run(source) == [0, 2]


def test_an_instance_frozen_before_any_call_is_rejected_at_every_call() -> None:
    source = ACCOUNT + """
a = Account.clone()
a.freeze()
fn step(x) {
    try { x.deposit(5) } catch as e { return e.message() }
    return "not raised"
}
[step(a), step(a), step(a), a.balance]
"""
    out = run(source)
    assert out[3] == 0 and out[0] == out[1] == out[2] and "frozen" in out[0].lower()


def test_a_rule_added_after_caching_makes_the_site_verify_again() -> None:
    source = ACCOUNT + """
a = Account.clone()
fn step(x) { x.deposit(5) }
step(a)
step(a)
a.add_rule(:no_cycles)
step(a)
a.freeze()
result = "not raised"
try { step(a) } catch as e { result = e.message() }
[a.balance, a.deposits, result]
"""
    balance, deposits, result = run(source)
    assert (balance, deposits) == (15, 3) and "frozen" in result.lower()


def test_a_fill_for_a_table_read_before_a_method_change_is_dropped() -> None:
    """classes.fill_site: the target came from the graph's table; if methods changed since,
    nothing is cached (another thread may have changed them between the read and the fill)."""
    interp = Interpreter(stdout=io.StringIO())
    interp.run(ACCOUNT + "a = Account.clone()\na.deposit(1)\n", filename="sites.gd")
    graph = interp.lookup("a")
    sites = classes.call_sites()
    fn, target = graph._mdirect["deposit"]
    assert target is fn._gd_fast
    classes.fill_site(sites, "c_test", graph, fn, target)
    assert sites.c_test == (graph._pview, target)
    classes.methods_changed()
    assert sites.c_test is classes.EMPTY_SITE
    classes.fill_site(sites, "c_test", graph, fn, target)
    assert sites.c_test is classes.EMPTY_SITE


def test_a_frozen_graph_caches_its_plain_method() -> None:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(ACCOUNT + "a = Account.clone()\na.total()\na.freeze()\na.total()\n", filename="sites.gd")
    graph = interp.lookup("a")
    sites = classes.call_sites()
    fn, target = graph._mdirect["total"]
    classes.fill_site(sites, "c_test", graph, fn, target)
    assert sites.c_test == (graph._pview, fn) and not graph._pw.ok


def test_one_site_over_many_receivers_of_one_template() -> None:
    """Each call misses the site's cache (another receiver) and stores its own receiver inline."""
    source = ACCOUNT + """
fn go(n) {
    accounts = [Account.clone(), Account.clone(), Account { balance: 100 }]
    accounts[2].freeze()
    i = 0
    refused = 0
    while i < n {
        for a in accounts {
            try { a.deposit(i) } catch as e { refused = refused + 1 }
        }
        i = i + 1
    }
    return [accounts[0].balance, accounts[1].deposits, accounts[2].balance, refused]
}
go(50)
"""
    assert run(source) == [1225, 50, 100, 50]


def test_property_arithmetic_in_a_fast_body_keeps_every_type_and_error() -> None:
    """CodeGen.view_arith: one `try` around an arithmetic tree that reads properties off the
    view; other types and errors take the usual reads and the Graphoid slow form."""
    source = """
graph Counter {
    other: 0
    label: "n"
    fn touch() { other = other + 1 }
    fn mixed(k) { return other * 2 + k - other }
    fn tag(k) { label = label + k + other }
}
c = Counter.clone()
fn go(x) {
    x.touch()
    x.touch()
    return [x.mixed(10), x.mixed(2.5), x.tag(1), x.tag(0.5), x.label]
}
fn bad(x, k) {
    try { return x.mixed(k) } catch as e { return e.type() + ": " + e.message() }
}
out = [go(c), go(c), [bad(c, "s"), bad(c, [1]), bad(c, none), bad(c, 3)]]
c.other = "str"
out = out + [[bad(c, 1), bad(c, "s")]]
c.other = [1]
out + [[bad(c, 1), bad(c, [2])]]
"""
    assert dump(parse(source, "sites.gd")).count("except _rt_ViewArithMiss") == 2 * 3  # fast body and fast form
    assert run(source) == [
        [12, 4.5, "n12", "n120.52", "n120.52"],
        [14, 6.5, "n120.5214", "n120.52140.54", "n120.52140.54"],
        ["TypeError: Unsupported operation: string - num", "TypeError: Unsupported operation: num + list",
         "TypeError: Unsupported operation: num + none", 7],
        ["TypeError: Unsupported operation: string - string"] * 2,
        ["TypeError: Unsupported operation: list * num"] * 2,
    ]


def test_a_method_change_empties_entries_stored_inline() -> None:
    """A site stores an entry inline for a receiver that already has a view and a write proof
    (made here outside any site); the next method change must still forget it."""
    interp = Interpreter(stdout=io.StringIO())
    interp.run(ACCOUNT + "a = Account { balance: 0 }\nfn step(x) { x.deposit(5) }\n", filename="sites.gd")
    graph = interp.lookup("a")
    classes.methods_changed()
    graph.set_property("balance", 1)
    graph.call("total", ())
    interp.run("step(a)\nstep(a)\n", filename="sites.gd")
    interp.run("fn Account.deposit(amount) { balance = balance - amount }\nstep(a)\n", filename="sites.gd")
    assert graph.get_property("balance") == 6
