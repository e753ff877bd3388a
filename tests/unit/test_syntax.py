"""Parser tests: every construct of LANGUAGE_STUDY §1 and EXTENSIONS 1-9, as compact dumps."""

from __future__ import annotations

import pytest

from graphoid.errors import GraphoidError
from graphoid.syntax import ast as A
from graphoid.syntax import parse
from graphoid.syntax.dump import dump


def stmts(source: str) -> list[str]:
    return [dump(s) for s in parse(source).body]


def one(source: str) -> str:
    body = stmts(source)
    assert len(body) == 1, body
    return body[0]


def expr(source: str) -> str:
    """Dump of the value of `x = <source>`."""
    node = parse("x = " + source).body[0]
    assert isinstance(node, A.Assign)
    return dump(node.value)


N = "(Name {!r})".format


def C(v: object) -> str:
    return f"(Const {v!r})"


def B(op: str, a: str, b: str) -> str:
    return f"(Binary {op!r} {a} {b})"


# ----------------------------------------------------------------------------- precedence

PRECEDENCE = [
    ("1 + 2 * 3", B("+", C(1), B("*", C(2), C(3)))),
    ("1 - 2 - 3", B("-", B("-", C(1), C(2)), C(3))),
    ("2 ** 3 ** 2", B("**", C(2), B("**", C(3), C(2)))),
    ("-2 ** 2", B("**", "(Unary '-' (Const 2))", C(2))),
    ("2 ** -1", B("**", C(2), "(Unary '-' (Const 1))")),
    ("not a == b", B("==", "(Unary 'not' (Name 'a'))", N("b"))),
    ("a or b and c", "(Logical 'or' (Name 'a') (Logical 'and' (Name 'b') (Name 'c')))"),
    ("a || b && c", "(Logical 'or' (Name 'a') (Logical 'and' (Name 'b') (Name 'c')))"),
    ("a == b < c", B("==", N("a"), B("<", N("b"), N("c")))),
    ("a < b | c", B("<", N("a"), B("|", N("b"), N("c")))),
    ("a | b ^ c", B("|", N("a"), B("^", N("b"), N("c")))),
    ("a ^ b & c", B("^", N("a"), B("&", N("b"), N("c")))),
    ("a & b << c", B("&", N("a"), B("<<", N("b"), N("c")))),
    ("a << b + c", B("<<", N("a"), B("+", N("b"), N("c")))),
    ("a + b // c % d", B("+", N("a"), B("%", B("//", N("b"), N("c")), N("d")))),
    ("a =~ b == c", B("==", B("=~", N("a"), N("b")), N("c"))),
    ("a !~ b", B("!~", N("a"), N("b"))),
    ("a .+ b .* c", B(".+", N("a"), B(".*", N("b"), N("c")))),
    ("a .== b", B(".==", N("a"), N("b"))),
    ("a ./ b .// c .% d .^ e .** f", B(".^", B(".%", B(".//", B("./", N("a"), N("b")), N("c")), N("d")),
                                       B(".**", N("e"), N("f")))),
    ("a .< b", B(".<", N("a"), N("b"))),
    ("~a & b", B("&", "(Unary '~' (Name 'a'))", N("b"))),
    ("- -a", "(Unary '-' (Unary '-' (Name 'a')))"),
    ("(1 + 2) * 3", B("*", B("+", C(1), C(2)), C(3))),
    ("a >= b != c <= d", B("!=", B(">=", N("a"), N("b")), B("<=", N("c"), N("d")))),
    ("12 ^ 10 >> 1", B("^", C(12), B(">>", C(10), C(1)))),
]


@pytest.mark.parametrize("source,expected", PRECEDENCE)
def test_precedence(source: str, expected: str) -> None:
    assert expr(source) == expected


def test_ternary_and_suffix_conditionals() -> None:
    assert expr('"big" if n > 2 else "small"') == (
        "(Ternary (Const 'big') " + B(">", N("n"), C(2)) + " (Const 'small'))"
    )
    assert one("log(1) if verbose") == "(ExprStmt (Ternary (Call (Name 'log') [(Arg (Const 1) None)]) (Name 'verbose') None))"
    assert one("log(1) unless quiet") == (
        "(ExprStmt (Ternary (Call (Name 'log') [(Arg (Const 1) None)]) (Unary 'not' (Name 'quiet')) None))"
    )
    # The condition binds at `or` level; the else branch may chain.
    assert expr("a if b or c else d if e else f") == (
        "(Ternary (Name 'a') (Logical 'or' (Name 'b') (Name 'c')) (Ternary (Name 'd') (Name 'e') (Name 'f')))"
    )


# ----------------------------------------------------------------------------- literals

