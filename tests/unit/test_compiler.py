"""End-to-end tests of the compiler: Graphoid source -> code object -> run."""

from __future__ import annotations

import re
import textwrap

import pytest

from test_compiler_support import make_namespace, parse, run, run_error, value

from graphoid.compiler import compile_program, dump
from graphoid.runtime.helpers import make_helpers
from graphoid.errors import GraphoidError


def out(source: str, **kwargs) -> list[str]:
    return run(textwrap.dedent(source), **kwargs)


def err(source: str) -> GraphoidError:
    return run_error(textwrap.dedent(source))


class TestArithmetic:
    def test_numbers(self):
        assert out("print(1 + 2, 7 - 10, 3 * 4, 7 / 2, 6 / 3, 2 ** 10)") == ["3 -3 12 3.5 2 1024"]
        assert out("print(7 // 2, -7 // 2, -7 % 3, 7 % -3, 12 ^ 10, 5 & 3, 5 | 3, ~5, 1 << 4, -16 >> 2)") == [
            "3 -3 -1 1 6 1 7 -6 16 -4"]

    def test_power_binds_left_unary(self):
        assert out("print(-2 ** 2, 2 ** 3 ** 2)") == ["4 512"]

    def test_string_plus(self):
        assert out('print("x" + none, "n=" + 3, 1.5 + "s", "a" + [1, "b"], "" + true)') == [
            "xnone n=3 1.5s a[1, b] true"]

    def test_list_plus_and_type_error(self):
        assert out("print([1] + [2, 3])") == ["[1, 2, 3]"]
        e = err("x = 1 + none")
        assert (e.kind, e.message) == ("TypeError", "Unsupported operation: num + none")

    def test_raw_operator_type_errors_become_graphoid_errors(self):
        e = err('x = "a" - 1')
        assert (e.kind, e.message) == ("TypeError", "Unsupported operation: string - num")
        e = err('x = "a" < 1')
        assert (e.kind, e.message) == ("TypeError", "Unsupported operation: string < num")
        e = err("x = -none")
        assert e.kind == "TypeError"

    def test_division_by_zero(self):
        for source, message in [("1 / 0", "Division by zero"), ("1 // 0", "Division by zero"),
                                ("1 % 0", "Modulo by zero"), ("1.5 / 0", "Division by zero")]:
            e = err(f"x = {source}")
            assert (e.kind, e.message) == ("RuntimeError", message), source

    def test_comparisons_and_equality(self):
        assert out('print(1 == true, 1 == 1.0, 0 == false, "1" == 1, none == false, none == none)') == [
            "false true false false false true"]
        assert out('a = 1\nb = true\nc = 1.0\nprint(a == b, a == c, a != b, [1, 2] == [1, 2], {"a": 1} == {"a": 1})') == [
            "false true true true true"]
        assert out('x = true\nprint(x == 1, x == true, x != 1)') == ["false true true"]
        assert out('x = 0\nprint(x == 0, x == false, x != 0)') == ["true false false"]
        assert out('print("a" < "b", 2 >= 2, 3 > 4)') == ["true true false"]
        assert out('s = :ok\nprint(s == :ok, s == :no, s != :ok)') == ["true false false"]

    def test_logical_yield_bools_and_short_circuit(self):
        assert out("print(1 and 2, 0 or none, not 0, not [1], true and [] )") == ["true false true false false"]
        source = """
        calls = []
        fn t(x) { calls.append!(x)
          return x }
        r = t(false) and t(true)
        s = t(1) or t(2)
        print(r, s, calls)
        """
        assert out(source) == ["false true [false, 1]"]

    def test_short_circuit_with_statements_on_the_right(self):
        source = """
        calls = []
        fn t(x) { calls.append!(x)
          return x }
        r = t(0) and t(1) + 1 > 0
        s = t(1) or t(2) + 1 > 0
        q = t(1) and t(2) + 1 > 0
        print(r, s, q, calls)
        """
        assert out(source) == ["false true true [0, 1, 1, 2]"]

    def test_left_to_right_evaluation(self):
        source = """
        order = []
        fn t(x) { order.append!(x)
          return x }
        r = t(1) + t(2) * t(3) - t(4)
        xs = [t(5), t(6) + t(7)]
        print(r, xs, order)
        """
        assert out(source) == ["3 [5, 13] [1, 2, 3, 4, 5, 6, 7]"]

    def test_operand_saved_before_later_side_effects(self):
        source = """
        xs = [1, 2, 3]
        y = xs.length() + xs.pop!()
        print(y, xs)
        n = 1
        fn bump() { n = n + 10
          return 1 }
        z = n + (bump() + 0)
        print(z, n)
        """
        assert out(source) == ["6 [1, 2]", "2 11"]

    def test_ternary_and_suffix_if(self):
        assert out('x = 5\nprint("big" if x > 2 else "small", "y" if x > 9, "s" + "t" if x else "u" + 1)') == [
            "big none st"]

    def test_regex_and_elementwise(self):
        assert out('print("hello" =~ /l+/, "HELLO" !~ /l+/, [1, 2] .+ [10, 20], [1, 2] .* 3)') == [
            "true true [11, 22] [3, 6]"]

    def test_integer_mode_truncates_assignments(self):
        source = """
        configure { integer: :integer } {
          q = 7 / 2
          r = -7 / 2
        }
        s = 7 / 2
        print(q, r, s)
        """
        assert out(source) == ["3 -3 3.5"]

    def test_unsigned_shift_scoped_to_body(self):
        assert out("configure { :unsigned } { print(-8 >> 1) }\nprint(-8 >> 1)") == ["9223372036854775804", "-4"]

    def test_configure_without_body_stays_in_force(self):
        from graphoid.values import ops

        try:
            assert out("configure { :unsigned }\nprint(-2 >> 62)") == ["3"]
        finally:
            ops.reset_config()


