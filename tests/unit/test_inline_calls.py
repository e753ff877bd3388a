"""Call-site fast paths keep the general paths' meaning: builtin methods inlined under a type
guard (compiler/inline_methods.py), in-place index stores on maps and lists (CodeGen.
inline_store_index), and their fallbacks for every value the guard turns away."""

import io

import pytest

from graphoid import Interpreter
from graphoid.compiler import dump
from graphoid.errors import GraphoidError
from graphoid.syntax.parser import parse
from graphoid.values.methods.registry import call_method
from graphoid.values.types import GList


def run(source: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run(source, filename="inline.gd")
    return out.getvalue()


def error_of(source: str) -> GraphoidError:
    with pytest.raises(GraphoidError) as caught:
        run(source)
    return caught.value


def compiled(source: str) -> str:
    return dump(parse(source, "inline.gd"))


# ------------------------------------------------------------------ inlined builtin methods


def test_map_methods_are_inlined_under_a_type_guard() -> None:
    code = compiled('m = {"a": 1}\nk = "a"\nx = m.get(k, 0)\ny = m.keys()\n')
    assert "m.get(k, 0) if m.__class__ is _rt_GMap and k.__class__ is _rt_str" in code
    assert "_rt_GList(m) if m.__class__ is _rt_GMap" in code


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('m.get("a")', "1"),
        ('m.get("zz")', "none"),
        ('m.get("zz", 7)', "7"),
        ("m.get(k)", "1"),
        ("m.get(1, 5)", "5"),  # a non-string key is never present: the default
        ("m.get(n, 5)", "5"),
        ("m.get(xs, 5)", "5"),  # an unhashable key too, through the general method
        ('m.has_key("b")', "true"),
        ("m.has_key(n)", "false"),
        ("m.has(k)", "true"),
        ("m.keys()", "[a, b]"),
        ("m.values()", "[1, 2]"),
        ("xs.get(0)", "10"),  # `get` on a list is the list's method
        ("xs.contains(10)", "true"),
        ('s.contains("ell")', "true"),
        ("s.contains(/l+/)", "true"),
        ('s.starts_with("he")', "true"),
        ('s.ends_with("lo")', "true"),
        ('s.index_of("l")', "2"),
        ('s.index_of("z")', "-1"),
        ("s.upper()", "HELLO"),
        ('" a b ".trim()', "a b"),
        ("s.chars()", "[h, e, l, l, o]"),
        ('"a,b".split(",")', "[a, b]"),
        ('"a b  c".split()', "[a, b, c]"),
        ('"ab".split("")', "[, a, b, ]"),
        ("s.split(empty)", "[, h, e, l, l, o, ]"),  # "" at run time: the general method
        ('"a1b".split(/[0-9]/)', "[a, b]"),
        ('s.replace("l", "L")', "heLLo"),
        ("s.replace(empty, k)", "ahaealalaoa"),
        ('s.replace(/l+/, "[$0]")', "he[ll]o"),  # a regex: the general method
    ],
)
def test_inlined_methods_match_the_method_tables(expression: str, expected: str) -> None:
    source = f'm = {{"a": 1, "b": 2}}\nk = "a"\nn = 1\nxs = [10, 20]\ns = "hello"\nempty = ""\nprint({expression})\n'
    assert run(source) == expected + "\n"


@pytest.mark.parametrize(
    ("expression", "receiver", "args"),
    [
        ('s.replace("l", n)', "hello", ("l", 1)),
        ("s.replace(n, k)", "hello", (1, "a")),
        ("xs.replace(10, 20)", GList([10, 20]), (10, 20)),
    ],
)
def test_calls_the_guard_turns_away_fail_as_the_method_table_does(expression: str, receiver: object,
                                                                    args: tuple) -> None:
    with pytest.raises(GraphoidError) as direct:
        call_method(receiver, expression.split(".")[1].split("(")[0], args)
    error = error_of(f'k = "a"\nn = 1\nxs = [10, 20]\ns = "hello"\nprint({expression})\n')
    assert (error.kind, error.message) == (direct.value.kind, direct.value.message)