LITERALS = [
    ("42", C(42)),
    ("1.5", C(1.5)),
    (".5", C(0.5)),
    ("0xFF_00", C(0xFF00)),
    ("0b1010_0101", C(0b10100101)),
    ("100ms", C(100)),
    ("2s", C(2000)),
    ("1.5s", C(1500)),
    ("0.25s", C(250)),
    ('"a\\nb\\tc\\\\d\\"e"', C('a\nb\tc\\d"e')),
    ("'it\\'s'", C("it's")),
    ('"\\d\\q"', C("dq")),
    ('"multi\nline"', C("multi\nline")),
    ("true", C(True)),
    ("false", C(False)),
    ("none", C(None)),
    (":name", "(SymbolLit 'name')"),
    (":32bit", "(SymbolLit '32bit')"),
    ("/ab+c/i", "(RegexLit 'ab+c' 'i')"),
    ("/a\\/b\\d/", "(RegexLit 'a/b\\\\d' '')"),
    ("[]", "(ListLit [])"),
    ("[1, [2], 3,]", "(ListLit [(Const 1) (ListLit [(Const 2)]) (Const 3)])"),
    ("{}", "(MapLit [])"),
    ('{"k": 1, other: 2}', "(MapLit [['k' (Const 1)] ['other' (Const 2)]])"),
    ("{from: 1, if: 2, list: 3}", "(MapLit [['from' (Const 1)] ['if' (Const 2)] ['list' (Const 3)]])"),
    ("list<num>[1, 2]", "(ListLit [(Const 1) (Const 2)])"),
    ('hash<num>{"a": 1}', "(MapLit [['a' (Const 1)]])"),
    ("graph { type: :directed }", "(GraphLit [['type' (SymbolLit 'directed')]] None 'graph')"),
    ("graph{type: :directed, ruleset: :dag}",
     "(GraphLit [['type' (SymbolLit 'directed')] ['ruleset' (SymbolLit 'dag')]] None 'graph')"),
    ("graph {}", "(GraphLit [] None 'graph')"),
    ("graph from Base {}", "(GraphLit [] (Name 'Base') 'graph')"),
    ("tree {}", "(GraphLit [] None 'tree')"),
    ("Point { x: 1, y: 2 }", "(Instantiate (Name 'Point') [['x' (Const 1)] ['y' (Const 2)]])"),
    ("Point {}", "(Instantiate (Name 'Point') [])"),
    ("geo.Point { x: 1 }", "(Instantiate (Attr (Name 'geo') 'Point') [['x' (Const 1)]])"),
]


@pytest.mark.parametrize("source,expected", LITERALS)
def test_literals(source: str, expected: str) -> None:
    assert expr(source) == expected


def test_huge_integer_literal_is_exact() -> None:
    assert expr("1" + "0" * 100) == C(10 ** 100)


def test_number_followed_by_dot_is_a_method_call() -> None:
    assert expr("5.to_string()") == "(MethodCall (Const 5) 'to_string' [] False)"


def test_map_literal_over_lines_and_trailing_comma() -> None:
    src = 'x = {\n  "a": 1,\n  b: [1,\n 2],\n}\n'
    assert one(src) == "(Assign (Name 'x') (MapLit [['a' (Const 1)] ['b' (ListLit [(Const 1) (Const 2)])]]) None)"


# ----------------------------------------------------------------------------- postfix & calls

def test_calls_methods_indexes() -> None:
    assert expr("f(1, key: 2)") == "(Call (Name 'f') [(Arg (Const 1) None) (Arg (Const 2) 'key')])"
    assert expr("a.b(1).c[2].d") == (
        "(Attr (Index (Attr (MethodCall (Name 'a') 'b' [(Arg (Const 1) None)] False) 'c') (Const 2)) 'd')"
    )
    assert one("xs.sort!()") == "(ExprStmt (MethodCall (Name 'xs') 'sort' [] True))"
    assert expr("xs.pop!()") == "(MethodCall (Name 'xs') 'pop' [] True)"
    assert expr("f(a)(b)") == "(Call (Call (Name 'f') [(Arg (Name 'a') None)]) [(Arg (Name 'b') None)])"
    assert expr("g.send(x, from: self.id)") == (
        "(MethodCall (Name 'g') 'send' [(Arg (Name 'x') None) (Arg (Attr (Name 'self') 'id') 'from')] False)"
    )


def test_keywords_are_member_names() -> None:
    for word in ("match", "return", "map", "module", "list", "rule", "select", "if", "set", "not", "graph"):
        assert expr(f"g.{word}(1)") == f"(MethodCall (Name 'g') '{word}' [(Arg (Const 1) None)] False)"
    assert expr("e.type") == "(Attr (Name 'e') 'type')"


def test_type_words_as_names() -> None:
    assert expr("list.generate(1, 3)") == (
        "(MethodCall (Name 'list') 'generate' [(Arg (Const 1) None) (Arg (Const 3) None)] False)"
    )
    assert expr('string(5) + num("3")') == B(
        "+", "(Call (Name 'string') [(Arg (Const 5) None)])", "(Call (Name 'num') [(Arg (Const '3') None)])"
    )
    assert one("fn pagerank(graph, n) { graph.broadcast(:init) }").startswith(
        "(FnDef 'pagerank' [(Param 'graph' None False) (Param 'n' None False)]"
    )
    assert expr("graph") == N("graph")
    assert expr("pattern + await") == B("+", N("pattern"), N("await"))


def test_super_call() -> None:
    assert expr("super.speak(1)") == "(SuperCall 'speak' [(Arg (Const 1) None)])"