class TestVariablesAndScopes:
    def test_blocks_do_not_open_scopes(self):
        source = """
        if true { a = 1 }
        for i in [1, 2, 3] { last = i }
        while false { never = 1 }
        print(a, i, last)
        """
        assert out(source) == ["1 3 3"]

    def test_function_assigns_update_top_level_variables(self):
        source = """
        count = 0
        fn bump() { count = count + 1 }
        bump()
        bump()
        print(count)
        """
        assert out(source) == ["2"]

    def test_new_names_in_functions_are_local(self):
        source = """
        fn f() { fresh = 1
          return fresh }
        f()
        print(fresh)
        """
        e = err(source)
        assert (e.kind, e.message) == ("NameError", "Undefined variable 'fresh'")

    def test_closures_see_and_update_outer_variables(self):
        source = """
        fn make_counter() {
          count = 0
          return () => {
            count = count + 1
            count
          }
        }
        c = make_counter()
        d = make_counter()
        c()
        c()
        print(c(), d())
        fn outer() {
          total = 0
          fn add(n) { total = total + n }
          add(3)
          add(4)
          return total
        }
        print(outer())
        x = 1
        get = () => x
        x = 2
        print(get())
        """
        assert out(source) == ["3 1", "7", "2"]

    def test_parameters_shadow_outer_names(self):
        source = """
        n = 10
        fn f(n) { n = n + 1
          return n }
        print(f(1), n)
        """
        assert out(source) == ["2 10"]

    def test_undefined_variable_with_hint_and_span(self):
        e = err("counter = 1\nprint(countr)")
        assert (e.kind, e.message) == ("NameError", "Undefined variable 'countr'")
        assert e.hint == "did you mean 'counter'?"
        assert (e.span.line, e.span.col, e.span.end_col) == (2, 7, 13)

    def test_python_keywords_and_reserved_prefixes_are_mangled(self):
        source = """
        pass = 1
        _rt_add = 2
        class = pass + _rt_add
        fn lambda(with) { return with * 2 }
        print(class, lambda(with: 4))
        """
        assert out(source) == ["3 8"]

    def test_known_globals_are_updated_by_functions(self):
        ns = make_namespace([])
        run("total = 5", namespace=ns)
        lines = run("fn add(n) { total = total + n }\nadd(2)\nprint(total)", namespace=ns, known_globals=("total",))
        assert lines == ["7"]