def test_a_graph_method_named_like_a_builtin_is_the_graphs() -> None:
    source = 'graph G {\n fn get(k) { return "mine " + k }\n fn keys() { return 3 }\n}\ng = G.clone()\n'
    assert run(source + 'print(g.get("x"), g.keys())\n') == "mine x 3\n"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ('"a".upper(1)', "Wrong arguments for string method 'upper': got 1 argument; expected ()"),
        ("{}.get()", "Wrong arguments for map method 'get': got 0 arguments; expected (key, default)"),
        ('5.upper()', "Unknown method 'upper' on num"),
    ],
)
def test_wrong_calls_keep_their_errors(call: str, message: str) -> None:
    assert message in str(error_of(f"x = {call}\n"))


# ------------------------------------------------------------------ in-place index stores


def test_index_store_is_inlined_for_plain_containers() -> None:
    code = compiled('m = {}\nm["a"] = 1\n')
    assert "m['a'] = 1" in code and "_rt_setindex(m, 'a', 1" in code


@pytest.mark.parametrize("where", ["top", "function"])
def test_index_store_keeps_value_semantics(where: str) -> None:
    body = 'a = {"k": 1}\nb = a\na["k"] = 2\nxs = [1, 2]\nys = xs\nxs[0] = 9\nxs[-1] = 8\nprint(a, b, xs, ys)\n'
    if where == "function":
        body = "fn f() {\n" + body + "}\nf()\n"
    assert run(body) == '{"k": 2} {"k": 1} [9, 8] [1, 2]\n'


def test_index_store_on_a_parameter_leaves_the_callers_value_alone() -> None:
    source = 'fn f(m) {\n m["k"] = 2\n return m\n}\norig = {"k": 1}\nprint(f(orig), orig)\n'
    assert run(source) == '{"k": 2} {"k": 1}\n'


def test_index_store_on_a_captured_variable_is_seen_by_the_closure() -> None:
    source = 'fn f() {\n m = {}\n g = () => m\n m["k"] = 1\n return g()\n}\nprint(f())\n'
    assert run(source) == '{"k": 1}\n'


def test_index_store_in_a_loop_counts_words() -> None:
    source = ('fn count(words) {\n c = {}\n for w in words { c[w] = c.get(w, 0) + 1 }\n return c\n}\n'
              'print(count("a b a c a b".split(" ")))\n')
    assert run(source) == '{"a": 3, "b": 2, "c": 1}\n'


def test_index_store_applies_rules() -> None:
    source = ('fn f() {\n m = {}.add_rule(:uppercase)\n m["a"] = "x"\n'
              ' xs = [1, 2].add_rule(:none_to_zero)\n xs[0] = none\n print(m, xs)\n}\nf()\n')
    assert run(source) == '{"a": X} [0, 2]\n'


@pytest.mark.parametrize(
    ("program", "message"),
    [
        ('m = {"a": 1}.freeze()\nm["a"] = 2\n', "Cannot modify a frozen map"),
        ("xs = [1].freeze()\nxs[0] = 2\n", "Cannot modify a frozen list"),
        ("xs = [1]\nxs[5] = 2\n", "Index out of bounds"),
        ("xs = [1]\ni = -2\nxs[i] = 2\n", "Index out of bounds"),
        ("xs = [1]\nxs[true] = 2\n", "Index must be a whole number, got a bool"),
        ("m = {}\nm[1] = 2\n", "Map keys are strings, not num"),
        ('s = "ab"\ns[0] = "x"\n', "Strings are immutable"),
    ],
)
def test_index_store_errors_are_unchanged(program: str, message: str) -> None:
    for source in (program, "fn f() {\n" + program + "}\nf()\n"):
        assert message in str(error_of(source))


