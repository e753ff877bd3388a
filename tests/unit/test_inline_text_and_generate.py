"""String `+` chains, inlined `pad_left`/`pad_right` and the inline `list.generate(a, b, x => e)`
loop keep the meaning of the general paths (issue 9, lane strs).

Each inlined form is checked against the path it replaces: the method table
(registry.call_method), `ops.add`, or `list.generate` given a function value instead of a lambda
literal: same value, or the same error kind and message, for the types the guards accept and
for those they turn away (which must take the general path).
"""

from __future__ import annotations

import io
import itertools
import re
from types import CodeType

import pytest

from graphoid import Interpreter
from graphoid.compiler import compile_program, dump
from graphoid.errors import GraphoidError
from graphoid.syntax.parser import parse
from graphoid.values.format import display, text
from graphoid.values.limits import LIMITED_STRING_CHARS
from graphoid.values.methods.registry import call_method
from graphoid.values.ops import add

pytestmark = pytest.mark.timeout(300)


def outcome(source: str, **options: object) -> str:
    """What a program prints, or its error as `Kind: message`."""
    out = io.StringIO()
    try:
        Interpreter(stdout=out, **options).run(source, filename="strs.gd")  # type: ignore[arg-type]
    except GraphoidError as error:
        return out.getvalue() + f"{error.kind}: {error.message}"
    return out.getvalue().rstrip("\n")


def python_code(source: str) -> str:
    return dump(parse(source, "strs.gd"))


# ------------------------------------------------------------------ pad_left / pad_right

RECEIVERS = {'"ab"': "ab", '""': "", "[1]": None, "5": 5, "none": None}
WIDTHS = {"0": 0, "5": 5, "-3": -3, "2.0": 2.0, "2.5": 2.5, "true": True, '"3"': "3", "none": None}
FILLS = {"": None, '"*"': "*", '"ab"': "ab", '""': "", "7": 7}
PAD_CASES = [(name, receiver, width, fill) for name in ("pad_left", "pad_right")
             for receiver, width, fill in itertools.product(RECEIVERS, WIDTHS, FILLS)
             if receiver == '"ab"' or (width == "5" and fill in ("", '"*"'))]


def pad_by_method_table(name: str, receiver: str, width: str, fill: str) -> str:
    value = [1] if receiver == "[1]" else RECEIVERS[receiver]
    args = (WIDTHS[width],) if fill == "" else (WIDTHS[width], FILLS[fill])
    try:
        return display(call_method(value, name, args))
    except GraphoidError as error:
        return f"{error.kind}: {error.message}"


@pytest.mark.parametrize(("name", "receiver", "width", "fill"), PAD_CASES)
def test_inlined_padding_matches_the_method_table(name: str, receiver: str, width: str, fill: str) -> None:
    expected = pad_by_method_table(name, receiver, width, fill)
    fill_arg = "" if fill == "" else f", {fill}"
    literal = outcome(f"print({receiver}.{name}({width}{fill_arg}))")
    variables = outcome(f"r = {receiver}\nw = {width}\nf = {fill or 'none'}\n"
                        f"print(r.{name}(w{', f' if fill else ''}))")
    assert literal == expected
    assert variables == expected


def test_padding_compiles_to_rjust_and_ljust_under_type_guards() -> None:
    code = python_code('s = "ab"\nw = 4\na = s.pad_left(8)\nb = s.pad_right(w, "-")\nc = s.pad_left(8, "ab")\n')
    assert "a = s.rjust(8) if s.__class__ is _rt_str else" in code
    assert (f"b = s.ljust(w, '-') if s.__class__ is _rt_str and w.__class__ is _rt_int and (w <= {LIMITED_STRING_CHARS})"
            in code)
    # a fill that is not one character never passes: only the general dispatch is left
    assert "c = _rt_call_method(s, 'pad_left', (8, 'ab'), None)" in code


