"""program: functions exported on one interpreter behave the same when materialised on another
that never ran the program (closures, recursion, modules, class-like graphs, on_message)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from graphoid.distributed.codec import CodecError, decode, encode
from graphoid.distributed.program import (
    FunctionExporter,
    FunctionRef,
    FunctionTable,
    ProgramBundle,
    ProgramError,
)
from graphoid.errors import GraphoidError
from graphoid.values.format import display, equals
from graphoid.graphs.graph import Graph
from graphoid.runtime.interpreter import Interpreter
from graphoid.values.types import GList, GMap, Symbol

ROOT = Path(__file__).resolve().parents[3]

FUNCTIONS = """
fn fact(n) {
    if n <= 1 { return 1 }
    return n * fact(n - 1)
}
fn make_adder(k) { return x => x + k }
add5 = make_adder(5)
fn outer(a) {
    fn inner(b) { return a * b + fact(3) }
    return inner
}
times7 = outer(7)
scale = 3
fn scaled(x) { return x * scale }
fn evens(xs) { return xs.filter(x => x % 2 == 0).map(x => scaled(x)) }
compose = (f, g) => (x => f(g(x)))
square_plus_5 = compose(add5, x => x * x)
fn classify(v) {
    match v {
        [:pair, a, b] => { return a + b }
        :none => { return "nothing" }
        _ => { return "other" }
    }
}
fn with_default(x, y = x * 2) { return [x, y] }
fn counter() {
    count = 0
    fn bump() {
        count = count + 1
        return count
    }
    return bump
}
bump = counter()
fn fails(x) {
    return x + fact("three")
}
"""

CALLS = [
    ("fact", (10,)), ("add5", (1,)), ("times7", (6,)), ("scaled", (4,)), ("evens", (GList([1, 2, 3, 4]),)),
    ("square_plus_5", (4,)), ("classify", (GList([Symbol("pair"), 2, 3]),)), ("classify", (Symbol("none"),)),
    ("classify", (1.5,)), ("with_default", (4,)), ("with_default", (4, 1)), ("bump", ()),
]


def driver_with(source: str, filename: str = "prog.gd") -> Interpreter:
    interp = Interpreter(stdout=io.StringIO())
    interp.run(source, filename)
    return interp


def ship(driver: Interpreter, value):
    """encode on the driver, decode on a fresh worker interpreter that loaded the bundle."""
    exporter = FunctionExporter(driver)
    worker = Interpreter(stdout=io.StringIO())
    table = FunctionTable(worker)
    table.load(exporter.bundle, exporter.bundle.hash)
    return decode(encode(value, functions=exporter), functions=table), worker


@pytest.mark.parametrize("name, args", CALLS, ids=[f"{name}{len(args)}-{i}" for i, (name, args) in enumerate(CALLS)])
def test_materialised_functions_behave_like_the_originals(name, args):
    driver = driver_with(FUNCTIONS)
    original = driver.lookup(name)
    remote, _ = ship(driver, original)
    assert remote is not original and remote.__code__ is not original.__code__
    assert display(remote) == display(original)
    ours, theirs = original(*args), remote(*args)
    assert equals(ours, theirs) and display(ours) == display(theirs)


def test_captured_state_is_a_copy_taken_when_sent():
    driver = driver_with(FUNCTIONS)
    bump = driver.lookup("bump")
    bump()
    remote, _ = ship(driver, bump)
    assert remote() == 2 and remote() == 3
    assert bump() == 2  # the driver's closure is not shared with the worker


def test_functions_sent_together_share_their_module_namespace():
    driver = driver_with(FUNCTIONS)
    fact, scaled = driver.lookup("fact"), driver.lookup("scaled")
    (remote_fact, remote_scaled, again), _ = ship(driver, GList([fact, scaled, fact]))
    assert again is remote_fact
    assert remote_scaled.__globals__ is remote_fact.__globals__
    assert remote_scaled.__globals__["fact"] is remote_fact


def test_errors_on_the_worker_point_at_the_same_source_line():
    driver = driver_with(FUNCTIONS)
    fails = driver.lookup("fails")
    remote, worker = ship(driver, fails)
    with pytest.raises(GraphoidError) as local:
        driver.call_value(fails, (1,), {})
    with pytest.raises(GraphoidError) as there:
        worker.call_value(remote, (1,), {})
    assert (there.value.kind, there.value.message) == (local.value.kind, local.value.message)
    assert there.value.span == local.value.span and there.value.span.file == "prog.gd"
    assert worker.format_error(there.value) == driver.format_error(local.value)


def test_materialise_a_ref_directly():
    driver = driver_with(FUNCTIONS)
    ref = FunctionExporter(driver).export(driver.lookup("square_plus_5"))
    assert isinstance(ref, FunctionRef) and ref.captures is not None
    table = FunctionTable(Interpreter())
    table.load(ProgramBundle.from_interpreter(driver))
    assert table.materialise(ref)(3) == 14


def test_the_worker_never_runs_top_level_statements():
    driver = driver_with('print("side effect")\nfn f() { return 1 }')
    remote, worker = ship(driver, driver.lookup("f"))
    assert remote() == 1
    assert worker._write.__self__.getvalue() == ""  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- resolution errors


def test_unknown_bundle_and_bundle_mismatch_are_clear_errors():
    driver = driver_with(FUNCTIONS)
    exporter = FunctionExporter(driver)
    table = FunctionTable(Interpreter())
    with pytest.raises(ProgramError) as info:
        table.materialise(exporter.export(driver.lookup("fact")))
    assert info.value.kind == "FunctionNotFound" and "unknown program bundle" in info.value.message
    with pytest.raises(ProgramError) as info:
        table.load(exporter.bundle, expected_hash="0" * 32)
    assert info.value.kind == "BundleMismatch" and "hash mismatch" in info.value.message


def test_a_ref_to_code_not_in_the_bundle_is_function_not_found():
    driver = driver_with(FUNCTIONS)
    exporter = FunctionExporter(driver)
    ref = exporter.export(driver.lookup("fact"))
    ref.firstlineno += 1
    table = FunctionTable(Interpreter())
    table.load(exporter.bundle)
    with pytest.raises(ProgramError, match="does not match"):
        table.materialise(ref)


def test_a_stale_function_cannot_be_sent():
    driver = Interpreter()
    driver.run("fn f() { return 1 }", "same.gd")
    old = driver.lookup("f")
    driver.run("fn g() { return 2 }", "same.gd")  # the same file name compiled again
    with pytest.raises(CodecError) as info:
        encode(old, functions=FunctionExporter(driver))
    assert info.value.kind == "SerializationError" and "compiled again" in info.value.message


# ----------------------------------------------------------------------------- modules and stdlib


def test_functions_using_imported_modules(tmp_path):
    (tmp_path / "lib.gd").write_text("base = 10\nfn double(x) { return x * 2 }\nfn add_base(x) { return x + base }\n")
    main = tmp_path / "main.gd"
    main.write_text('import "./lib" as lib\nimport "approx"\n'
                    "fn use(x) { return lib.add_base(lib.double(x)) }\n"
                    "fn close(a, b) { return approx.equal(a, b, 0.1) }\n")
    driver = Interpreter()
    driver.run_file(main)
    bundle = ProgramBundle.from_interpreter(driver)
    assert [lib.name for lib in bundle.stdlib] == ["approx.gd"]
    assert {Path(s.filename).name for s in bundle.sources} == {"main.gd", "lib.gd"}
    (use, close), _ = ship(driver, GList([driver.lookup("use"), driver.lookup("close")]))
    assert use(4) == 18
    assert close(1.0, 1.05) is True and close(1.0, 2.0) is False


# ----------------------------------------------------------------------------- class-like graphs


def pagerank_driver() -> Interpreter:
    source = (ROOT / "examples" / "pagerank.gd").read_text()
    driver = Interpreter(stdout=io.StringIO())
    driver.run(source, "examples/pagerank.gd")
    return driver


def test_on_message_metadata_is_rebuilt():
    driver = pagerank_driver()
    template = driver.lookup("PageRankNode")
    remote, _ = ship(driver, template)
    original = template.behavior.methods["on_message"].default
    rebuilt = remote.behavior.methods["on_message"].default
    assert rebuilt._gd_folds == original._gd_folds == {Symbol("contribution"): "incoming"}
    assert set(rebuilt._gd_arms) == set(original._gd_arms)
    assert rebuilt._gd_stateless == original._gd_stateless
    for symbol, arm in rebuilt._gd_arms.items():
        assert arm.__code__.co_firstlineno == original._gd_arms[symbol].__code__.co_firstlineno


def test_route_fills_are_rebuilt():
    driver = driver_with("""