def test_a_float_index_still_stores() -> None:
    assert run("xs = [1, 2]\nxs[1.0] = 5\nprint(xs)\n") == "[1, 5]\n"


# ------------------------------------------------------------------ direct graph method calls

COUNTER = """
graph Counter {
    n: 0
    fn bump(k) { n = n + k }
    priv fn secret() { return n * 10 }
    fn reveal() { return _secret() }
    fn kind() when n > 2 { return "big" }
    fn kind() { return "small" }
}
fn bump_times(c, times) {
    for i in range(times) { c.bump(1) }
    return c.n
}
fn kind_of(c) { return c.kind() }
"""


def test_graph_method_calls_take_the_direct_path() -> None:
    code = compiled(COUNTER)
    assert "c._mdirect.get('bump', _rt_not_direct) if c.__class__ is _rt_Graph" in code
    interp = Interpreter(stdout=io.StringIO())
    interp.run(COUNTER + "c = Counter.clone()\nbump_times(c, 3)\n", filename="inline.gd")
    counter = interp.lookup("c")
    assert set(counter._mdirect) == {"bump"}  # the guarded and private methods stay out


def test_direct_calls_keep_guards_private_methods_and_implicit_self() -> None:
    source = COUNTER + ('c = Counter.clone()\nprint(kind_of(c), bump_times(c, 3), kind_of(c), c.reveal())\n'
                        'c._secret()\n')
    assert "Cannot call private method '_secret'" in error_of(source).message
    out = io.StringIO()
    Interpreter(stdout=out).run(COUNTER + "c = Counter.clone()\n"
                                "print(kind_of(c), bump_times(c, 3), kind_of(c), c.reveal())\n", filename="inline.gd")
    assert out.getvalue() == "small 3 big 30\n"


def test_redefining_or_removing_a_method_reaches_a_cached_call_site() -> None:
    source = ("graph G {\n fn one(a) { return a }\n}\ng = G.clone()\nfn call_one(x) { return x.one(7) }\n"
              "print(call_one(g))\nfn g.one(a) { return a * 100 }\nprint(call_one(g))\n"
              "print(g.remove_method(\"one\"))\nprint(call_one(g))\n")
    with pytest.raises(GraphoidError) as caught:
        Interpreter(stdout=(out := io.StringIO())).run(source, filename="inline.gd")
    assert out.getvalue() == "7\n700\ntrue\n"
    assert "Unknown method 'one' on graph" in str(caught.value)


def test_a_constraint_added_after_caching_is_enforced() -> None:
    source = ("graph Account {\n balance: 10\n fn withdraw(x) { balance = balance - x }\n}\n"
              "a = Account.clone()\nfn take(acct, x) { acct.withdraw(x) }\ntake(a, 4)\n"
              "a.add_method_constraint((before, after) => after.balance >= 0, :non_negative)\n"
              "take(a, 4)\nprint(a.balance)\ntake(a, 10)\n")
    with pytest.raises(GraphoidError) as caught:
        Interpreter(stdout=(out := io.StringIO())).run(source, filename="inline.gd")
    assert out.getvalue() == "2\n"
    assert caught.value.kind == "RuleError" and "non_negative" in caught.value.message


def test_wrong_arity_on_a_direct_call_is_reported_as_before() -> None:
    source = "graph G {\n fn one(a) { return a }\n}\ng = G.clone()\nfn f(x) { return x.one() }\nprint(g.one(1))\nf(g)\n"
    error = error_of(source)
    assert error.message == "one() is missing 1 argument(s): a"
    assert (error.span.line, error.span.col) == (5, 18)