def test_duplicate_named_argument_is_an_error() -> None:
    with pytest.raises(GraphoidError, match="given twice"):
        parse("f(a: 1, a: 2)")


# ----------------------------------------------------------------------------- lambdas

LAMBDAS = [
    ("x => x * 2", "(Lambda [(Param 'x' None False)] " + B("*", N("x"), C(2)) + " 'lambda')"),
    ("() => 1", "(Lambda [] (Const 1) 'lambda')"),
    ("(a, b) => a + b",
     "(Lambda [(Param 'a' None False) (Param 'b' None False)] " + B("+", N("a"), N("b")) + " 'lambda')"),
    ("(a) => { return a }", "(Lambda [(Param 'a' None False)] (Block [(Return (Name 'a'))]) 'lambda')"),
    ("x => {}", "(Lambda [(Param 'x' None False)] (Block []) 'lambda')"),
    ("x => { k: x }", "(Lambda [(Param 'x' None False)] (MapLit [['k' (Name 'x')]]) 'lambda')"),
    ("{ |x, i| x + i }",
     "(Lambda [(Param 'x' None False) (Param 'i' None False)] (Block [(ExprStmt " + B("+", N("x"), N("i"))
     + ")]) 'lambda')"),
    ("{ || 5 }", "(Lambda [] (Block [(ExprStmt (Const 5))]) 'lambda')"),
    ("{ |list, map| list }", "(Lambda [(Param 'list' None False) (Param 'map' None False)] (Block [(ExprStmt (Name 'list'))]) 'lambda')"),
    ("fn(a, b = 1) { return a }",
     "(Lambda [(Param 'a' None False) (Param 'b' (Const 1) False)] (Block [(Return (Name 'a'))]) 'fn')"),
    ("fn() {}", "(Lambda [] (Block []) 'fn')"),
]


@pytest.mark.parametrize("source,expected", LAMBDAS)
def test_lambdas(source: str, expected: str) -> None:
    assert expr(source) == expected


def test_block_lambda_body_on_several_lines() -> None:
    src = "f = { |x|\n  y = x + 1\n  y * 2\n}"
    assert one(src) == (
        "(Assign (Name 'f') (Lambda [(Param 'x' None False)] (Block [(Assign (Name 'y') "
        + B("+", N("x"), C(1)) + " None) (ExprStmt " + B("*", N("y"), C(2)) + ")]) 'lambda') None)"
    )


def test_trailing_blocks() -> None:
    lam = "(Lambda [(Param 'n' None False)] (Block [(ExprStmt " + B("*", N("n"), C(2)) + ")]) 'lambda')"
    assert expr("apply(5) { |n| n * 2 }") == f"(Call (Name 'apply') [(Arg (Const 5) None) (Arg {lam} None)])"
    assert expr("xs.map { |n| n * 2 }") == f"(MethodCall (Name 'xs') 'map' [(Arg {lam} None)] False)"
    assert expr("obj.build(1) { |n| n * 2 }") == (
        f"(MethodCall (Name 'obj') 'build' [(Arg (Const 1) None) (Arg {lam} None)] False)"
    )
    assert expr("f { || 1 }") == "(Call (Name 'f') [(Arg (Lambda [] (Block [(ExprStmt (Const 1))]) 'lambda') None)])"


def test_lambda_as_argument_and_map_value() -> None:
    assert expr("xs.filter(n => n > 1)") == (
        "(MethodCall (Name 'xs') 'filter' [(Arg (Lambda [(Param 'n' None False)] "
        + B(">", N("n"), C(1)) + " 'lambda') None)] False)"
    )
    assert expr("{ f: x => x }") == "(MapLit [['f' (Lambda [(Param 'x' None False)] (Name 'x') 'lambda')]])"
    assert expr("req(where: n => true)") == (
        "(Call (Name 'req') [(Arg (Lambda [(Param 'n' None False)] (Const True) 'lambda') 'where')])"
    )


# ----------------------------------------------------------------------------- commands

def test_command_calls() -> None:
    src = 'describe "Math" {\n  it "adds", 2 {\n    1\n  }\n  before_each { setup() }\n}'
    assert one(src) == (
        "(ExprStmt (Call (Name 'describe') [(Arg (Const 'Math') None) (Arg (Lambda [] (Block ["
        "(ExprStmt (Call (Name 'it') [(Arg (Const 'adds') None) (Arg (Const 2) None) "
        "(Arg (Lambda [] (Block [(ExprStmt (Const 1))]) 'lambda') None)])) "
        "(ExprStmt (Call (Name 'before_each') [(Arg (Lambda [] (Block [(ExprStmt (Call (Name 'setup') []))]) "
        "'lambda') None)]))]) 'lambda') None)]))"
    )