class TestFunctions:
    def test_fib_and_calls_to_later_functions(self):
        source = """
        fn fib(n) {
          if n < 2 { return n }
          return fib(n - 1) + fib(n - 2)
        }
        fn main() { return helper(fib(15)) }
        fn helper(x) { return x + 1 }
        print(main())
        """
        assert out(source) == ["611"]

    def test_named_functions_return_none_lambdas_return_last_value(self):
        source = """
        fn f() { 42 }
        g = () => { 1
          42 }
        h = x => x * 2
        anon = fn(x) { x * 3 }
        anon2 = fn(x) { return x * 3 }
        print(f(), g(), h(4), anon(1), anon2(2))
        """
        assert out(source) == ["none 42 8 none 6"]

    def test_return_inside_lambda_returns_from_lambda(self):
        assert out("f = x => { if x > 0 { return \"pos\" }\n \"neg\" }\nprint(f(1), f(-1))") == ["pos neg"]

    def test_defaults_rest_and_missing_arguments(self):
        source = """
        fn f(a, b = a * 2, ...rest) { return [a, b, rest] }
        fn g(a, b = 3) { return [a, b] }
        print(f(1), f(1, 5), f(1, 5, 6, 7), g())
        """
        assert out(source) == ["[1, 2, []] [1, 5, []] [1, 5, [6, 7]] [none, 3]"]

    def test_defaults_are_evaluated_per_call(self):
        source = """
        fn f(xs = []) { xs.append!(1)
          return xs }
        print(f(), f())
        """
        assert out(source) == ["[1] [1]"]

    def test_named_arguments(self):
        assert out("fn f(a, b = 2, c = 3) { return [a, b, c] }\nprint(f(1, c: 9), f(b: 5, a: 0))") == [
            "[1, 2, 9] [0, 5, 3]"]
        e = err("fn f(a) { return a }\nf(z: 1)")
        assert e.kind == "TypeError" and "unknown named argument 'z'" in e.message

    def test_too_many_arguments(self):
        e = err("fn f(a, b) { return a }\nf(1, 2, 3)")
        assert (e.kind, e.message) == ("TypeError", "f() takes 2 arguments but 3 were given")
        e = err("g = x => x\ng(1, 2)")
        assert re.fullmatch(r"<lambda at .+:\d+>\(\) takes 1 arguments but 2 were given", e.message)

    def test_overloading_by_arity(self):
        source = """
        fn area(r) { return r * r }
        fn area(w, h) { return w * h }
        print(area(3), area(2, 5))
        fn area(w, h) { return w + h }
        print(area(3), area(2, 5))
        """
        assert out(source) == ["9 10", "9 7"]

    def test_pattern_clause_functions(self):
        source = """
        fn fact(n) {
          |0| => 1
          |k| => k * fact(k - 1)
        }
        fn sign(n) {
          |x| if x < 0 => "neg"
          |0| => "zero"
          |x| => "pos"
        }
        fn only(n) {
          |1| => "one"
        }
        print(fact(5), sign(-2), sign(0), sign(3), only(2))
        """
        assert out(source) == ["120 neg zero pos none"]

    def test_function_metadata(self):
        ns = make_namespace([])
        run("fn add(a, b) { return a + b }\nsq = x => x * x", namespace=ns)
        assert ns["add"]._gd_name == "add" and ns["add"]._gd_params == ("a", "b")
        assert ns["sq"]._gd_name is None and ns["sq"]._gd_params == ("x",)
        assert out("fn add(a) { return a }\nprint(add, x => x)") == ["<function add> <lambda(x)>"]

    def test_statement_values(self):
        assert value("x = 5") is None
        assert value("x = 3\nif x > 2 { \"big\" } else { \"small\" }") == "big"
        assert value("if false { 1 }") is None
        assert value("i = 0\nwhile i < 3 { i = i + 1 }") is None
        assert value("1 + 2\n") == 3
        assert value("match 2 { 1 => \"a\", 2 => \"b\" }") == "b"
        assert value("f = () => { x = 7 }\nf()") == 7
        assert value("f = () => { if true { 5 } else { 6 } }\nf()") == 5


