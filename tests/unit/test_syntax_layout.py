"""The tokenizer and the layout pass: token kinds, retagging decisions, newline rules."""

from __future__ import annotations

from graphoid.syntax import tokenize
from graphoid.syntax.parser import lex


def kinds(source: str) -> list[str]:
    return [t.type for t in lex(source)]


def kind_of(source: str, text: str, nth: int = 0) -> str:
    """Grammar kind of the nth token spelled `text`."""
    matches = [t.type for t in lex(source) if str(t) == text]
    return matches[nth]


def test_raw_tokens_carry_positions_and_values() -> None:
    toks = list(tokenize('x = "a\\n"  # c\n:sym 0x1F', "f.gd"))
    assert [(t.type, t.value) for t in toks] == [
        ("NAME", "x"), ("EQUAL", "="), ("STRING", "a\n"), ("NL", "\n"), ("SYMBOL", "sym"), ("NUMBER", 31),
    ]
    s = toks[2]
    assert (s.line, s.column, s.end_line, s.end_column, s.start_pos, s.end_pos) == (1, 5, 1, 10, 4, 9)
    assert str(s) == '"a\\n"'


def test_brace_retagging() -> None:
    assert kind_of("if x { }", "{") == "LBRACE"
    assert kind_of("x = { }", "{") == "LMAP"
    assert kind_of("{ a: 1 }", "{") == "LMAP"
    assert kind_of("x = P { a: 1 }", "{") == "LMAP"
    assert kind_of("x = P {}", "{") == "LMAP"
    assert kind_of("xs.map { |x| x }", "{") == "LLAMBDA"
    assert kind_of("f = { || 1 }", "{") == "LLAMBDA"
    assert kind_of("f(1) { |x| x }", "{") == "LLAMBDA"
    assert kind_of("before_each { 1 }", "{") == "LBRACE"
    assert kind_of('it "x" { 1 }', "{") == "LBRACE"
    assert kind_of("a.b.c { 1 }", "{") == "LBRACE"
    assert kind_of("m = a.b { k: 1 }", "{") == "LMAP"
    assert kind_of("fn f() {\n |0| => 1 }", "{") == "LBRACE"
    assert kind_of("match x { 0 => {} }", "{", 1) == "LMAP"
    assert kind_of("match x { 0 => { y } }", "{", 1) == "LBRACE"
    assert kind_of('match x { 0 => { "k": 1 } }', "{", 1) == "LMAP"
    assert kind_of("f = x => {}", "{") == "LBRACE"
    assert kind_of("if done {}", "{") == "LBRACE"
    assert kind_of("while p == Q { a: 1 } { }", "{", 0) == "LMAP"
    assert kind_of("while p == Q { a: 1 } { }", "{", 1) == "LBRACE"
    assert kind_of("configure { a: 1 } { }", "{", 1) == "LBRACE"
    assert kind_of("x = 1 if c else { }", "{") == "LMAP"


def test_map_literal_where_a_header_expects_an_operand() -> None:
    # A `{` after an operator, `in`, `match`, `(` or `,` inside a statement header is a map;
    # the header's block is the `{` after the complete expression.
    assert kinds("if m == {} { x }").count("LMAP") == 1
    assert kind_of("if m == {} { x }", "{", 1) == "LBRACE"
    assert kind_of('for k in {"a": 1} { x }', "{", 0) == "LMAP"
    assert kind_of('for k in {"a": 1} { x }', "{", 1) == "LBRACE"
    assert kind_of('print(match {"a": 1} { _ => 1 })', "{", 0) == "LMAP"
    assert kind_of('print(match {"a": 1} { _ => 1 })', "{", 1) == "LBRACE"
    assert kinds("while xs != [] and m != {} { x }").count("LMAP") == 1
    assert kind_of("while xs != [] and m != {} { x }", "{", 1) == "LBRACE"
    assert kind_of("if f({}) { x }", "{", 0) == "LMAP"
    assert kind_of("if f(1, {}) { x }", "{", 1) == "LBRACE"
    assert kind_of("x = f({})", "{") == "LMAP"
    assert kind_of("if not {} { x }", "{", 0) == "LMAP"
    assert kind_of("unless m == {} { x }", "{", 1) == "LBRACE"
    # A block after a complete operand or after `else` stays a block.
    assert kind_of("if done {}", "{") == "LBRACE"
    assert kind_of("if a { x } else { y }", "{", 1) == "LBRACE"