def test_command_method_calls() -> None:
    assert one('runner.it "x" { 1 }') == (
        "(ExprStmt (MethodCall (Name 'runner') 'it' [(Arg (Const 'x') None) "
        "(Arg (Lambda [] (Block [(ExprStmt (Const 1))]) 'lambda') None)] False))"
    )
    assert one("runner.before_each { 1 }") == (
        "(ExprStmt (MethodCall (Name 'runner') 'before_each' "
        "[(Arg (Lambda [] (Block [(ExprStmt (Const 1))]) 'lambda') None)] False))"
    )
    assert one("r = obj.prop { 1 }") == (
        "(Assign (Name 'r') (MethodCall (Name 'obj') 'prop' "
        "[(Arg (Lambda [] (Block [(ExprStmt (Const 1))]) 'lambda') None)] False) None)"
    )
    assert one('it "with params" { |a| a }') == (
        "(ExprStmt (Call (Name 'it') [(Arg (Const 'with params') None) "
        "(Arg (Lambda [(Param 'a' None False)] (Block [(ExprStmt (Name 'a'))]) 'lambda') None)]))"
    )


def test_commands_only_at_statement_level() -> None:
    # Inside an expression `name {` is an instantiation, never a command block.
    assert expr("Point {}") == "(Instantiate (Name 'Point') [])"
    with pytest.raises(GraphoidError):
        parse('x = f("a") { 1 }')


# ----------------------------------------------------------------------------- statements

def test_assignment_targets() -> None:
    assert one("a[1] = 2") == "(Assign (Index (Name 'a') (Const 1)) (Const 2) None)"
    assert one("a.b.c = 3") == "(Assign (Attr (Attr (Name 'a') 'b') 'c') (Const 3) None)"
    assert one("num x = 1") == "(Assign (Name 'x') (Const 1) 'num')"
    assert one("list<num> xs = []") == "(Assign (Name 'xs') (ListLit []) 'list')"
    assert one("graph g = graph {}") == "(Assign (Name 'g') (GraphLit [] None 'graph') 'graph')"
    assert one("bignum b = 1.0") == "(Assign (Name 'b') (Const 1.0) 'bignum')"
    for bad in ("1 = x", "f() = 3", "x.m() = 1", "[a, b] = xs"):
        with pytest.raises(GraphoidError, match="cannot assign"):
            parse(bad)
    with pytest.raises(GraphoidError, match="unexpected '='"):
        parse("a + b = 1")


def test_functions() -> None:
    assert one("fn add(a, b = 2, ...rest) { return a + b }") == (
        "(FnDef 'add' [(Param 'a' None False) (Param 'b' (Const 2) False) (Param 'rest' None True)] "
        "(Block [(Return " + B("+", N("a"), N("b")) + ")]))"
    )
    assert one("fn counter.bump() { count = count + 1 }").startswith("(FnDef 'bump' [] (Block")
    assert "'counter'" in one("fn counter.bump() { }")
    assert one("static fn G.make() { }") == "(FnDef 'make' [] (Block []) 'G' True)"
    assert one("fn f() when x > 1 { }") == "(FnDef 'f' [] (Block []) " + B(">", N("x"), C(1)) + ")"
    assert one("fn match() { }") == "(FnDef 'match' [] (Block []))"
    with pytest.raises(GraphoidError, match="must be last"):
        parse("fn f(...a, b) {}")
    with pytest.raises(GraphoidError, match="duplicate parameter"):
        parse("fn f(a, a) {}")


def test_pattern_clause_functions() -> None:
    src = "fn sign(n) {\n    |x| if x < 0 => \"neg\"\n    |0| => \"zero\"\n    |[h, ...t]| => h\n    |_| => { 1 }\n}"
    assert one(src) == (
        "(FnDef 'sign' [(Param 'n' None False)] None [(PatternClause (PBind 'x') " + B("<", N("x"), C(0))
        + " (Const 'neg')) (PatternClause (PLiteral (Const 0)) None (Const 'zero')) "
        "(PatternClause (PList [(PBind 'h')] 't') None (Name 'h')) "
        "(PatternClause (PWildcard) None (Block [(ExprStmt (Const 1))]))])"
    )


def test_return_forms() -> None:
    assert stmts("fn f() {\n  return\n}")[0] == "(FnDef 'f' [] (Block [(Return None)]))"
    assert one("fn f() { return }") == "(FnDef 'f' [] (Block [(Return None)]))"
    assert one("fn f() { return 1 }") == "(FnDef 'f' [] (Block [(Return (Const 1))]))"
    assert stmts("return\nx") == ["(Return None)", "(ExprStmt (Name 'x'))"]


def test_if_forms() -> None:
    chain = one('if x > 0 { a } else if x < 0 { b } else { c }')
    assert chain == (
        "(ExprStmt (If " + B(">", N("x"), C(0)) + " (Block [(ExprStmt (Name 'a'))]) (Block [(ExprStmt (If "
        + B("<", N("x"), C(0)) + " (Block [(ExprStmt (Name 'b'))]) (Block [(ExprStmt (Name 'c'))])))])))"
    )
    assert one("if ready then go() else stop()") == (
        "(ExprStmt (If (Name 'ready') (Block [(ExprStmt (Call (Name 'go') []))]) "
        "(Block [(ExprStmt (Call (Name 'stop') []))])))"
    )
    assert one("if ready then x = 1") == "(ExprStmt (If (Name 'ready') (Block [(Assign (Name 'x') (Const 1) None)]) None))"
    assert expr('if n > 5 { "big" } else { "small" }') == (
        "(If " + B(">", N("n"), C(5)) + " (Block [(ExprStmt (Const 'big'))]) (Block [(ExprStmt (Const 'small'))]))"
    )
    assert one("unless bad { ok() }") == (
        "(ExprStmt (If (Unary 'not' (Name 'bad')) (Block [(ExprStmt (Call (Name 'ok') []))]) None))"
    )
    # `else` may sit on the next line (a superset of the reference).
    assert one("if a {\n  1\n}\nelse {\n  2\n}") == (
        "(ExprStmt (If (Name 'a') (Block [(ExprStmt (Const 1))]) (Block [(ExprStmt (Const 2))])))"
    )