class TestControlFlow:
    def test_if_else_chains(self):
        source = """
        fn cls(x) {
          if x > 0 { return "pos" } else if x < 0 { return "neg" } else { return "zero" }
        }
        print(cls(3), cls(-1), cls(0))
        label = if 7 > 5 { "big" } else { "small" }
        print(label)
        """
        assert out(source) == ["pos neg zero", "big"]

    def test_while_break_continue(self):
        source = """
        i = 0
        seen = []
        while true {
          i = i + 1
          if i % 2 == 0 { continue }
          if i > 7 { break }
          seen.append!(i)
        }
        print(seen)
        """
        assert out(source) == ["[1, 3, 5, 7]"]

    def test_while_condition_with_statements(self):
        assert out('s = ""\nwhile s + "" != "aaa" { s = s + "a" }\nprint(s)') == ["aaa"]

    def test_for_over_lists_strings_maps(self):
        source = """
        for x in [1, 2] { print(x) }
        for c in "hé" { print(c) }
        m = {"a": 1, "b": 2}
        for k in m { print(k) }
        """
        assert out(source) == ["1", "2", "h", "é", "a", "b"]
        e = err("for x in 5 { }")
        assert (e.kind, e.message) == ("TypeError", "Cannot iterate over num")

    def test_break_outside_loop_is_a_syntax_error(self):
        with pytest.raises(GraphoidError) as info:
            compile_program(parse("break"), "<t>")
        assert info.value.kind == "SyntaxError"
        with pytest.raises(GraphoidError) as info:
            compile_program(parse("return 1"), "<t>")
        assert info.value.kind == "SyntaxError"

    def test_match(self):
        source = """
        fn describe(x) {
          return match x {
            0 => "zero",
            :ok => "symbol",
            "s" => "string",
            [] => "empty",
            [h, ...t] => "list " + h + " " + t,
            n if n > 100 => "big",
            _ => "other"
          }
        }
        print(describe(0), describe(:ok), describe("s"), describe([]), describe([1, 2, 3]), describe(500), describe(5))
        print(describe(false), describe([[1]]))
        """
        assert out(source) == ["zero symbol string empty list 1 [2, 3] big other", "other list [1] []"]

    def test_match_block_arms_bindings_and_no_match(self):
        source = """
        r = match [1, 2] {
          [a, b] => {
            s = a + b
            s * 10
          }
          _ => 0
        }
        print(r, a, b, s)
        none_result = match 5 { 1 => "one" }
        print(none_result)
        match 3 { 3 => print("statement"), _ => print("no") }
        """
        assert out(source) == ["30 1 2 3", "none", "statement"]

    def test_match_list_patterns_with_symbols(self):
        source = """
        msg = [:init, 5]
        r = match msg { [:stop] => "stop", [:init, n] => n * 2, _ => "?" }
        print(r)
        """
        assert out(source) == ["10"]