@pytest.mark.parametrize("as_variable", [False, True])
def test_padding_wider_than_the_string_limit_is_refused_under_limits(as_variable: bool) -> None:
    width = LIMITED_STRING_CHARS + 1
    source = f"w = {width}\nprint(\"x\".pad_left(w))" if as_variable else f"print(\"x\".pad_right({width}))"
    assert outcome(source, max_steps=10_000).startswith("LimitError: String too long")
    assert outcome(f"print(\"x\".pad_left({LIMITED_STRING_CHARS}).length())", max_steps=10_000) == str(
        LIMITED_STRING_CHARS)


def test_a_graph_with_a_pad_method_runs_its_own() -> None:
    source = """
graph Box {
    fn pad_left(n) { return "box " + n }
}
b = Box.clone()
print(b.pad_left(3))
"""
    assert outcome(source) == "box 3"


# ------------------------------------------------------------------ string `+` chains

VALUES = ["7", "-0.0", "1.0", "2.5", "1000000000000000000000.0", "10 ** 30", "true", "false", "none", "[1, \"a\"]", '{"k": 2}',
          '"s"', ":sym", "x => x"]


@pytest.mark.parametrize("value", VALUES)
def test_text_chains_format_every_operand_as_ops_add_does(value: str) -> None:
    program = f"v = {value}\nprint(\"<\" + v + \"|\" + (v) + \">\")\nprint(v + \"!\")"
    held = Interpreter(stdout=io.StringIO())
    held.run(f"v = {value}", filename="strs.gd")
    v = held.lookup("v")
    expected = add(add(add(add("<", v), "|"), v), ">") + "\n" + add(v, "!")
    assert outcome(program) == expected


OPERANDS = ["i * 1.5", "1.5 * i", "i - 0.25", "i + 0.5", "i / 4", "2 / 4", "0.1 + 0.2", "(0.0 - 0.0) * i", "i * 100000000000000000000000.0",
            "i / 0", "i == 2", "i != 2", "i < 3", "i <= x", "x == x", "[i] == [i]", "x * 1.5"]


@pytest.mark.parametrize("operand", OPERANDS)
@pytest.mark.parametrize("i", ["2", "0", "-3", "10 ** 400"])
def test_float_and_comparison_operands_format_as_their_values_do(operand: str, i: str) -> None:
    inline = f'fn f(x) {{\n    i = {i}\n    return "<" + ({operand}) + ">"\n}}\nprint(f("s"))'
    held = f'fn f(x) {{\n    i = {i}\n    v = {operand}\n    return "<" + v + ">"\n}}\nprint(f("s"))'
    assert outcome(inline) == outcome(held)


def test_float_operands_use_the_float_formatter_outside_lenient_code() -> None:
    code = python_code('fn f() {\n i = 1\n s = "a" + (i * 1.5) + (i / 2) + (i == 1)\n'
                       ' configure { error_mode: :lenient } { t = "a" + (i / 0) }\n return [s, t]\n}\n')
    assert "_rt_float_text(i * 1.5) + _rt_float_text(i / 2) + ('true' if (" in code
    assert "_rt_float_text(_rt_div" not in code
    assert outcome('fn f() {\n i = 1\n configure { error_mode: :lenient } { t = "a" + (i / 0) }\n return t\n}\n'
                   "print(f())") == "anone"


def test_text_chains_of_proven_ints_skip_the_type_test_and_the_try() -> None:
    code = python_code('fn f(n) {\n i = 0\n s = ""\n while i < n { s = "a" + i + ":" + (i * 2) + name(i)\n i = i + 1 }\n'
                       ' return s\n}\n')
    # each int is str() in a `try` whose ValueError handler (ints over CPython's digit limit,
    # below) takes _rt_int_text
    texts = re.findall(r"(_rt_\w+) = _rt_int_str\((.*)\)\n\s*except _rt_ValueError:\n\s*\1 = _rt_int_text\(\2\)", code)
    assert [operand for _, operand in texts] == ["i", "i * 2"]
    assert f"s = 'a' + {texts[0][0]} + ':' + {texts[1][0]} + (" in code
    assert "_rt_TypeError" not in code.split("def ")[1].split("return s")[0]
    big = "10 ** 5000"
    assert outcome(f'fn f() {{\n i = {big}\n return "n" + i + "."\n}}\nprint(f().length())') == "5003"