def test_if_with_empty_body_after_name_is_a_block() -> None:
    assert one("if done {}") == "(ExprStmt (If (Name 'done') (Block []) None))"
    assert one("while running {}") == "(While (Name 'running') (Block []))"


def test_header_condition_may_instantiate() -> None:
    assert one("if p == Point { x: 1 } { go() }") == (
        "(ExprStmt (If " + B("==", N("p"), "(Instantiate (Name 'Point') [['x' (Const 1)]])")
        + " (Block [(ExprStmt (Call (Name 'go') []))]) None))"
    )


def test_header_condition_with_trailing_lambda() -> None:
    assert one("if xs.any { |x| x > 1 } { y }") == (
        "(ExprStmt (If (MethodCall (Name 'xs') 'any' [(Arg (Lambda [(Param 'x' None False)] (Block [(ExprStmt "
        + B(">", N("x"), C(1)) + ")]) 'lambda') None)] False) (Block [(ExprStmt (Name 'y'))]) None))"
    )


def test_loops() -> None:
    assert one("while i < 3 { i = i + 1 }") == (
        "(While " + B("<", N("i"), C(3)) + " (Block [(Assign (Name 'i') " + B("+", N("i"), C(1)) + " None)]))"
    )
    assert one("for c in \"abc\" { break }") == "(For 'c' (Const 'abc') (Block [(Break)]))"
    assert one("for list in lists { continue }") == "(For 'list' (Name 'lists') (Block [(Continue)]))"


def test_match() -> None:
    assert expr('match x { 0 => "zero", 1 => x * 2, _ => none }') == (
        "(Match (Name 'x') [(MatchArm (PLiteral (Const 0)) None (Const 'zero')) "
        "(MatchArm (PLiteral (Const 1)) None " + B("*", N("x"), C(2)) + ") "
        "(MatchArm (PWildcard) None (Const None))])"
    )
    assert expr("match xs { [] => 0, [h, ...t] => h, [...all] => all, [a, 1, _] => a }") == (
        "(Match (Name 'xs') [(MatchArm (PList [] None) None (Const 0)) "
        "(MatchArm (PList [(PBind 'h')] 't') None (Name 'h')) "
        "(MatchArm (PList [] 'all') None (Name 'all')) "
        "(MatchArm (PList [(PBind 'a') (PLiteral (Const 1)) (PWildcard)] None) None (Name 'a'))])"
    )
    assert expr('match v { -1 => "neg", "s" => 1, true => 2, none => 3, :sym => 4 }') == (
        "(Match (Name 'v') [(MatchArm (PLiteral (Const -1)) None (Const 'neg')) "
        "(MatchArm (PLiteral (Const 's')) None (Const 1)) (MatchArm (PLiteral (Const True)) None (Const 2)) "
        "(MatchArm (PLiteral (Const None)) None (Const 3)) (MatchArm (PLiteral (SymbolLit 'sym')) None (Const 4))])"
    )


def test_match_arms_on_lines_with_guards_and_blocks() -> None:
    src = (
        "match msg {\n"
        "    [:init, params] => {\n        rank = params[\"rank\"]\n    }\n"
        "    :tick => { 1 }\n"
        "    n if n > 1 => { \"k\": n }\n"
        "    x => x => x\n"
        "    _ => {}\n"
        "}"
    )
    assert one(src) == (
        "(ExprStmt (Match (Name 'msg') ["
        "(MatchArm (PList [(PLiteral (SymbolLit 'init')) (PBind 'params')] None) None "
        "(Block [(Assign (Name 'rank') (Index (Name 'params') (Const 'rank')) None)])) "
        "(MatchArm (PLiteral (SymbolLit 'tick')) None (Block [(ExprStmt (Const 1))])) "
        "(MatchArm (PBind 'n') " + B(">", N("n"), C(1)) + " (MapLit [['k' (Name 'n')]])) "
        "(MatchArm (PBind 'x') None (Lambda [(Param 'x' None False)] (Name 'x') 'lambda')) "
        "(MatchArm (PWildcard) None (MapLit []))]))"
    )


def test_nested_match_in_arm() -> None:
    assert expr('match x { 1 => match y { "a" => 100, _ => 0 }, _ => -1 }') == (
        "(Match (Name 'x') [(MatchArm (PLiteral (Const 1)) None (Match (Name 'y') [(MatchArm (PLiteral "
        "(Const 'a')) None (Const 100)) (MatchArm (PWildcard) None (Const 0))])) "
        "(MatchArm (PWildcard) None (Unary '-' (Const 1)))])"
    )