class TestErrors:
    def test_try_catch_finally(self):
        source = """
        try { x = 1 / 0 } catch RuntimeError as e { print("caught", e.message()) } finally { print("fin") }
        try { raise ValueError("bad") } catch TypeError { print("no") } catch as e { print(e.type(), e.message()) }
        try { raise "oops" } catch Error as e { print(e) }
        try { raise 5 } catch TypeError as e { print("type") }
        try { missing() } catch as e { print(e.message()) }
        try { [1][5] } catch as e { print(e.message()) }
        """
        assert out(source) == ["caught Division by zero", "fin", "ValueError bad", "RuntimeError: oops", "type",
                               "Undefined variable 'missing'", "Index out of bounds: 5 (length 1)"]

    def test_catch_matches_the_hierarchy_and_rethrows_others(self):
        source = """
        try {
          try { raise ValueError("inner") } catch TypeError { print("wrong") }
        } catch ValueError as e { print("outer", e.message()) }
        """
        assert out(source) == ["outer inner"]
        from graphoid.errors import GraphoidError as GE

        e = err('try { raise IOError("x") } catch ValueError { print("no") }')
        assert e.kind == "IOError"
        assert isinstance(e, GE)

    def test_catch_variable_and_assignments_are_visible_after(self):
        source = """
        fn risky() {
          status = "start"
          try { raise "boom" } catch as e { status = "failed: " + e.message() }
          return status
        }
        print(risky())
        """
        assert out(source) == ["failed: boom"]

    def test_finally_runs_on_return_and_break(self):
        source = """
        log = []
        fn f() {
          try { return 1 } finally { log.append!("f") }
        }
        f()
        for i in [1, 2] {
          try { break } finally { log.append!("loop") }
        }
        print(log)
        """
        assert out(source) == ["[f, loop]"]

    def test_stack_overflow(self):
        e = err("fn deep(n) { return deep(n + 1) }\ndeep(0)")
        assert (e.kind, e.message) == ("RecursionError", "Stack overflow (recursion too deep)")
        assert e.span.line == 1
        assert 1 < len(e.trace) < 50
        assert out("fn r(n) { return r(n + 1) }\ntry { r(1) } catch as e { print(e.message()) }") == [
            "Stack overflow (recursion too deep)"]

    def test_span_and_graphoid_stack(self):
        e = err("fn inner(x) {\n  return x / 0\n}\nfn outer() { return inner(1) }\nouter()")
        assert (e.span.line, e.span.col) == (2, 10)
        assert [t.function for t in e.trace] == ["<main>", "outer", "inner"]
        assert [t.span.line for t in e.trace] == [5, 4, 2]

    def test_index_errors(self):
        e = err("xs = [1, 2]\nprint(xs[2])")
        assert (e.kind, e.message, e.span.line) == ("IndexError", "Index out of bounds: 2 (length 2)", 2)
        assert out('xs = [1, 2, 3]\nprint(xs[-1], xs[1.0], "abc"[1], {"k": 4}["k"])') == ["3 2 b 4"]
        e = err('m = {"a": 1}\nprint(m["b"])')
        assert e.kind == "KeyError"

    def test_calling_a_non_function(self):
        e = err("x = 5\nx(1)")
        assert e.kind == "TypeError"

    def test_limits_tick_in_loops_and_calls(self):
        e = err_limits("while true { }")
        assert e.kind == "LimitError"
        e = err_limits("fn f() { return f() }\nf()")
        assert e.kind in ("LimitError", "RuntimeError")
        source = "fn f() { return 1 }\nwhile true { f() }"
        code = compile_program(parse(source), "<t>", limits=True)
        assert "_rt_tick" in code.co_names or any(
            "_rt_tick" in c.co_names for c in code.co_consts if hasattr(c, "co_names"))
        plain = compile_program(parse(source), "<t>")
        assert "_rt_tick" not in plain.co_names


def err_limits(source: str) -> GraphoidError:
    try:
        run(source, limits=True)
    except GraphoidError as exc:
        return exc
    raise AssertionError("no error")


