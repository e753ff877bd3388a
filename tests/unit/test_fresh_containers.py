"""Fresh local lists and maps (graphoid/compiler/freshvars.py): the proof, the code it changes,
and the value semantics every such program must keep (aliasing, rules, frozen, keys, limits)."""

from __future__ import annotations

import textwrap

import pytest

from test_compiler_support import parse, run, run_error

from graphoid import GraphoidError, Interpreter
from graphoid.compiler import dump
from graphoid.compiler.freshvars import LIST, MAP, analyse
from graphoid.syntax import ast as g


def out(source: str) -> list[str]:
    return run(textwrap.dedent(source))


def function_body(source: str) -> g.Block:
    """The body of the first function of source."""
    program = parse(textwrap.dedent(source))
    return next(stmt for stmt in program.body if isinstance(stmt, g.FnDef)).body


def proven(source: str) -> dict[str, str]:
    body = function_body(source)
    names = {stmt.target.id for stmt in body.body if isinstance(stmt, g.Assign) and isinstance(stmt.target, g.Name)}
    return analyse(body, names)[0]


def moves(source: str) -> int:
    """How many statements take part in a move (a read and its store-back each)."""
    body = function_body(source)
    names = {stmt.target.id for stmt in body.body if isinstance(stmt, g.Assign) and isinstance(stmt.target, g.Name)}
    names |= {"stats", "city", "key"}
    return len(analyse(body, names)[1])


def generated(source: str) -> str:
    Interpreter().builtins  # registers the copy-on-write thresholds, as a run does
    return dump(parse(textwrap.dedent(source)))


# ---------------------------------------------------------------- the proof

WORD_COUNT = """
fn count(words) {
    counts = {}
    for w in words { counts[w] = counts.get(w, 0) + 1 }
    lines = []
    for w in counts.keys() { lines.append!(w + "=" + counts[w]) }
    return lines.join(" ")
}
"""


def test_literals_with_element_stores_and_reads_are_fresh():
    assert proven(WORD_COUNT) == {"counts": MAP, "lines": LIST}


@pytest.mark.parametrize("use", [
    "keep = m",  # another variable shares it
    "f(m)",  # an argument
    "other = [m]",  # an element of another container
    "g = () => m",  # captured
    "m.add_rule!(:uppercase)",  # behaviours
    "m.freeze!()",
    "m.remove!(\"a\")",  # any `!` method but append! on a list
    "x = m.merge({})",  # not a read-only method
    "m = make()",  # not a literal
    "m.b = 2",  # property store
    "m[\"a\"][\"b\"] = 2",  # nested store: the element is written back through the map
    "configure { integer: true } { x = 1 }",
    "m",  # a block's value
])
def test_any_other_use_is_not_fresh(use: str):
    assert "m" not in proven(f'fn f() {{\n m = {{"a": {{}}}}\n m["k"] = 1\n {use}\n}}')


def test_a_list_iterated_while_its_loop_writes_it_is_not_fresh():
    assert proven("fn f() {\n xs = [1]\n for x in xs { xs.append!(x) }\n}") == {}
    assert proven("fn f() {\n xs = [1]\n for x in xs { print(x) }\n xs.append!(2)\n}") == {"xs": LIST}


def test_mixed_literals_or_declared_types_are_not_fresh():
    assert proven("fn f() {\n m = {}\n m = []\n}") == {}
    assert proven("fn f() {\n map m = {}\n m[\"a\"] = 1\n}") == {}


def test_return_is_fresh_unless_a_finally_could_run_after_it():
    assert proven("fn f() {\n xs = []\n xs.append!(1)\n return xs\n}") == {"xs": LIST}
    assert proven("fn f() {\n xs = []\n try { return xs } finally { xs.append!(2) }\n}") == {}


GROUP_BY = """
fn group(people) {
    by_city = {}
    for person in people {
        city = person["city"]
        if not by_city.has_key(city) { by_city[city] = {"count": 0} }
        stats = by_city[city]
        stats["count"] = stats["count"] + 1
        by_city[city] = stats
    }
    return by_city
}
"""


def test_the_group_by_read_is_a_move():
    assert moves(GROUP_BY) == 2


@pytest.mark.parametrize("between", [
    'print(by_city)',  # the map is read between
    'city = "x"',  # the key is rebound
    'if stats["count"] > 3 { break }',  # a jump could skip the store-back
    'if stats["count"] > 3 { continue }',
    'if stats["count"] > 3 { return by_city }',
])
def test_no_move_when_the_slot_could_be_seen(between: str):
    source = GROUP_BY.replace('        by_city[city] = stats', f'        {between}\n        by_city[city] = stats')
    assert moves(source) == 0