def test_try_catch_finally() -> None:
    src = (
        "try {\n    raise ValueError(\"bad\")\n} catch ValueError as e {\n    a\n}\n"
        "catch as e { b } catch TypeError { c } catch { d } finally { e2 }"
    )
    assert one(src) == (
        "(Try (Block [(ExprStmt (Raise (Call (Name 'ValueError') [(Arg (Const 'bad') None)])))]) "
        "[(Catch 'ValueError' 'e' (Block [(ExprStmt (Name 'a'))])) (Catch None 'e' (Block [(ExprStmt (Name 'b'))])) "
        "(Catch 'TypeError' None (Block [(ExprStmt (Name 'c'))])) (Catch None None (Block [(ExprStmt (Name 'd'))]))] "
        "(Block [(ExprStmt (Name 'e2'))]))"
    )
    assert one("try { a } finally { b }") == "(Try (Block [(ExprStmt (Name 'a'))]) [] (Block [(ExprStmt (Name 'b'))]))"
    with pytest.raises(GraphoidError, match="needs a 'catch' or 'finally'"):
        parse("try { a }")


def test_raise_is_an_expression() -> None:
    assert expr('raise "oops"') == "(Raise (Const 'oops'))"


def test_modules() -> None:
    assert stmts(
        'module utilities alias utils\nimport "./u"\nimport "m" as ax\nimport "m" { f, g as h }\n'
        'import "m" as q { f }\nload "config.gr"\nload base + ".gr"'
    ) == [
        "(ModuleDecl 'utilities' 'utils')",
        "(Import './u' None None)",
        "(Import 'm' 'ax' None)",
        "(Import 'm' None [['f' None] ['g' 'h']])",
        "(Import 'm' 'q' [['f' None]])",
        "(Load (Const 'config.gr'))",
        "(Load " + B("+", N("base"), C(".gr")) + ")",
    ]
    assert one("module m") == "(ModuleDecl 'm' None)"


def test_priv() -> None:
    assert one("priv fn helper(x) { }") == "(Priv [(FnDef 'helper' [(Param 'x' None False)] (Block []))])"
    assert one("priv x = 1") == "(Priv [(Assign (Name 'x') (Const 1) None)])"
    assert one("priv {\n  A = 1\n  fn f() {}\n}") == (
        "(Priv [(Assign (Name 'A') (Const 1) None) (FnDef 'f' [] (Block []))])"
    )
    assert one("priv = 3") == "(Assign (Name 'priv') (Const 3) None)"


def test_configure_and_precision() -> None:
    assert one("configure { integer: :integer } { x = 1 }") == (
        "(Configure [(ConfigSetting 'integer' (SymbolLit 'integer'))] (Block [(Assign (Name 'x') (Const 1) None)]))"
    )
    assert one("configure { :unsigned }") == "(Configure [(ConfigSetting None (SymbolLit 'unsigned'))] None)"
    assert one("configure {\n  error_mode: :lenient\n  :unsigned, decimal_places: 2\n}") == (
        "(Configure [(ConfigSetting 'error_mode' (SymbolLit 'lenient')) (ConfigSetting None (SymbolLit 'unsigned')) "
        "(ConfigSetting 'decimal_places' (Const 2))] None)"
    )
    assert one("precision 2 { y = 1 }") == "(Precision (Const 2) (Block [(Assign (Name 'y') (Const 1) None)]))"
    assert one("precision :int { }") == "(Precision (SymbolLit 'int') (Block []))"


def test_semicolons_separate_statements() -> None:
    assert stmts("a = 1; b = 2;;\n c") == [
        "(Assign (Name 'a') (Const 1) None)", "(Assign (Name 'b') (Const 2) None)", "(ExprStmt (Name 'c'))"
    ]


# ----------------------------------------------------------------------------- class-like graphs

def test_graph_declaration() -> None:
    src = (
        "graph Dog(:directed) from Animal {\n"
        "    name: \"unnamed\"\n"
        "    rank = 0.0\n"
        "    fn speak() { return super.speak() }\n"
        "    static fn create(n) { }\n"
        "    priv fn helper() { }\n"
        "    fn describe() when name == \"Rex\" { }\n"
        "    set name(v) { name = v }\n"
        "    configure { readable: [:name], writable: :sound }\n"
        "    rule :no_cycles\n"
        "    rule :max_degree, 3\n"
        "}"
    )
    assert one(src) == (
        "(GraphDecl 'Dog' (SymbolLit 'directed') (Name 'Animal') ["
        "(PropertyDecl 'name' (Const 'unnamed')) (PropertyDecl 'rank' (Const 0.0)) "
        "(FnDef 'speak' [] (Block [(Return (SuperCall 'speak' []))])) "
        "(FnDef 'create' [(Param 'n' None False)] (Block []) True) "
        "(FnDef 'helper' [] (Block []) True) "
        "(FnDef 'describe' [] (Block []) " + B("==", N("name"), C("Rex")) + ") "
        "(FnDef 'name' [(Param 'v' None False)] (Block [(Assign (Name 'name') (Name 'v') None)]) 'set') "
        "(Configure [(ConfigSetting 'readable' (ListLit [(SymbolLit 'name')])) "
        "(ConfigSetting 'writable' (SymbolLit 'sound'))] None) "
        "(RuleDecl (SymbolLit 'no_cycles') []) (RuleDecl (SymbolLit 'max_degree') [(Const 3)])])"
    )


