"""Value semantics of lists and maps under copy-on-write (graphoid/runtime/cow.py)."""

from __future__ import annotations

import textwrap
import time

import pytest

from test_compiler_support import run, run_error

from graphoid.runtime import cow


def out(source: str) -> list[str]:
    return run(textwrap.dedent(source))


def test_calibrated_thresholds_separate_unique_from_shared():
    limits = cow.thresholds()
    assert limits["var"] >= 2 and limits["elem"] >= 2
    measured = cow.calibrate()
    assert measured == limits


@pytest.mark.parametrize("wrap", ["top", "function", "closure"])
def test_alias_then_bang(wrap):
    body = """
    a = [1]
    b = a
    b.append!(2)
    a.append!(3)
    print(a, b)
    """
    if wrap == "function":
        body = "fn main() {" + body + "}\nmain()"
    elif wrap == "closure":
        body = "fn main() {" + body + "  f = () => [a, b]\n  print(f())\n}\nmain()"
    lines = out(body)
    assert lines[0] == "[1, 3] [1, 2]"
    if wrap == "closure":
        assert lines[1] == "[[1, 3], [1, 2]]"


def test_unique_list_is_mutated_in_place_aliases_are_not():
    source = """
    a = [1]
    a.append!(2)
    b = a
    a.append!(3)
    b.append!(4)
    print(a, b)
    """
    assert out(source) == ["[1, 2, 3] [1, 2, 4]"]


def test_passing_to_a_function_that_appends():
    source = """
    fn add_one(xs) {
      xs.append!(1)
      return xs
    }
    a = [0]
    b = add_one(a)
    print(a, b)
    fn local_caller() {
      mine = [5]
      other = add_one(mine)
      return [mine, other]
    }
    print(local_caller())
    print(add_one([7]))
    """
    assert out(source) == ["[0] [0, 1]", "[[5], [5, 1]]", "[7, 1]"]


def test_storing_in_another_list_or_map():
    source = """
    a = [1]
    holder = [a]
    box = {"k": a}
    a.append!(2)
    print(holder, box, a)
    inner = holder[0]
    inner.append!(3)
    print(holder, inner)
    """
    assert out(source) == ['[[1]] {"k": [1]} [1, 2]', "[[1]] [1, 3]"]


def test_closure_capturing_an_alias():
    source = """
    a = [1]
    b = a
    f = () => b
    a.append!(2)
    print(f(), a)
    """
    assert out(source) == ["[1] [1, 2]"]


def test_returned_global_is_not_shared():
    source = """
    xs = [1]
    fn get() { return xs }
    y = get()
    y.append!(2)
    print(xs, y)
    """
    assert out(source) == ["[1] [1, 2]"]


def test_index_assignment_on_aliases():
    source = """
    a = [1, 2]
    b = a
    b[0] = 9
    m = {"k": 1}
    n = m
    n["k"] = 2
    n.j = 3
    print(a, b, m, n)
    """
    assert out(source) == ['[1, 2] [9, 2] {"k": 1} {"k": 2, "j": 3}']


def test_nested_index_assignment_writes_back_without_touching_aliases():
    source = """
    grid = [[1, 2], [3, 4]]
    copy = grid
    row = grid[0]
    grid[0][1] = 20
    print(grid, copy, row)
    conf = {"db": {"port": 1}}
    saved = conf
    conf.db.port = 2
    conf["db"]["host"] = "h"
    print(conf, saved)
    """
    assert out(source) == [
        "[[1, 20], [3, 4]] [[1, 2], [3, 4]] [1, 2]",
        '{"db": {"port": 2, "host": h}} {"db": {"port": 1}}',
    ]


def test_bang_on_elements_and_parameters():
    source = """
    lists = [[1], [2]]
    before = lists
    lists[0].append!(5)
    print(lists, before)
    fn grow(xs) {
      xs[0] = 100
      xs.append!(7)
      return xs
    }
    orig = [1]
    print(grow(orig), orig)
    """
    assert out(source) == ["[[1, 5], [2]] [[1], [2]]", "[100, 7] [1]"]


def test_iterating_while_appending_sees_a_snapshot():
    source = """
    xs = [1, 2]
    for x in xs { xs.append!(x * 10) }
    print(xs)
    """
    assert out(source) == ["[1, 2, 10, 20]"]


def test_pop_value_and_argument_aliasing():
    source = """
    xs = [1, 2, 3]
    ys = xs
    last = xs.pop!()
    print(last, xs, ys)
    zs = [1]
    zs.append!(zs)
    print(zs)
    """
    assert out(source) == ["3 [1, 2] [1, 2, 3]", "[1, [1]]"]


def test_graphs_are_shared_references():
    source = """
    g = graph {}
    h = g
    h.label = "x"
    g.add_node("a", 1)
    print(g.label, h.label, h.node_count())
    """
    assert out(source) == ["x x 1"]


def test_graph_property_lists_keep_value_semantics():
    source = """
    graph Bag {
      items: []
      fn add(x) { items.append!(x) }
    }
    b = Bag.clone()
    b.add(1)
    snapshot = b.items
    b.add(2)
    print(snapshot, b.items)
    """
    assert out(source) == ["[1] [1, 2]"]


def test_string_bang_methods_rebind():
    source = """
    s = "ab"
    t = s
    t.upper!()
    print(s, t)
    """
    assert out(source) == ["ab AB"]


def test_bang_needs_a_variable_receiver():
    e = run_error("[1].append!(2)")
    assert e.kind == "RuntimeError" and "append!" in e.message
    e = run_error("fn f() { return [1] }\nf().append!(2)")
    assert e.kind == "RuntimeError"


def _timed(source: str) -> float:
    start = time.perf_counter()
    run(textwrap.dedent(source))
    return time.perf_counter() - start


@pytest.mark.parametrize("where", ["top", "function", "method"])
def test_appending_in_a_loop_is_linear(where):
    n = 100_000
    loops = {
        "top": f"xs = []\ni = 0\nwhile i < {n} {{\n  xs.append!(i)\n  i = i + 1\n}}\nprint(xs.length())",
        "function": f"fn f() {{\n  xs = []\n  i = 0\n  while i < {n} {{\n    xs.append!(i)\n    i = i + 1\n  }}\n"
                    f"  return xs.length()\n}}\nprint(f())",
        "method": f"graph B {{\n  xs: []\n  fn fill(n) {{\n    i = 0\n    while i < n {{\n      xs.append!(i)\n"
                  f"      i = i + 1\n    }}\n  }}\n}}\nb = B.clone()\nb.fill({n})\nprint(b.xs.length())",
    }
    source = loops[where]
    assert run(source) == [str(n)]
    # Quadratic copying would take minutes here (n^2/2 = 5e9 element copies).
    assert _timed(source) < 5.0


def test_bad_bang_receiver_fails_at_run_time_with_a_span():
    e = run_error('print("before")\nfn f() { return [1] }\nf().append!(2)')
    assert e.span is not None and e.span.line == 3