def test_the_active_stack_is_restored_when_a_direct_call_raises() -> None:
    from graphoid.graphs.classes import active_stack

    source = ('graph G {\n fn boom() { raise "bad" }\n priv fn hidden() { return 1 }\n}\n'
              'g = G.clone()\nfn poke(x) { return x.boom() }\n'
              'for i in range(3) {\n try { poke(g) } catch RuntimeError as e { print(e.message()) }\n}\n'
              'g._hidden()\n')
    error = error_of(source)
    assert "private method '_hidden'" in error.message  # no stale `g` left on the active stack
    assert active_stack() == []


def test_super_and_bare_calls_inside_methods() -> None:
    source = ('graph Animal {\n fn speak() { return "..." }\n fn twice() { return speak() + speak() }\n}\n'
              'graph Dog from Animal {\n fn speak() { return "Woof" + super.speak() }\n}\n'
              'd = Dog.clone()\nfn talk(x) { return x.twice() }\nprint(talk(d), talk(Animal.clone()), talk(d))\n')
    assert run(source) == "Woof...Woof... ...... Woof...Woof...\n"


def test_context_method_names_are_never_called_directly() -> None:
    code = compiled("fn f(g) { return g.degree(\"a\") }\n")
    assert "_mdirect" not in code


# ------------------------------------------------------------------ leaf methods (no push)

LEAVES = """
graph Box {
    v: 0
    log: 0
    fn put(x) { v = x * 2 }
    fn get() { return v }
    fn put_other(other, x) { other.level = x }
    fn put_self(x) { self.v = x }
    fn store(xs, x) { xs[0] = x }
    fn loops(k) {
        while k > 0 { v = v + k
            k = k - 1 }
        return v
    }
    fn calls() { return get() + 1 }
    fn makes_lambda() { f = x => x
        return 1 }
    priv fn secret() { return v + 100 }
    fn reveal() { return _secret() }
}
graph Tank {
    level: 0
    set level(x) { level = _clamp(x) }
    priv fn _clamp(x) { return x if x < 10 else 10 }
}
fn use(b, x) { b.put(x)
    return b.get() }
"""


def test_methods_that_call_nothing_are_marked_leaf() -> None:
    code = compiled(LEAVES)
    marked = {line.split("'")[1] for line in code.splitlines() if "define_method(" in line and "_rt_leaf(" in line}
    # Private leaves are marked too (private methods are never called directly); stores into
    # another value (its rules may be user functions) and calls make a method no leaf.
    assert marked == {"put", "get", "put_self", "loops", "secret", "_clamp"}


def test_leaf_calls_leave_the_active_stack_and_private_checks_as_before() -> None:
    from graphoid.graphs.classes import active_stack

    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run(LEAVES + "b = Box.clone()\nt = Tank.clone()\n"
               "print(use(b, 3), use(b, 4), b.loops(3), b.calls(), b.makes_lambda(), b.reveal())\n"
               "b.put_other(t, 50)\nprint(t.level)\n", filename="inline.gd")
    assert out.getvalue() == "6 8 14 15 1 114\n10\n"
    put, site_target = interp.lookup("b")._mdirect["put"]  # a leaf: call sites may cache it
    assert site_target is put._gd_fast
    assert interp.lookup("b")._mdirect["reveal"][1] is False
    assert active_stack() == []
    error = error_of(LEAVES + "b = Box.clone()\nuse(b, 1)\nb._secret()\n")
    assert "Cannot call private method '_secret'" in error.message


def test_a_leaf_that_raises_leaves_no_receiver_behind() -> None:
    from graphoid.graphs.classes import active_stack

    source = ("graph G {\n d: 0\n fn div(x) { return 10 / x }\n priv fn p() { return 1 }\n"
              " fn outer(x) { r = div(x)\n return _p() }\n}\ng = G.clone()\nfn f(x) { return g.div(x) }\n"
              "print(f(2))\ntry { f(0) } catch as e { print(e.message()) }\nprint(g.outer(5))\n")
    assert run(source) == "5\nDivision by zero\n1\n"
    assert active_stack() == []