def test_text_chains_run_their_operands_left_to_right() -> None:
    source = """
fn say(x) { print("ran " + x)
 return x }
print("a" + say(1) + "b" + say(2.5) + say("c"))
"""
    assert outcome(source) == "ran 1\nran 2.5\nran c\na1b2.5c"


def test_an_error_in_an_operand_of_a_text_chain_is_the_operand_error() -> None:
    assert outcome('x = "y"\nprint("a" + (1 - x) + "b")') == outcome('x = "y"\nprint(1 - x)')
    assert outcome('print("a" + [1].nope() + "b")') == outcome("print([1].nope())")


def test_text_formats_bools_directly() -> None:
    assert (text(True), text(False)) == ("true", "false")


# ------------------------------------------------------------------ list.generate(a, b, x => e)

BODIES = ["i * 31 % 97", "i - 3", "10 / (i - 2)", "i + 0.5", '"n" + i', "[i, -i]", "i % 3 == 0"]
BOUNDS = [("0", "5"), ("-3", "2"), ("4", "1"), ("0", "0"), ("0.0", "3"), ("1", "2.5"), ("true", "3"),
          ('"1"', "3"), ("none", "2"), ("2", "-1")]


@pytest.mark.parametrize(("body", "bounds"), list(itertools.product(BODIES, BOUNDS)))
def test_inline_generate_matches_generate_with_a_function_value(body: str, bounds: tuple[str, str]) -> None:
    start, end = bounds
    inline = outcome(f"a = {start}\nb = {end}\nprint(list.generate(a, b, i => {body}))")
    literal = outcome(f"print(list.generate({start}, {end}, i => {body}))")
    general = outcome(f"a = {start}\nb = {end}\nf = i => {body}\nprint(list.generate(a, b, f))")
    assert inline == general
    assert literal == general


def test_inline_generate_compiles_to_a_loop_with_the_parameter_a_proven_int() -> None:
    code = python_code("fn f(n) { return list.generate(0, n - 1, i => (i * 31) % 97) }\n")
    assert "for i in _rt_range(" in code and "(i * 31 % 97)" in code
    assert "(0, _rt_" in code and " + 1) if list.__class__ is _rt_ListNamespace and _rt_" in code
    # a function value, a block body, two parameters or named arguments: the method call only
    for call in ("list.generate(0, 3, g)", "list.generate(0, 3, i => { i })", "list.generate(0, 3, (i, j) => i)",
                 "list.generate(0, 3, i => match i { k => k * 2 })"):
        assert "_rt_range" not in python_code(f"g = i => i\nx = {call}\n"), call


def test_inline_generate_keeps_closures_shadowing_and_method_context() -> None:
    source = """
fn scaled(n, k) {
    i = 100
    xs = list.generate(1, n, i => i * k + i)
    return [xs, i]
}
print(scaled(3, 10))
graph Counter {
    step: 3
    fn run(n) { return list.generate(0, n, j => j * step) }
}
print(Counter.clone().run(3))
"""
    assert outcome(source) == "[[11, 22, 33], 100]\n[0, 3, 6, 9]"


def test_a_user_list_variable_or_a_replaced_global_takes_the_general_path() -> None:
    mine = """
graph Maker {
    fn generate(a, b, f) { return "mine " + f(a) + f(b) }
}
list = Maker.clone()
print(list.generate(1, 2, i => i * 10))
"""
    assert outcome(mine) == "mine 1020"
    general = outcome('list = "text"\nf = i => i\nprint(list.generate(0, 2, f))')
    assert general.startswith("RuntimeError") or general.startswith("TypeError")
    interp = Interpreter(stdout=io.StringIO())
    interp.run("fn g(n) { return list.generate(0, n, i => i) }", filename="strs.gd")
    interp.namespace["list"] = "text"  # the host replaces the global after g was compiled
    with pytest.raises(GraphoidError) as caught:
        interp.call("g", 2)
    assert f"{caught.value.kind}: {caught.value.message}" == general