graph Pulse {
    count = 0
    fn on_message(msg) {
        match msg {
            :pulse => { self.graph.send([:count, 1], from: self.id, via: "*") }
            :ping => { self.graph.send([:seen, :yes], from: self.id, via: "*") }
            :echo => { self.graph.send([:count, count], from: self.id, via: "*") }
            [:count, x] => { count = count + x }
        }
    }
}
""")
    template = driver.lookup("Pulse")
    remote, _ = ship(driver, template)
    original = template.behavior.methods["on_message"].default
    rebuilt = remote.behavior.methods["on_message"].default
    expected = {Symbol("pulse"): (Symbol("count"), 1), Symbol("ping"): (Symbol("seen"), Symbol("yes"))}
    assert rebuilt._gd_route_fills == original._gd_route_fills == expected


@pytest.mark.parametrize("fill", [[1, 2], [Symbol("count")], "count", [Symbol("a"), 1, 2]])
def test_a_malformed_route_fill_is_refused(fill):
    from graphoid.distributed.codec import _route_fill

    with pytest.raises(CodecError):
        _route_fill(fill)


def test_a_pagerank_instance_handles_messages_on_the_worker_like_locally():
    driver = pagerank_driver()
    local = driver.lookup("PageRankNode").instantiate()
    remote, _ = ship(driver, local)
    assert remote.type_of() == "PageRankNode"
    messages = [
        GList([Symbol("init"), GMap({"rank": 0.25, "damping": 0.85, "n": 4})]),
        GList([Symbol("contribution"), 0.125]),
        GList([Symbol("contribution"), 0.5]),
        Symbol("update_rank"),
    ]
    for message in messages:
        ours = local.call("on_message", (message,))
        theirs = remote.call("on_message", (message,))
        assert equals(ours, theirs)
        assert {k: v for k, v in local._props.items()} == {k: v for k, v in remote._props.items()}


def test_pagerank_over_a_shipped_graph_gives_bit_identical_ranks():
    driver = pagerank_driver()
    driver.run("""
        web2 = graph { type: :directed }
        for link in links { web2.add_edge(link[0], link[1], "link") }
        for id in web2.nodes() { web2.add_node(id, {}) }
        web2.set_behavior(PageRankNode)
        fn ranks(g) { return await g.request(:get_rank, where: n => true) }
    """, "extra.gd")
    web2, pagerank, ranks = driver.lookup("web2"), driver.lookup("pagerank"), driver.lookup("ranks")
    (remote_web, remote_pagerank, remote_ranks), worker = ship(driver, GList([web2, pagerank, ranks]))
    assert isinstance(remote_web, Graph) and remote_web.behavior.handler_template is not None
    driver.call_value(pagerank, (web2, 5, 0.85), {})
    worker.call_value(remote_pagerank, (remote_web, 5, 0.85), {})
    ours = driver.call_value(ranks, (web2,), {})
    theirs = worker.call_value(remote_ranks, (remote_web,), {})
    assert len(ours) == 6 and display(ours) == display(theirs)