def test_paren_and_name_lambdas() -> None:
    assert kind_of("f = (a, b) => a", "(") == "LPAR_LAMBDA"
    assert kind_of("f = (a + b)", "(") == "LPAR"
    assert kind_of("x = g(a)", "(") == "LPAR"
    assert kind_of("f = x => x", "x") == "LAMBDA_NAME"
    # In a match arm the name before `=>` is a pattern, not a lambda parameter.
    assert kind_of("match v { x => x }", "x") == "NAME"
    assert kind_of("match v { x if f(x) => 1 }", "(") == "LPAR"


def test_if_forms_are_told_apart() -> None:
    assert kind_of("if a { }", "if") == "IF"
    assert kind_of("x = if a { 1 } else { 2 }", "if") == "IF"
    assert kind_of("print(1) if a", "if") == "IF_SUFFIX"
    assert kind_of("x = a if b else c", "if") == "IF_SUFFIX"
    assert kind_of("y unless z", "unless") == "UNLESS_SUFFIX"
    assert kind_of("unless z { }", "unless") == "UNLESS"
    assert kind_of("match v { n if n > 0 => 1 }", "if") == "IF_SUFFIX"


def test_contextual_words() -> None:
    assert kind_of("graph G { }", "graph") == "GRAPH"
    assert kind_of("g = graph { }", "graph") == "GRAPH"
    assert kind_of("graph.send(1)", "graph") == "NAME"
    assert kind_of("f(graph, 1)", "graph") == "NAME"
    assert kind_of("num x = 1", "num") == "TYPE"
    assert kind_of("num(x)", "num") == "NAME"
    assert kind_of("list<num> xs = []", "list") == "TYPE_GENERIC"
    assert kind_of("ok = list < num", "list") == "NAME"
    assert kind_of("p = pattern { a }", "pattern") == "PATTERN"
    assert kind_of("pattern = 1", "pattern") == "NAME"
    assert kind_of("x = await f()", "await") == "AWAIT"
    assert kind_of("x = await", "await") == "NAME"
    assert kind_of("x.match(1)", "match") == "NAME"
    assert kind_of("m = {from: 1}", "from") == "NAME"
    assert kind_of("graph G {\n set name(v) { }\n}", "set") == "SET"
    assert kind_of("set = 1", "set") == "NAME"
    assert kind_of("fn f() when a { }", "when") == "WHEN"
    assert kind_of("when = 1", "when") == "NAME"
    assert kind_of("module m alias q", "alias") == "ALIAS"
    assert kind_of("alias = 2", "alias") == "NAME"
    assert kind_of("graph G {\n rule :x\n}", "rule") == "RULE"
    assert kind_of("rule = 3", "rule") == "NAME"
    assert kind_of("static fn f() {}", "static") == "STATIC"


def test_newline_rules() -> None:
    assert kinds("a\nb") == ["NAME", "_NL", "NAME"]
    assert kinds("a\n\n\n;b;") == ["NAME", "_NL", "NAME"]
    assert kinds("\n\na") == ["NAME"]
    assert kinds("f(a,\nb)") == ["NAME", "LPAR", "NAME", "_COMMA", "NAME", "RPAR"]
    assert kinds("a +\nb") == ["NAME", "PLUS", "NAME"]
    assert kinds("a\n.b") == ["NAME", "DOT", "NAME"]
    assert kinds("{\n}") == ["LMAP", "RBRACE"]
    assert kinds("if a {\nb\n}") == ["IF", "NAME", "LBRACE", "NAME", "RBRACE"]
    assert kinds("try {\n}\ncatch {\n}") == ["TRY", "LBRACE", "RBRACE", "CATCH", "LBRACE", "RBRACE"]
    assert kinds("return\nx") == ["RETURN", "_NL", "NAME"]
    assert kinds("x = {a: 1\n, b: 2}") == ["NAME", "EQUAL", "LMAP", "NAME", "COLON", "NUMBER", "_COMMA",
                                           "NAME", "COLON", "NUMBER", "RBRACE"]


def test_pattern_edges() -> None:
    assert kinds("p = pattern { a <- b, c - d, e -> f }")[3:] == [
        "LBRACE", "NAME", "EDGE_L", "NAME", "_COMMA", "NAME", "MINUS", "NAME", "_COMMA", "NAME", "EDGE_R",
        "NAME", "RBRACE",
    ]
    # Outside a pattern literal `a <- b` is a comparison with a negative number.
    assert kinds("a <- b") == ["NAME", "LT", "MINUS", "NAME"]


def test_duration_and_dotted_numbers() -> None:
    toks = lex("t = 1.5s + 100ms + 1..3")
    assert [t.value for t in toks if t.type == "NUMBER"] == [1500, 100, 1, 3]