class TestGraphs:
    def test_class_like_graphs(self):
        source = """
        graph Animal {
          name: "unnamed"
          sound: "..."
          fn speak() { return name + " says " + sound }
          fn rename(n) {
            name = n
            return self
          }
          fn shout() { speak().upper() }
        }
        graph Dog from Animal {
          sound: "woof"
          fn speak() { return "Dog: " + super.speak() }
        }
        a = Animal { name: "cat" }
        d = Dog { name: "Rex" }
        print(a.speak(), d.speak())
        d.rename("Max")
        print(d.name, d.shout(), a.name)
        """
        assert out(source) == ["cat says ... Dog: Rex says woof", "Max DOG: MAX SAYS WOOF cat"]

    def test_implicit_self_property_bang_and_index(self):
        source = """
        graph Bag {
          items: []
          fn add(x) { items.append!(x) }
          fn set_first(v) { items[0] = v }
          fn count() { return items.length() }
        }
        b = Bag.clone()
        b.add(1)
        b.add(2)
        b.set_first(9)
        print(b.items, b.count())
        """
        assert out(source) == ["[9, 2] 2"]

    def test_self_property_paths(self):
        source = """
        graph Box {
          data: {}
          fn put(k, v) { self.data[k] = v }
          fn push(v) { self.log.append!(v) }
          log: []
        }
        b = Box.clone()
        b.put("a", 1)
        b.push(5)
        print(b.data, b.log)
        """
        assert out(source) == ['{"a": 1} [5]']

    def test_receiver_form_methods(self):
        source = """
        counter = graph {}
        counter.count = 0
        fn counter.bump() {
          count = count + 1
          count
        }
        counter.bump()
        print(counter.bump(), counter.count)
        """
        assert out(source) == ["2 2"]

    def test_graph_literals_and_properties(self):
        source = """
        g = graph { type: :directed }
        g.add_node("a", 1)
        g.add_node("b", 2)
        g.title = "t"
        print(g.title, g["a"], g.missing)
        for id in g { print(id) }
        """
        assert out(source) == ["t 1 none", "a", "b"]

    def test_guarded_methods(self):
        source = """
        graph Dog {
          name: "x"
          fn describe() when name == "Rex" { return "famous" }
          fn describe() { return "a dog" }
        }
        a = Dog { name: "Rex" }
        b = Dog { name: "Fido" }
        print(a.describe(), b.describe())
        """
        assert out(source) == ["famous a dog"]


class TestMisc:
    def test_repl_mode_stores_last_value(self):
        assert value("x = 2\nx * 21") == 42
        assert value("print(1)\n") is None or True
        assert value("fn f() { return 1 }") is None

    def test_symbols_are_constants(self):
        ns = make_namespace([])
        run("a = :red\nb = :red", namespace=ns)
        assert ns["a"] is ns["b"]

    def test_raise_is_an_expression(self):
        source = 'fn check(x) { return if x > 1 { x } else { raise "small" } }\nprint(check(5))\ncheck(0)'
        e = err(source)
        assert (e.kind, e.message) == ("RuntimeError", "small")
        assert out('fn check(x) { return if x > 1 { x } else { raise "small" } }\nprint(check(5))') == ["5"]

    def test_positions_survive_in_code(self):
        code = compile_program(parse("x = 1\n\ny = x + undefined_name"), "<pos>")
        lines = {pos[0] for pos in code.co_positions() if pos[0]}
        assert lines == {1, 3}

    def test_dump_shows_fast_path(self):
        text = dump(parse("fn f(a, b) { return a + b }"))
        assert "except _rt_TypeError" in text and "return a + b" in text

    def test_runtime_helpers_cover_emitted_names(self):
        helpers = make_helpers()
        source = textwrap.dedent("""
            x = [1, 2]
            x.append!(3)
            x[0] = 5
            m = {"a": 1}
            m.b = 2
            y = m.a + x[1] // 2 % 3 ** 2
            z = y & 1 | 2 ^ 3 << 1 >> 1
            w = ~z
            s = :sym
            r = /ab+/i
            e = [1] .+ [2]
            f = x => x
            q = "a" =~ /a/
            match x { [a, ...rest] => a, _ => 0 }
            try { raise "x" } catch ValueError { } catch as err { }
            configure { :unsigned } { v = 1 }
            for i in x { }
            g = graph {}
        """)
        code = compile_program(parse(source), "<names>")
        names: set[str] = set()
        stack = [code]
        while stack:
            current = stack.pop()
            names |= {n for n in current.co_names if re.match(r"_rt_(?![a-z]?\d+$|f[0-9a-z]+_\d+$)", n)}
            stack.extend(c for c in current.co_consts if hasattr(c, "co_names"))
        assert names - set(helpers) == set()