def test_no_move_in_a_function_with_try_or_without_the_store_back():
    assert moves(GROUP_BY.replace("    return by_city", "    try { x = 1 } catch { x = 2 }\n    return by_city")) == 0
    assert moves(GROUP_BY.replace("        by_city[city] = stats\n", "")) == 0
    assert moves(GROUP_BY.replace("        by_city[city] = stats\n", '        by_city["other"] = stats\n')) == 0


# ---------------------------------------------------------------- the generated code


def test_fresh_containers_lose_their_run_time_tests():
    code = generated(WORD_COUNT)
    assert "_rt_getrefcount(counts)" not in code
    assert "counts.__class__" not in code and "counts.__dict__" not in code
    assert "lines.append(" in code and "lines.plain" not in code


def test_shared_containers_keep_them():
    code = generated(WORD_COUNT.replace("    return lines", "    keep = counts\n    return lines"))
    assert "counts.__class__ is _rt_GMap" in code and "counts.__dict__" in code


def test_the_move_empties_the_slot_and_the_store_back_is_a_plain_store():
    code = generated(GROUP_BY)
    assert "by_city[city] = None" in code and "by_city[city] = stats" in code


# ---------------------------------------------------------------- semantics kept


def test_word_count_and_group_by_answers():
    assert out(WORD_COUNT + 'print(count("a b a c b a".split(" ")))') == ["a=3 b=2 c=1"]
    program = GROUP_BY + """
    people = [{"city": "Oslo"}, {"city": "Lima"}, {"city": "Oslo"}, {"city": "Oslo"}]
    print(group(people))
    """
    assert out(program) == ['{"Oslo": {"count": 3}, "Lima": {"count": 1}}']


def test_moved_elements_shared_elsewhere_are_copied_not_changed():
    source = """
    fn tally(shared) {
        by_key = {}
        by_key["a"] = shared
        by_key["b"] = shared
        stats = by_key["a"]
        stats["n"] = stats["n"] + 1
        by_key["a"] = stats
        return [by_key, shared]
    }
    s = {"n": 0}
    print(tally(s))
    print(s)
    """
    assert out(source) == ['[{"a": {"n": 1}, "b": {"n": 0}}, {"n": 0}]', '{"n": 0}']


def test_moved_element_taken_by_another_variable_keeps_the_old_value():
    source = """
    fn f() {
        m = {"k": {"n": 0}}
        stats = m["k"]
        before = stats
        stats["n"] = 5
        m["k"] = stats
        return [m, before]
    }
    print(f())
    """
    assert out(source) == ['[{"k": {"n": 5}}, {"n": 0}]']


def test_an_error_between_the_move_and_the_store_back_leaves_the_caller_unchanged():
    source = """
    fn bump(totals, key) {
        m = {}
        m["k"] = totals
        stats = m["k"]
        stats[key] = stats[key] + 1
        m["k"] = stats
        return m["k"]
    }
    t = {"a": 1}
    try { bump(t, "missing") } catch as e { print(e.type()) }
    print(t, bump(t, "a"), t)
    """
    assert out(source) == ["KeyError", '{"a": 1} {"a": 2} {"a": 1}']


def test_missing_and_non_string_keys_on_a_moved_read():
    err = run_error('fn f() {\n m = {"a": {}}\n s = m["zz"]\n m["zz"] = s\n}\nf()')
    assert err.kind == "KeyError" and "zz" in err.message
    err = run_error('fn f() {\n m = {"a": {}}\n k = 1\n s = m[k]\n m[k] = s\n}\nf()')
    assert err.kind in ("KeyError", "TypeError")


def test_fresh_map_store_with_a_non_string_key_is_a_graphoid_error():
    err = run_error('fn f() {\n m = {}\n k = 1\n m[k] = 2\n}\nf()')
    assert err.kind == "TypeError" and "Map keys are strings" in err.message
    err = run_error('fn f() {\n m = {}\n m[1] = 2\n}\nf()')
    assert err.kind == "TypeError"