def test_private_method_flag() -> None:
    decl = parse("graph G {\n priv fn h() {}\n static fn s() {}\n}").body[0]
    assert isinstance(decl, A.GraphDecl)
    h, s = decl.entries
    assert h.is_private and not h.is_static
    assert s.is_static and not s.is_private


def test_graph_body_separators() -> None:
    assert one("graph Setup { numbers: [], person: {} }") == (
        "(GraphDecl 'Setup' None None [(PropertyDecl 'numbers' (ListLit [])) (PropertyDecl 'person' (MapLit []))])"
    )
    assert one("graph T { x = 1; y: 2, fn f() {} }") == (
        "(GraphDecl 'T' None None [(PropertyDecl 'x' (Const 1)) (PropertyDecl 'y' (Const 2)) "
        "(FnDef 'f' [] (Block []))])"
    )
    assert one("graph Empty {}") == "(GraphDecl 'Empty' None None [])"


def test_graph_property_names_may_be_keywords() -> None:
    assert one("graph E { from: 1, type: 2, rule: 3 }") == (
        "(GraphDecl 'E' None None [(PropertyDecl 'from' (Const 1)) (PropertyDecl 'type' (Const 2)) "
        "(PropertyDecl 'rule' (Const 3))])"
    )


# ----------------------------------------------------------------------------- extensions

def test_await_binds_over_the_postfix_chain() -> None:
    assert expr("await g.request(1).sort_by(f)") == (
        "(Unary 'await' (MethodCall (MethodCall (Name 'g') 'request' [(Arg (Const 1) None)] False) "
        "'sort_by' [(Arg (Name 'f') None)] False))"
    )
    assert expr("await a + b") == B("+", "(Unary 'await' (Name 'a'))", N("b"))
    assert one("await lock.acquire()") == "(ExprStmt (Unary 'await' (MethodCall (Name 'lock') 'acquire' [] False)))"
    assert expr("await") == N("await")


def test_pattern_literal() -> None:
    src = "pattern {\n    a -> b [FRIEND]\n    b <- c\n    c - d [KNOWS]\n    d -> e [LINK*1..3], e -> f -> g [*2]\n    solo\n}"
    assert expr(src) == (
        "(PatternLit [(PatternEdge 'a' 'b' '->' 'FRIEND' None None) (PatternEdge 'b' 'c' '<-' None None None) "
        "(PatternEdge 'c' 'd' '-' 'KNOWS' None None) (PatternEdge 'd' 'e' '->' 'LINK' 1 3) "
        "(PatternEdge 'e' 'f' '->' None None None) (PatternEdge 'f' 'g' '->' None 2 2) "
        "(PatternEdge 'solo' None '-' None None None)])"
    )
    assert expr("pattern {}") == "(PatternLit [])"


def test_pattern_literal_bad_range() -> None:
    with pytest.raises(GraphoidError, match="range is empty"):
        parse("p = pattern { a -> b [T*3..1] }")


def test_regex_vs_division() -> None:
    assert expr("a / b / c") == B("/", B("/", N("a"), N("b")), N("c"))
    assert expr("(a) / 2") == B("/", N("a"), C(2))
    assert expr("xs[0] / 2") == B("/", "(Index (Name 'xs') (Const 0))", C(2))
    assert expr("s.split(/,\\s*/)") == "(MethodCall (Name 's') 'split' [(Arg (RegexLit ',\\\\s*' '') None)] False)"
    assert expr("[/a/, /b/m]") == "(ListLit [(RegexLit 'a' '') (RegexLit 'b' 'm')])"
    assert expr("s =~ /x/ims") == B("=~", N("s"), "(RegexLit 'x' 'ims')")
    assert one("/a/.test(s)") == "(ExprStmt (MethodCall (RegexLit 'a' '') 'test' [(Arg (Name 's') None)] False))"


# ----------------------------------------------------------------------------- newlines

def test_newlines_inside_brackets_are_ignored() -> None:
    assert one("f(1,\n  2,\n\n  3\n)") == "(ExprStmt (Call (Name 'f') [(Arg (Const 1) None) (Arg (Const 2) None) (Arg (Const 3) None)]))"
    assert one("x = [\n1\n,\n2\n]") == "(Assign (Name 'x') (ListLit [(Const 1) (Const 2)]) None)"


def test_leading_dot_continues_the_previous_line() -> None:
    src = "r = stream\n    .filter(f)\n\n    # comment\n    .take(5)\nnext()"
    assert stmts(src) == [
        "(Assign (Name 'r') (MethodCall (MethodCall (Name 'stream') 'filter' [(Arg (Name 'f') None)] False) "
        "'take' [(Arg (Const 5) None)] False) None)",
        "(ExprStmt (Call (Name 'next') []))",
    ]