def test_an_error_in_an_inline_generate_body_shows_the_lambda_frame() -> None:
    source = "fn f(n) {\n    return list.generate(0, n, i => 10 / (i - 3))\n}\nprint(f(5))\n"
    with pytest.raises(GraphoidError) as caught:
        Interpreter(stdout=io.StringIO()).run(source, filename="gen.gd")
    error = caught.value
    assert (error.kind, error.message) == ("RuntimeError", "Division by zero")
    frames = [(entry.function, entry.span.line, entry.span.col) for entry in error.trace]
    # as for a called lambda: the call sits at the method's name, the error in the lambda's body
    assert frames == [("<main>", 4, 7), ("f", 2, 17), ("<lambda at gen.gd:2>", 2, 37)]


def _names_read(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names_read(const)
    return names


def test_inline_generate_is_not_used_under_limits_which_stop_it() -> None:
    program = parse("x = list.generate(0, 5, i => i)\n", "l.gd")
    assert "_rt_range" in _names_read(compile_program(program, "l.gd"))
    assert "_rt_range" not in _names_read(compile_program(program, "l.gd", limits=True))
    result = outcome("x = list.generate(0, 10 ** 9, i => i * 2)\nprint(x.length())", max_steps=100_000)
    assert result.startswith("LimitError")


# ------------------------------------------------------------------ plain-list locals

INDEXES = ["0", "2", "-1", "-3", "3", "-4", "1.0", "1.5", '"a"', "true", "none", "[0]"]


@pytest.mark.parametrize(("source", "index"), list(itertools.product(
    ["[10, 11, 12, 13].slice(1, 4)", "[10, 11, 12, 13].take(3)", "[9, 10, 11, 12].skip(1)", '"x y z".split(" ")'],
    INDEXES)))
def test_a_local_read_only_by_index_gives_what_a_list_gives(source: str, index: str) -> None:
    plain = f"fn f() {{\n    w = {source}\n    total = []\n    for v in w {{ total.append!(v) }}\n    return [w[{index}], total]\n}}\nprint(f())"
    wrapped = plain.replace("    total = []", "    keep = w\n    total = []")
    assert "_rt_GList(" not in python_code(plain).split("total = ")[0].split("w = ")[1]
    assert "_rt_GList(" in python_code(wrapped).split("keep = ")[0].split("w = ")[1]
    assert outcome(plain) == outcome(wrapped)


@pytest.mark.parametrize(("body", "plain"), [
    ("w = xs.slice(0, 2)\nreturn w[0] + w[1]", True),
    ("w = xs.slice(0, 2)\nfor v in w { print(v) }\nreturn w[0]", True),
    ("w = xs.slice(0, 2)\nw = xs.take(1)\nreturn w[0]", True),
    ("w = xs.slice(0, 2)\nreturn w", False),
    ("w = xs.slice(0, 2)\nreturn w.length()", True),
    ("w = xs.slice(0, 2)\nreturn w.size() + w.len() + w[0]", True),
    ("w = xs.slice(0, 2)\nreturn w.length(1)", False),
    ("w = xs.slice(0, 2)\nreturn w.length!()", False),
    ("w = xs.slice(0, 2)\nreturn w.first()", False),
    ("w = xs.slice(0, 2)\nw[0] = 5\nreturn w[0]", False),
    ("w = xs.slice(0, 2)\nw.append!(5)\nreturn w[0]", False),
    ("w = xs.slice(0, 2)\nw[0].append!(5)\nreturn w[0]", False),
    ("w = xs.slice(0, 2)\ng = () => w[0]\nreturn g()", False),
    ("w = xs.slice(0, 2)\nreturn typeof(w)", False),
])
def test_which_locals_may_hold_a_plain_list(body: str, plain: bool) -> None:
    from graphoid.compiler.plain_lists import index_only_names

    program = parse(f"fn f(xs) {{\n{body}\n}}\n", "p.gd")
    names = index_only_names(program.body[0].body.body, ["w"])
    assert (names == {"w"}) is plain


@pytest.mark.parametrize("method", ["length", "len", "size"])
@pytest.mark.parametrize("source", ['"a b c d".split(" ")', '"".split(",")', "[10, 11, 12].slice(0, 2)", "xs.take(1)"])
def test_a_plain_list_local_read_by_size_gives_what_a_list_gives(source: str, method: str) -> None:
    plain = (f"fn f(xs, n) {{\n    w = {source}\n    size = w.{method}()\n    return [size, n % size, w[n % size]]\n}}\n"
             "print(f([5, 6], 7))\nprint(f([5, 6], -7))")
    wrapped = plain.replace("    size = ", "    keep = w\n    size = ")
    assert "_rt_GList(" not in python_code(plain).split("size = ")[0].split("w = ")[1]
    assert "_rt_GList(" in python_code(wrapped).split("keep = ")[0].split("w = ")[1]
    assert outcome(plain) == outcome(wrapped)


def test_a_literal_split_kept_plain_keeps_its_length_a_proven_int() -> None:
    source = 'fn f(n) {\n    words = "a b c".split(" ")\n    size = words.length()\n    return words[n % size]\n}\n'
    code = python_code(source)
    assert "_rt_GList(" not in code and "_rt_type(size)" not in code and "size > 0" in code
    assert outcome(source + "print(f(7), f(-7))") == "b c"


def test_an_index_read_copies_its_variable_only_when_the_index_may_rebind_it() -> None:
    quiet = "fn f(xs, i, k) {\n    return xs[i * 2 % k]\n}\n"
    assert "= xs\n" not in python_code(quiet)
    assert outcome(quiet + "print(f([1, 2, 3], 1, 3), f([1, 2, 3], -1, 3))") == "3 2"
    assert outcome(quiet + "print(f([1, 2, 3], 1, 0))") == outcome("print(2 % 0)")
    assert outcome(quiet + "print(f([1, 2, 3], 2, 9))") == outcome("print([1, 2, 3][4])")
    rebinding = ("fn g() {\n    xs = [1, 2, 3]\n    h = () => {\n        xs = [7, 8, 9]\n        return 0\n    }\n"
                 "    return [xs[h()], xs[0]]\n}\nprint(g())")
    assert outcome(rebinding) == "[1, 7]"


def test_a_one_step_store_reads_its_key_variable_without_a_copy() -> None:
    source = "fn f(m, k) {\n    m[k] = m.length()\n    return m\n}\nprint(f({}, \"a\"), f([5], 0))"
    assert "= k\n" not in python_code(source)
    assert outcome(source) == '{"a": 0} [1]'
    assert outcome(source.replace('f([5], 0)', 'f({}, 1)')) == outcome('m = {}\nm[1] = 0')
    nested = ("fn g() {\n    k = 0\n    xs = [[1, 2], [3, 4]]\n    h = () => {\n        k = 1\n        return 1\n    }\n"
              "    xs[k][h()] = 9\n    return [xs, k]\n}\nprint(g())")
    assert outcome(nested) == "[[[1, 9], [3, 4]], 1]"


# ------------------------------------------------------------------ `+` of proven ints inside comparisons


def test_comparisons_over_int_sums_need_no_try_and_fail_as_the_comparison_does() -> None:
    source = "fn f(n) {\n    i = 0\n    c = 0\n    while i + 8 <= n { c = c + 1\n i = i + 4 }\n    return c\n}\n"
    assert "if not i + 8 <= n:" in python_code(source)  # loops compile to `while True` with the test inside
    assert outcome(source + "print(f(40))") == "9"
    assert outcome(source + 'print(f("x"))') == outcome('print(8 <= "x")')
    lenient = "fn g(n) {\n    i = 1\n    configure { error_mode: :lenient } { r = (i + 1) / n }\n    return r\n}\nprint(g(0))"
    assert outcome(lenient) == "none"


def test_plain_list_locals_and_inline_generate_keep_value_semantics() -> None:
    source = """
fn windows(xs) {
    w = xs.slice(0, 2)
    xs.append!(9)
    return [w[0], w[1], w[-1]]
}
fn first_two(xs) {
    w = xs.take(2)
    return [w[0], w[1]]
}
fn upper_first(words) {
    parts = words.split(" ")
    return parts[0]
}
ruled = [1, 2, 3].add_rule(:none_to_zero)
frozen = [4, 5, 6].freeze()
print(windows(ruled), windows([7, 8]), ruled)
print(first_two(frozen), frozen, frozen.is_frozen())
print(upper_first("a b"), upper_first("solo"))
made = list.generate(1, 3, i => i * i)
copy = made
made.append!(10)
frozen_made = made.freeze()
print(made, copy, frozen_made.is_frozen(), made.is_frozen())
"""
    expected = ["[1, 2, 2] [7, 8, 8] [1, 2, 3]", "[4, 5] [4, 5, 6] true", "a solo",
                "[1, 4, 9, 10] [1, 4, 9] true false"]
    assert outcome(source).splitlines() == expected



# ------------------------------------------------------------------ arithmetic operands of text `+`

ARITH_OPERANDS = ["(a % b)", "(a // b)", "(a - b)", "(a * b)"]
ARITH_LEFTS = ["7", "-7", "0", "2.5", "true", '"s"', "none", "[1]", "10 ** 599", "0 - 10 ** 599",
               "10 ** 600", "10 ** 700", "10 ** 5000", "0 - 10 ** 5000"]
ARITH_RIGHTS = ["1", "3", "-2", "0", "0.5"]


def _through_a_call(source: str, operand: str) -> str:
    """The same program with the operand's value passed through a function first: a call's
    result takes the general text path (`_rt_text`), not the int-first one."""
    return "fn same(v) { return v }\n" + source.replace(f'"x" + {operand}', f'"x" + same{operand}')


@pytest.mark.parametrize("operand", ARITH_OPERANDS)
def test_arithmetic_operand_of_text_plus_matches_the_general_path(operand):
    # `"x" + (a % b)` formats an int result with str() in place and anything else through
    # _rt_text: same text, same errors (kind, message) as the general path
    source = f'fn f(a, b) {{ return "x" + {operand} + "|" }}\n'
    assert "_rt_int_str(" in python_code(source)
    assert "_rt_int_str(" not in python_code(_through_a_call(source, operand))
    for left, right in itertools.product(ARITH_LEFTS, ARITH_RIGHTS):
        program = source + f"print(f({left}, {right}))\n"
        assert outcome(program) == outcome(_through_a_call(program, operand)), (operand, left, right)


def test_int_first_text_holds_under_the_lowest_digit_limit():
    # str() raises above sys.get_int_max_str_digits(); the in-place str() only takes ints of at
    # most 600 digits, below the lowest limit a host may set (640): under that limit the
    # int-first path gives what the general path gives, never a Python exception
    import sys

    source = 'fn f(a, b) { return "x" + (a * b) }\n'
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        for value in ("10 ** 599", "10 ** 600", "10 ** 639", "10 ** 650", "10 ** 2000"):
            for sign in ("", "0 - "):
                program = source + f"print(f({sign}{value}, 1).length())\n"
                assert outcome(program) == outcome(_through_a_call(program, "(a * b)"))
        assert outcome(source + "print(f(10 ** 599, 1).length())\n") == "601"
    finally:
        sys.set_int_max_str_digits(previous)