def test_fresh_list_store_out_of_range_and_bool_index():
    err = run_error('fn f() {\n xs = [1]\n i = 5\n xs[i] = 2\n}\nf()')
    assert err.kind == "IndexError"
    assert out('fn f() {\n xs = [1, 2]\n i = -1\n xs[i] = 9\n return xs\n}\nprint(f())') == ["[1, 9]"]
    err = run_error('fn f() {\n xs = [1, 2]\n xs[true] = 9\n}\nf()')
    assert isinstance(err, GraphoidError)


def test_fresh_map_get_with_non_string_key_answers_the_default():
    assert out('fn f() {\n m = {"1": 5}\n k = 1\n return [m.get(k, 0), m.has_key(k)]\n}\nprint(f())') == ["[0, false]"]


def test_returned_fresh_list_is_independent_per_call():
    source = """
    fn build(n) {
        xs = []
        i = 0
        while i < n { xs.append!(i)
            i = i + 1 }
        return xs
    }
    a = build(2)
    b = a
    b.append!(9)
    print(a, b, build(3))
    """
    assert out(source) == ["[0, 1] [0, 1, 9] [0, 1, 2]"]


def test_iterating_a_list_that_the_loop_appends_to_sees_the_old_list():
    # Appending in place would make the loop see its own appends (stopped after 10 here).
    source = """
    fn f() {
        xs = [1, 2]
        n = 0
        for x in xs {
            xs.append!(x)
            n = n + 1
            if n > 10 { break }
        }
        print(n)
        return xs
    }
    print(f())
    """
    assert out(source) == ["2", "[1, 2, 1, 2]"]


def test_rules_and_frozen_maps_still_apply():
    source = """
    fn f() {
        m = {"a": "x"}
        m.add_rule!(:uppercase)
        m["b"] = "y"
        return m
    }
    print(f())
    """
    # the same program with the map shared (no proof): the answers must be the same
    assert out(source) == out(source.replace("        return m", "        keep = m\n        return m"))
    assert "Y" in out(source)[0]
    err = run_error('fn f() {\n m = {"a": 1}\n m.freeze!()\n m["b"] = 2\n}\nf()')
    assert err.kind == "RuntimeError" and "frozen" in err.message


@pytest.mark.timeout(120)
def test_a_step_limit_stops_a_loop_over_fresh_containers():
    # Unchecked this loop would run for hours; the limit must stop it with its own error.
    source = "fn f() {\n m = {}\n xs = []\n while true { m[\"k\"] = 1\n xs.append!(1) }\n}\nf()"
    with pytest.raises(GraphoidError) as caught:
        Interpreter(max_steps=10_000).run(source)
    assert caught.value.kind == "LimitError"


def test_a_slot_read_or_skipped_between_read_and_store_back_shows_the_element():
    source = """
    fn f() {
        m = {"a": {"n": 1}}
        for i in [1, 2] {
            s = m["a"]
            print(m)
            if i == 1 { continue }
            m["a"] = s
        }
        return m
    }
    print(f())
    """
    assert out(source) == ['{"a": {"n": 1}}', '{"a": {"n": 1}}', '{"a": {"n": 1}}']
    skipped = source.replace("            print(m)\n", "")
    assert out(skipped) == ['{"a": {"n": 1}}']


# ---------------------------------------------------------------- map literals built by stores


@pytest.mark.parametrize("wrap", ["top", "function"])
def test_map_literal_values_run_in_order_and_an_error_leaves_the_target(wrap: str):
    body = """
    fn note(x) {
        print(x)
        return x
    }
    fn boom() { raise "boom" }
    x = {"a": 1}
    try { x = {"a": note("first"), "b": boom()} } catch as e { print(e.message()) }
    x = {"b": note("second"), "a": x, "b": note("third")}
    print(x)
    xs = []
    xs.append!({"k": note("fourth")})
    print(xs)
    """
    if wrap == "function":
        body = "fn main() {" + body + "}\nmain()"
    assert out(body) == ["first", "boom", "second", "third", '{"b": third, "a": {"a": 1}}', "fourth",
                         '[{"k": fourth}]']


KEYWORD_KEYS = ['"name"', '"_x9"', '"__class__"', '"copy"', '"get"']
DICT_KEYS = ['"class"', '"if"', '"None"', '"a b"', '"9x"', '""', '"\u00e9t\u00e9"', '"\ufb01le"']