class TestMethodScopes:
    def test_block_self_calls_reach_the_running_receiver(self):
        source = """
        graph Suite {
          log: []
          fn describe(name, block) {
            log.append!("describe " + name)
            block()
          }
          fn it(name, block) {
            log.append!("it " + name)
            block()
          }
        }
        tests = Suite.clone()
        tests.describe("String") { ||
          it("length") { || print("inner") }
        }
        print(tests.log)
        """
        assert out(source) == ["inner", "[describe String, it length]"]

    def test_unknown_call_in_a_block_is_still_undefined(self):
        e = err("xs = [1]\nys = xs.map(x => nothing_here(x))")
        assert (e.kind, e.message) == ("NameError", "Undefined variable 'nothing_here'")

    def test_inherited_properties_are_implicit_self_in_subclasses(self):
        source = """
        graph Base {
          count: 0
          items: []
        }
        graph Child from Base {
          fn add(x) {
            count = count + 1
            items.append!(x)
            local = [x]
            local.append!(count)
            return local
          }
        }
        c = Child.clone()
        c.add(5)
        print(c.add(6), c.count, c.items)
        """
        assert out(source) == ["[6, 2] 2 [5, 6]"]

    def test_method_locals_do_not_leak_into_properties(self):
        source = """
        graph P {
          name: "p"
          fn f() {
            temp = name + "!"
            return temp
          }
        }
        p = P.clone()
        print(p.f(), p.temp)
        """
        assert out(source) == ["p! none"]

    def test_parameters_shadow_properties(self):
        source = """
        graph P {
          name: "p"
          fn rename(name) {
            name = name + "?"
            return name
          }
        }
        p = P.clone()
        print(p.rename("q"), p.name)
        """
        assert out(source) == ["q? p"]

    def test_declared_properties_beat_globals_in_methods(self):
        source = """
        total = 100
        graph Acc {
          total: 0
          fn add(n) { total = total + n }
        }
        a = Acc.clone()
        a.add(5)
        print(a.total, total)
        """
        assert out(source) == ["5 100"]

    def test_lambdas_inside_methods_see_self(self):
        source = """
        graph Scaler {
          factor: 3
          fn scale(xs) { return xs.map(x => x * factor) }
        }
        s = Scaler.clone()
        print(s.scale([1, 2]))
        """
        assert out(source) == ["[3, 6]"]

    def test_super_outside_a_method_is_a_syntax_error(self):
        with pytest.raises(GraphoidError) as info:
            compile_program(parse("x = super.f()"), "<t>")
        assert info.value.kind == "SyntaxError"


class TestLiteralsAndSettings:
    def test_pattern_literal_and_graph_match(self):
        source = """
        p = pattern {
          a -> b [FRIEND]
        }
        g = graph {}
        g.add_node("x", 1)
        g.add_node("y", 2)
        g.add_edge("x", "y", "FRIEND")
        print(g.match(p))
        """
        assert out(source) == ['[{"a": x, "b": y}]']

    def test_await_of_a_plain_value_is_the_value(self):
        assert out("x = await 5\nprint(x)") == ["5"]

    def test_lenient_error_mode_division(self):
        assert out("configure { error_mode: :lenient } { print(1 / 0, 1 // 0) }") == ["none none"]
        e = err("configure { error_mode: :lenient } { x = 1 }\ny = 1 / 0")
        assert e.message == "Division by zero"


class TestArithmeticProperties:
    """Compiled operators agree with an independent model of the reference semantics."""

    @staticmethod
    def _model(op: str, a: int, b: int):
        if op == "//":
            q = abs(a) // abs(b)
            return q if (a < 0) == (b < 0) else -q
        if op == "%":
            return int(__import__("math").fmod(a, b))
        return {"+": a + b, "-": a - b, "*": a * b}[op]

    def test_integer_operators(self):
        from hypothesis import given, settings, strategies as st

        ns = make_namespace([])
        run("fn calc(a, b) { return [a + b, a - b, a * b, a // b, a % b] }", namespace=ns)
        calc = ns["calc"]

        @settings(max_examples=200, deadline=None)
        @given(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6).filter(lambda b: b != 0))
        def check(a, b):
            assert list(calc(a, b)) == [self._model(op, a, b) for op in ("+", "-", "*", "//", "%")]

        check()

    def test_string_concatenation_with_numbers(self):
        from hypothesis import given, settings, strategies as st

        ns = make_namespace([])
        run('fn cat(s, n) { return s + n }', namespace=ns)
        cat = ns["cat"]

        @settings(max_examples=100, deadline=None)
        @given(st.text(max_size=5), st.integers(-1000, 1000))
        def check(s, n):
            assert cat(s, n) == s + str(n)

        check()