def test_trailing_operator_continues_the_line() -> None:
    assert one("x = 1 +\n  2") == "(Assign (Name 'x') " + B("+", C(1), C(2)) + " None)"
    assert one("x = a and\n b") == "(Assign (Name 'x') (Logical 'and' (Name 'a') (Name 'b')) None)"
    assert one("x =\n  5") == "(Assign (Name 'x') (Const 5) None)"


def test_newline_ends_statements() -> None:
    assert stmts("a\n(b)") == ["(ExprStmt (Name 'a'))", "(ExprStmt (Name 'b'))"]
    assert stmts("a\n[1]") == ["(ExprStmt (Name 'a'))", "(ExprStmt (ListLit [(Const 1)]))"]
    assert stmts("x = 1\n-2") == ["(Assign (Name 'x') (Const 1) None)", "(ExprStmt (Unary '-' (Const 2)))"]


def test_comments() -> None:
    assert stmts("# top\nx = 1 # trailing\n/* block\n comment */ y = 2") == [
        "(Assign (Name 'x') (Const 1) None)", "(Assign (Name 'y') (Const 2) None)"
    ]
    assert stmts("x = 7 // 2") == ["(Assign (Name 'x') " + B("//", C(7), C(2)) + " None)"]


def test_empty_programs() -> None:
    for src in ("", "\n\n", "# only a comment", "  \t\n/* x */\n", ";;"):
        assert parse(src).body == ()


def test_crlf_line_endings() -> None:
    assert stmts("a = 1\r\nb = 2\r\n") == ["(Assign (Name 'a') (Const 1) None)", "(Assign (Name 'b') (Const 2) None)"]


# ----------------------------------------------------------------------------- spans

def test_spans_are_one_based_and_end_exclusive() -> None:
    prog = parse("x = foo(1, 22)\n  y.z = [3]", "t.gd")
    assign = prog.body[0]
    assert assign.span == A.Span("t.gd", 1, 1, 1, 15)
    call = assign.value
    assert call.span == A.Span("t.gd", 1, 5, 1, 15)
    assert call.func.span == A.Span("t.gd", 1, 5, 1, 8)
    assert call.args[1].value.span == A.Span("t.gd", 1, 12, 1, 14)
    second = prog.body[1]
    assert second.span == A.Span("t.gd", 2, 3, 2, 12)
    assert second.target.span == A.Span("t.gd", 2, 3, 2, 6)
    assert second.value.span == A.Span("t.gd", 2, 9, 2, 12)


def test_multiline_spans() -> None:
    prog = parse('fn f(a) {\n  return "x\ny"\n}')
    fn = prog.body[0]
    assert (fn.span.line, fn.span.col, fn.span.end_line, fn.span.end_col) == (1, 1, 4, 2)
    ret = fn.body.body[0]
    assert (ret.span.line, ret.span.col, ret.span.end_line, ret.span.end_col) == (2, 3, 3, 3)


def test_every_node_has_a_span() -> None:
    src = (
        "graph G from P { a: 1\n fn m(x = 2, ...r) when x {\n |0| => 1 } }\n"
        "x = match y { [a, ...b] if a => { 1 }, _ => pattern { a -> b [T*1..2] } }\n"
        "try { raise E() } catch E as e { } finally { }\n"
        'import "m" { f }\nconfigure { :u } { }\nz = await f(k: 1) { |q| q }\n'
    )
    stack: list[object] = [parse(src, "s.gd")]
    seen = 0
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if not hasattr(node, "span") or isinstance(node, A.Span):
            continue
        seen += 1
        span = node.span
        assert span.file == "s.gd" and span.line >= 1 and span.col >= 1, node
        assert (span.end_line, span.end_col) > (span.line, span.col), node
        for name in type(node).__slots__:
            if name != "span" and not name.startswith("__"):
                stack.append(getattr(node, name))
    assert seen > 40


def test_else_with_a_single_statement() -> None:
    assert one('if n == 1 {\n    a()\n} else print("no")') == (
        "(ExprStmt (If " + B("==", N("n"), C(1)) + " (Block [(ExprStmt (Call (Name 'a') []))]) "
        "(Block [(ExprStmt (Call (Name 'print') [(Arg (Const 'no') None)]))])))"
    )
    assert one("if a { 1 } else if b { 2 } else return 3") == (
        "(ExprStmt (If (Name 'a') (Block [(ExprStmt (Const 1))]) (Block [(ExprStmt (If (Name 'b') "
        "(Block [(ExprStmt (Const 2))]) (Block [(Return (Const 3))])))])))"
    )
    assert one("if a { 1 } else\n{ 2 }") == "(ExprStmt (If (Name 'a') (Block [(ExprStmt (Const 1))]) (Block [(ExprStmt (Const 2))])))"


def test_raise_inside_an_expression_takes_everything_after_it() -> None:
    assert expr('v > 0 or raise ValueError("neg")') == (
        "(Logical 'or' " + B(">", N("v"), C(0)) + " (Raise (Call (Name 'ValueError') [(Arg (Const 'neg') None)])))"
    )
    assert expr("raise a + b") == "(Raise " + B("+", N("a"), N("b")) + ")"