@pytest.mark.parametrize("key", KEYWORD_KEYS + DICT_KEYS)
@pytest.mark.parametrize("wrap", ["top", "function"])
def test_map_literals_with_identifier_keys_are_built_from_keyword_arguments(key: str, wrap: str):
    body = f"""
    fn note(x) {{
        print(x)
        return x
    }}
    m = {{"z": note(1), {key}: note(2), "a": note(3)}}
    print(m, m.keys(), m[{key}], m.length(), typeof(m))
    m[{key}] = 5
    copy = m
    copy["z"] = 0
    print(m, copy, m.has_key({key}))
    print([{{"z": note(4), {key}: note(5)}}], note({{{key}: 6, "a": 7}}))
    """
    if wrap == "function":
        body = "fn main() {" + body + "}\nmain()"
    code = generated(body)
    assert "['z'] = " in code  # the assigned literal: built by stores
    returned = generated(f'fn g(v) {{\n    return {{"z": v, {key}: 2}}\n}}')
    assert ("_rt_GMap(z=" in returned) is (key in KEYWORD_KEYS)
    assert ("_rt_GMap({" in returned) is (key not in KEYWORD_KEYS)
    name = key.strip('"')
    assert out(body) == ["1", "2", "3", f'{{"z": 1, "{name}": 2, "a": 3}} [z, {name}, a] 2 3 map',
                         f'{{"z": 1, "{name}": 5, "a": 3}} {{"z": 0, "{name}": 5, "a": 3}} true',
                         "4", "5", f'{{"{name}": 6, "a": 7}}', f'[{{"z": 4, "{name}": 5}}] {{"{name}": 6, "a": 7}}']


def test_map_literals_with_a_repeated_key_keep_the_last_value_in_the_first_place():
    source = 'fn f(v) {\n    return {"a": 1, "b": v, "a": 3}\n}\nprint(f(2), {"k": 1, "k": 2})'
    assert "_rt_GMap(a=" not in generated(source)
    assert out(source) == ['{"a": 3, "b": 2} {"k": 2}']


def test_a_keyword_built_map_keeps_rules_frozen_and_value_semantics():
    source = """
    fn f(x) {
        m = {"a": x, "b": [x]}
        m["b"].append!(1)
        frozen = {"a": x}.freeze()
        ruled = {"a": none, "b": x}.add_rule(:none_to_zero)
        ruled["c"] = none
        return [m, frozen.is_frozen(), ruled]
    }
    shared = [0]
    print(f(shared), shared)
    try { {"a": 1}.freeze()["a"] = 2 } catch as e { print(e.message()) }
    """
    assert out(source)[0] == '[{"a": [0], "b": [[0], 1]}, true, {"a": 0, "b": [0], "c": 0}] [0]'
    assert len(out(source)) == 2


def test_a_map_literal_stored_as_an_element_leaves_no_temporary_holding_it():
    source = """
    fn group(names) {
        by = {}
        for n in names {
            if not by.has_key(n) { by[n] = {"count": 0} }
            s = by[n]
            s["count"] = s["count"] + 1
            by[n] = s
        }
        return by
    }
    put = (m) => { m["k"] = {"v": 1} }
    print(group(["a", "b", "a", "b", "b"]), put({}))
    """
    code = generated(source)
    built = code.split("['count'] = 0\n")[0].rsplit("\n", 1)[1].split(" = ")[0].strip()
    assert f"{built} = None" in code  # the store's temporary is cleared right after the store
    assert out(source) == ['{"a": {"count": 2}, "b": {"count": 3}} {"v": 1}']


# ---------------------------------------------------------------- literal splits and lengths


def test_a_literal_split_is_fresh_and_its_length_a_proven_int():
    source = 'fn f(n) {\n words = "a b c".split(" ")\n size = words.length()\n return n % size\n}'
    assert proven(source) == {"words": LIST}
    code = generated(source)
    assert "_rt_type(size)" not in code and "size > 0" in code
    assert out(source + "\nprint(f(7), f(-7))") == ["1 -1"]


@pytest.mark.parametrize("value", ['text.split(" ")', '"a b".split("")', '"a b".split(sep)', '"a b".words()'])
def test_other_splits_are_not_fresh(value: str):
    assert "words" not in proven(f'fn f(text, sep) {{\n words = {value}\n size = words.length()\n}}')


def test_the_length_of_an_empty_fresh_list_is_zero_and_modulo_by_it_an_error():
    err = run_error('fn f() {\n xs = "".split(",")\n xs = []\n k = xs.length()\n return 5 % k\n}\nf()')
    assert err.kind == "RuntimeError" and err.message == "Modulo by zero"