class TestMethodArityAndSettingsScope:
    def test_methods_need_their_arguments(self):
        source = """
        graph G {
          fn one(a) { return a }
          fn opt(a, b = 2) { return [a, b] }
        }
        g = G.clone()
        print(g.one(1), g.opt(1))
        g.one()
        """
        e = err(source)
        assert e.kind == "TypeError" and e.message == "one() is missing 1 argument(s): a"

    def test_open_configure_ends_with_the_file_or_function(self):
        from graphoid.values import ops

        assert out("configure { :unsigned }\nprint(-1 >> 60)") == ["15"]
        assert not ops.CONFIG.unsigned
        source = """
        fn f() {
          configure { :unsigned }
          return -1 >> 60
        }
        print(f(), -1 >> 60)
        """
        assert out(source) == ["15 -1"]


class TestReplAndSymbols:
    def test_odd_symbol_names(self):
        ns = make_namespace([])
        run("a = :__class__\nb = :x", namespace=ns)
        from graphoid.values.types import Symbol

        assert ns["a"] is Symbol("__class__") and ns["b"] is Symbol("x")

    def test_repl_inputs_overload_earlier_functions(self):
        ns = make_namespace([])
        run("fn f(a) { return 1 }", namespace=ns)
        lines = run("fn f(a, b) { return 2 }\nprint(f(0), f(0, 0))", namespace=ns, known_globals=("f",))
        assert lines == ["1 2"]


def test_limit_errors_escape_catch_all():
    e = err_limits("while true {\n  try { while true { } } catch as e { }\n}")
    assert e.kind == "LimitError"
    e = err_limits("try { while true { } } catch Error { print(\"no\") }")
    assert e.kind == "LimitError"


def test_left_operand_is_read_before_a_call_on_the_right():
    source = """
    x = 1
    fn bump() {
      x = 100
      return 1
    }
    y = x + bump()
    xs = [5, 6]
    fn grow() {
      xs = [7]
      return 0
    }
    z = xs[grow()]
    print(y, z)
    """
    assert out(source) == ["2 5"]


def test_arithmetic_trees_keep_graphoid_semantics_and_spans():
    assert out('a = "n"\nb = 2\nprint(a + b * 3 + "!", 1 + b * 3 - 1 < 7 + 0)') == ["n6! true"]
    e = err('a = "n"\nb = 2\nc = 1 + (a + b) - 1')
    assert (e.kind, e.message) == ("TypeError", "Unsupported operation: string - num")
    assert (e.span.line, e.span.col) == (3, 5)
    assert out("configure { error_mode: :lenient } { x = 1\n y = 0\n print(x / y, 1 + 2 / 4) }") == ["none 1.5"]


def test_loop_and_catch_variables_in_functions_stay_local():
    source = """
    i = 0
    e = "outer"
    fn helper() {
      for i in [7, 8] { }
      try { raise "x" } catch as e { }
      r = match 5 { n => n }
      return i
    }
    count = 0
    while i < 3 {
      helper()
      count = count + 1
      i = i + 1
    }
    print(count, i, e, helper())
    """
    assert out(source) == ["3 3 outer 8"]


def test_super_in_receiver_form_methods():
    source = """
    graph Base { fn hi() { return "base" } }
    graph Kid from Base { }
    fn Kid.hi() { return "kid+" + super.hi() }
    k = Kid.clone()
    print(k.hi())
    """
    assert out(source) == ["kid+base"]


def test_python_level_syntax_problems_are_graphoid_syntax_errors():
    from graphoid.syntax import ast as g

    span = g.Span("<dup>", 2, 1, 2, 20)
    params = (g.Param("a", span=span), g.Param("a", span=span))
    fn = g.FnDef("f", params, g.Block((g.Return(g.Name("a", span=span), span=span),), span=span), span=span)
    with pytest.raises(GraphoidError) as info:
        compile_program(g.Program((fn,), span=span), "<dup>")
    assert info.value.kind == "SyntaxError"
    assert "duplicate parameter name 'a'" in info.value.message
    assert info.value.span.line == 2
