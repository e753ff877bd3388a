"""The native standard library (graphoid/library, docs/stdlib.md): error paths, the sandbox's
capabilities, per-interpreter state and the CLI's handling of os.exit. The happy paths are the
examples of docs/stdlib.md (test_stdlib_docs.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graphoid import GraphoidError, Interpreter

REPO = Path(__file__).resolve().parents[2]


def error_of(source: str, interp: Interpreter | None = None) -> GraphoidError:
    with pytest.raises(GraphoidError) as caught:
        (interp or Interpreter(stdout=lambda text: None)).run(source, "prog.gd")
    return caught.value


def run(source: str, **options: object) -> object:
    return Interpreter(stdout=lambda text: None, **options).run(source, "prog.gd")


# ------------------------------------------------------------------------------------ fs / io


def test_missing_file_is_an_io_error_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    err = error_of(f'import "fs"\nfs.read("{missing}")')
    assert err.kind == "IOError"
    assert err.message == f"Cannot read '{missing}': no such file or directory"
    assert (err.span.file, err.span.line) == ("prog.gd", 2)


@pytest.mark.parametrize(
    "call, message",
    [
        ('fs.read("{dir}")', "Cannot read '{dir}': it is a directory"),
        ('fs.write("{dir}/no/such/dir/f.txt", "x")', "Cannot write '{dir}/no/such/dir/f.txt': no such file or directory"),
        ('fs.mkdir("{dir}")', "Cannot create '{dir}': it already exists"),
        ('fs.list_dir("{dir}/f.txt")', "Cannot list '{dir}/f.txt': a part of the path is not a directory"),
        ('fs.remove("{dir}/sub")', "Cannot remove '{dir}/sub': "),
        ('fs.read("{dir}/latin1.txt")', "Cannot read '{dir}/latin1.txt': not UTF-8 text (byte 0xe9 at offset 1)"),
        ('io.read_file("{dir}/gone")', "Cannot read '{dir}/gone': no such file or directory"),
    ],
)
def test_file_errors_are_io_errors(tmp_path: Path, call: str, message: str) -> None:
    (tmp_path / "f.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner").write_text("x")
    (tmp_path / "latin1.txt").write_bytes(b"a\xe9")
    err = error_of(f'import "fs"\nimport "io"\n' + call.format(dir=tmp_path))
    assert err.kind == "IOError"
    assert err.message.startswith(message.format(dir=tmp_path))


@pytest.mark.parametrize(
    "call, message",
    [
        ("fs.read(5)", "fs.read() expects path to be a string, got num"),
        ('fs.write("x", [1])', "fs.write() expects text to be a string, got list"),
        ('fs.join("a", 2)', "fs.join() expects parts to hold strings, got num at index 1"),
        ("fs.join()", "fs.join() needs at least one path part"),
        ('fs.mkdir("d", parents: 1)', "fs.mkdir() expects parents to be a bool, got num"),
        ('fs.read("a", "b")', "Wrong arguments for fs.read(): got 2 arguments; expected (path)"),
        ('fs.read(path: "a", mode: "r")', "Wrong arguments for fs.read(): got 2 arguments; expected (path)"),
        ('io.write_lines("x", "not a list")', "io.write_lines() expects lines to be a list, got string"),
    ],
)
def test_wrong_arguments_are_type_errors(call: str, message: str) -> None:
    err = error_of(f'import "fs"\nimport "io"\n{call}')
    assert (err.kind, err.message) == ("TypeError", message)


def test_a_nul_byte_in_a_path_is_an_io_error() -> None:
    interp = Interpreter()
    interp.globals["path"] = "a\0b"
    err = error_of('import "fs"\nfs.read(path)', interp)
    assert (err.kind, err.message) == ("IOError", "Cannot read 'a\0b': not a valid path")


def test_remove_of_a_directory_needs_recursive(tmp_path: Path) -> None:
    (tmp_path / "tree" / "leaf").mkdir(parents=True)
    err = error_of(f'import "fs"\nfs.remove("{tmp_path}/tree")')
    assert err.kind == "IOError" and "tree" in err.message
    run(f'import "fs"\nfs.remove("{tmp_path}/tree", recursive: true)')
    assert not (tmp_path / "tree").exists()


def test_catch_ioerror_in_graphoid(tmp_path: Path) -> None:
    source = f'import "fs"\ntry {{ fs.read("{tmp_path}/x") }} catch IOError as e {{ result = e.type() }}\nresult'
    assert run(source) == "IOError"


# ------------------------------------------------------------------------------------ sandbox


@pytest.mark.parametrize("module, capability", [("fs", "fs"), ("io", "fs"), ("os", "os")])
def test_sandbox_denies_host_modules(module: str, capability: str) -> None:
    err = error_of(f'import "{module}"', Interpreter(sandbox=True))
    assert err.kind == "SandboxError"
    assert err.message == f"module '{module}' is not allowed in the sandbox (no {capability} access)"


@pytest.mark.parametrize("module", ["json", "csv", "time", "random", "constants", "math", "statistics"])
def test_sandbox_allows_modules_that_do_not_touch_the_host(module: str) -> None:
    assert run(f'import "{module}" as m\nm.name()', sandbox=True) == module


@pytest.mark.parametrize("call", ['json.read("{f}")', 'csv.read("{f}")', 'json.write("{f}", 1)', 'csv.write("{f}", [])'])
def test_sandbox_denies_file_functions_of_other_modules(tmp_path: Path, call: str) -> None:
    err = error_of('import "json"\nimport "csv"\n' + call.format(f=tmp_path / "a.json"), Interpreter(sandbox=True))
    assert err.kind == "SandboxError" and "no fs access" in err.message


def test_granted_fs_reaches_only_the_allowed_roots(tmp_path: Path) -> None:
    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "data.json").write_text('{"a": 1}')
    box = Interpreter(sandbox=True, allowed_capabilities=["fs"], allowed_roots=[inside])
    assert box.run(f'import "json"\njson.read("{inside}/data.json")["a"]') == 1
    box.run(f'import "fs"\nfs.write("{inside}/out.txt", "ok")')
    assert (inside / "out.txt").read_text() == "ok"
    for path in (tmp_path / "outside.txt", inside / ".." / "outside.txt", "/etc/passwd"):
        err = error_of(f'fs.read("{path}")', box)
        assert err.kind == "SandboxError" and "outside the allowed roots" in err.message
    # granting fs does not grant os
    assert error_of('import "os"', box).kind == "SandboxError"


def test_granted_fs_without_roots_reaches_no_file(tmp_path: Path) -> None:
    box = Interpreter(sandbox=True, allowed_capabilities=["fs"])
    assert error_of(f'import "fs"\nfs.exists("{tmp_path}")', box).kind == "SandboxError"


def test_granted_os_capability() -> None:
    box = Interpreter(sandbox=True, allowed_capabilities=["os"], argv=["x"])
    assert box.run('import "os"\nos.args()') == ["x"]


def test_unknown_capability_is_a_host_error() -> None:
    with pytest.raises(ValueError, match="unknown capabilities \\['files'\\]"):
        Interpreter(sandbox=True, allowed_capabilities=["files"])


# ------------------------------------------------------------------------------------ os


def test_os_exit_ends_the_cli_with_the_code(tmp_path: Path) -> None:
    program = tmp_path / "quit.gd"
    program.write_text('import "os"\nprint(os.args())\nos.exit(3)\nprint("never")\n')
    done = subprocess.run(
        [sys.executable, "-m", "graphoid", str(program), "a", "b"],
        capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO)}, timeout=120,
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, "[a, b]\n", "")


def test_os_exit_reaches_a_host_as_system_exit() -> None:
    with pytest.raises(SystemExit) as stop:
        run('import "os"\nos.exit(2)')
    assert stop.value.code == 2


@pytest.mark.parametrize(
    "call, kind, message",
    [
        ("os.exit(256)", "ValueError", "os.exit() code must be between 0 and 255, got 256"),
        ("os.exit(-1)", "ValueError", "os.exit() expects code to be at least 0, got -1"),
        ('os.exit("1")', "TypeError", "os.exit() expects code to be a whole number, got string"),
        ('os.set_env("A=B", "x")', "ValueError", "os.set_env() got an invalid variable name 'A=B'"),
        ("os.env(1)", "TypeError", "os.env() expects name to be a string, got num"),
    ],
)
def test_os_errors(call: str, kind: str, message: str) -> None:
    err = error_of(f'import "os"\n{call}')
    assert (err.kind, err.message) == (kind, message)


# ------------------------------------------------------------------------------------ json


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"a": 1,}', "Invalid JSON at line 1, column 9: Expecting property name enclosed in double quotes"),
        ("[1, 2", "Invalid JSON at line 1, column 6: Expecting ',' delimiter"),
        ("", "Invalid JSON at line 1, column 1: Expecting value"),
        ("[NaN]", "Invalid JSON: NaN is not a JSON number"),
        ('{"a": 1} x', "Invalid JSON at line 1, column 10: Extra data"),
    ],
)
def test_bad_json_is_a_parse_error_with_its_place(text: str, message: str) -> None:
    interp = Interpreter()
    interp.globals["text"] = text
    err = error_of('import "json"\njson.parse(text)', interp)
    assert (err.kind, err.message) == ("ParseError", message)


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    interp = Interpreter()
    interp.globals["text"] = "[" * 200_000 + "]" * 200_000
    err = error_of('import "json"\njson.parse(text)', interp)
    assert (err.kind, err.message) == ("ParseError", "Invalid JSON: nested too deeply")


def test_parsed_json_is_made_of_graphoid_values() -> None:
    from graphoid.library.json import parse
    from graphoid.values.types import GList, GMap

    value = parse('{"a": [[1, {"b": [2]}], {}], "c": {"d": [[]]}}')
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            assert type(item) is GList
            stack.extend(item)
        elif isinstance(item, dict):
            assert type(item) is GMap
            stack.extend(item.values())
    assert run('import "json"\njson.parse("[[1], {\\"a\\": [2]}]")[1]["a"].append(3)') == [2, 3]


@pytest.mark.parametrize(
    "value, kind, message",
    [
        ("[x => x]", "TypeError", "json.stringify(): a function has no JSON form"),
        ("math.inf", "ValueError", "json.stringify(): infinity and nan have no JSON form"),
        ('[1], pretty: "yes"', "TypeError", "json.stringify() expects pretty to be a whole number, got string"),
    ],
)
def test_values_without_json_form(value: str, kind: str, message: str) -> None:
    err = error_of(f'import "json"\nimport "math"\njson.stringify({value})')
    assert (err.kind, err.message) == (kind, message)


def test_graph_round_trips_through_json() -> None:
    source = """
import "json"
g = graph { type: :directed }
g.add_node("a", {"label": "start"})
g.add_edge("a", "b", "road", 2.5)
back = json.parse_graph(json.stringify(g))
nested = json.parse(json.stringify({"g": g}))["g"]
[back.node_count(), back.edge_count(), back.get_node("a")["label"], json.to_graph(nested).edge_count()]
"""
    assert run(source) == [2, 1, "start", 1]


def test_parse_graph_of_a_non_object() -> None:
    err = error_of('import "json"\njson.parse_graph("[1]")')
    assert (err.kind, err.message) == ("ValueError", "json.parse_graph(): the JSON is a list, not a node-link object")


# ------------------------------------------------------------------------------------ csv


@pytest.mark.parametrize(
    "call, kind, message",
    [
        ('csv.parse("a,\\"b\\n")', "ParseError", "csv.parse(): invalid CSV at line 1: unexpected end of data"),
        ('csv.parse("a,b\\n1,2,3\\n", header: true)', "ValueError", "csv.parse(): line 2 has 3 fields, the header has 2"),
        ('csv.parse("a", delimiter: ";;")', "ValueError", "csv.parse() expects delimiter to be one character, got ';;'"),
        ('csv.parse("a", delimiter: "\\"")', "ValueError", "csv.parse() needs distinct delimiter and quote characters other than newlines"),
        ("csv.parse(3)", "TypeError", "csv.parse() expects text to be a string, got num"),
        ('csv.parse("a", header: "yes")', "TypeError", "csv.parse() expects header to be a bool, got string"),
        ("csv.stringify([[1], 2])", "TypeError", "csv.stringify() expects every row to be a list (or every row a map), got num at index 1"),
        ('csv.stringify([{"a": 1}, [1]])', "TypeError", "csv.stringify() expects every row to be a list (or every row a map), got list at index 1"),
    ],
)
def test_csv_errors(call: str, kind: str, message: str) -> None:
    err = error_of(f'import "csv"\n{call}')
    assert (err.kind, err.message) == (kind, message)


def test_csv_round_trip_with_quotes_and_newlines(tmp_path: Path) -> None:
    rows = [["id", "text"], ["1", 'say "hi"'], ["2", "two\nlines"], ["3", ""]]
    interp = Interpreter()
    interp.globals["rows"] = rows
    interp.run(f'import "csv"\ncsv.write("{tmp_path}/t.csv", rows)')
    assert interp.run(f'csv.read("{tmp_path}/t.csv")') == rows
    assert interp.run(f'csv.read("{tmp_path}/t.csv", header: true)[1]["text"]') == "two\nlines"


def test_csv_header_of_an_empty_text() -> None:
    assert run('import "csv"\ncsv.parse("", header: true)') == []


def test_csv_missing_file(tmp_path: Path) -> None:
    err = error_of(f'import "csv"\ncsv.read("{tmp_path}/none.csv")')
    assert err.kind == "IOError" and "no such file" in err.message


# ------------------------------------------------------------------------------------ time


@pytest.mark.timeout(120)
def test_sleep_stops_at_the_time_limit() -> None:
    interp = Interpreter(time_limit=0.5)
    err = error_of("time.sleep(600)", interp)
    assert (err.kind, err.message) == ("LimitError", "time limit of 0.5 s exceeded")


@pytest.mark.parametrize(
    "call, kind, message",
    [
        ("time.sleep(-1)", "ValueError", "time.sleep() expects seconds to be at least 0, got -1"),
        ('time.sleep("1")', "TypeError", "time.sleep() expects seconds to be a num, got string"),
        ("time.from_numbers(2025, 2, 30)", "ValueError", "time.from_numbers(): day is out of range for month"),
        ('time.from_string("15/01/2025", "%Y")', "ParseError", "time.from_string(): '15/01/2025' does not match the pattern '%Y' "),
        ("time.from_timestamp(99999999999999999999)", "ValueError", "time.from_timestamp(): 99999999999999999999 is out of the supported range"),
        ("time.now().diff(5)", "TypeError", "time.diff() expects other to be a time, got num"),
        ("time.now().add()", "TypeError", "Wrong arguments for time method 'add'"),
    ],
)
def test_time_errors(call: str, kind: str, message: str) -> None:
    err = error_of(call)
    assert err.kind == kind and err.message.startswith(message)


def test_time_values_compare_and_serialise() -> None:
    assert run('import "json"\njson.stringify([time.from_timestamp(0)])') == '["1970-01-01T00:00:00Z"]'
    assert run("time.from_timestamp(1) == time.from_timestamp(1)") is True
    assert run("time.from_timestamp(1.5).time_numbers()[\"second\"]") == 1.5


def test_the_time_global_can_be_shadowed() -> None:
    assert run("time = 5\ntime + 1") == 6


# ------------------------------------------------------------------------------------ random


def test_each_interpreter_has_its_own_generator() -> None:
    draw = 'import "random"\nrand.seed(99)\n[rand.random(), rand.randint(1, 1000)]'
    first, second = Interpreter(), Interpreter()
    expected = first.run(draw)
    second.run('import "random"\nrand.seed(1)')
    assert first.run("[rand.random(), rand.randint(1, 1000)]") != expected
    assert Interpreter().run(draw) == expected
    assert second.run("rand.seed(99)\n[rand.random(), rand.randint(1, 1000)]") == expected


@pytest.mark.parametrize(
    "call, kind, message",
    [
        ("rand.choice([])", "ValueError", "random.choice() needs a non-empty list"),
        ("rand.randint(5, 1)", "ValueError", "random.randint() needs low <= high, got 5 and 1"),
        ("rand.randint(1.5, 3)", "TypeError", "random.randint() expects low to be a whole number, got num"),
        ("rand.sample([1, 2], 3)", "ValueError", "random.sample() cannot take 3 elements from a list of 2"),
        ("rand.normal(0, -1)", "ValueError", "random.normal() needs stddev >= 0, got -1"),
        ("rand.exponential(0)", "ValueError", "random.exponential() needs rate > 0, got 0"),
        ("rand.token(0)", "ValueError", "random.token() expects size to be at least 1, got 0"),
        ("rand.seed([1])", "TypeError", "random.seed() expects value to be a num, got list"),
        ("rand.weighted_choice([1, 2], [1])", "ValueError", "random.weighted_choice() needs a non-empty list and one weight per element"),
    ],
)
def test_random_errors(call: str, kind: str, message: str) -> None:
    err = error_of(f'import "random"\n{call}')
    assert (err.kind, err.message) == (kind, message)


# ------------------------------------------------------------------------------------ math, statistics


@pytest.mark.parametrize(
    "call, kind, message",
    [
        ("math.log(0)", "ValueError", "math.log(0) is outside the function's domain"),
        ("math.acos(2)", "ValueError", "math.acos(2) is outside the function's domain"),
        ("math.exp(10000)", "ValueError", "math.exp(): the result is too large"),
        ("math.pow(0, -1)", "ValueError", "math.pow(): 0 to a negative power is undefined"),
        ("math.pow(-8, 0.5)", "ValueError", "math.pow(-8, 0.5) has no real value"),
        ('math.sqrt("4")', "TypeError", "math.sqrt() expects x to be a num, got string"),
        ("math.factorial(1000001)", "ValueError", "math.factorial() supports n up to 100000, got 1000001"),
        ("math.factorial(-1)", "ValueError", "math.factorial() expects n to be at least 0, got -1"),
        ("math.min()", "ValueError", "math.min() needs at least one number"),
        ("math.floor(math.inf)", "ValueError", "math.floor() cannot make inf a whole number"),
        ("math.clamp(1, 5, 0)", "ValueError", "math.clamp() needs low <= high, got 5 and 0"),
        ("statistics.mean([1, none])", "TypeError", "statistics.mean() expects a list of numbers, got none at index 1"),
        ("statistics.variance([1])", "ValueError", "statistics.variance() needs at least 2 numbers, got 1"),
        ("statistics.quantile([1], 2)", "ValueError", "statistics.quantile() needs 0 <= q <= 1, got 2"),
        ("statistics.median(5)", "TypeError", "statistics.median() expects values to be a list, got num"),
    ],
)
def test_math_and_statistics_errors(call: str, kind: str, message: str) -> None:
    err = error_of(f'import "math"\nimport "statistics"\n{call}')
    assert (err.kind, err.message) == (kind, message)


def test_math_pow_respects_the_size_caps() -> None:
    err = error_of('import "math"\nmath.pow(10, 100000000)')
    assert err.kind in ("LimitError", "ValueError")


# ------------------------------------------------------------------------------------ collections, regex, string, pp, optparse


@pytest.mark.parametrize(
    "call, kind, message",
    [
        ("collections.chunk([1], 0)", "ValueError", "collections.chunk() expects size to be at least 1, got 0"),
        ("collections.group_by([1], 5)", "TypeError", "collections.group_by() expects fn to be a function, got num"),
        ("collections.unzip([[1, 2], [3]])", "TypeError", "collections.unzip() expects pairs, got [3] at index 1"),
        ('collections.merge({}, "x")', "TypeError", "collections.merge() expects argument 2 to be a map, got string"),
        ("collections.queue().dequeue()", "IndexError", "Cannot pop from an empty queue"),
        ("collections.deque().peek_back()", "IndexError", "Cannot peek into an empty deque"),
        ("collections.stack().enqueue(1)", "RuntimeError", "Unknown method 'enqueue' on stack"),
        ("collections.flatten(none)", "TypeError", "collections.flatten() expects items to be a list, got none"),
        ('regex.find("(", "x")', "ValueError", "regex.find(): invalid pattern '('"),
        ('regex.compile("a", "q")', "ValueError", "regex.compile(): unknown regex flags q (use i, m, s, x)"),
        ('regex.replace("a", "aa", 5)', "TypeError", "regex.replace() expects replacement to be a string or function, got num"),
        ('regex.replace("a", "aa", x => 1)', "TypeError", "regex.replace() replacement function must return a string, got num"),
        ("regex.test(/a/, 5)", "TypeError", "regex.test() expects text to be a string, got num"),
        ('str.pad_left("a", 3, "ab")', "ValueError", "string.pad_left() expects fill to be one character, got 'ab'"),
        ('str.pad_left("a", 10000000000)', "ValueError", "string.pad_left() width must be at most 16777216, got 10000000000"),
        ('str.template("{a}", [])', "TypeError", "string.template() expects values to be a map, got list"),
        ('str.wrap("a b", 0)', "ValueError", "string.wrap() expects width to be at least 1, got 0"),
        ('str.count("a", "")', "ValueError", "string.count() expects a non-empty part"),
        ('pp.table(["a"], [[1, 2]])', "ValueError", "pp.table(): row 0 has 2 cells, the header has 1"),
        ('pp.bar_chart(["a"], [-1])', "ValueError", "pp.bar_chart() needs values >= 0"),
        ('pp.bar_chart(["a"], ["x"])', "TypeError", "pp.bar_chart() expects values to hold nums, got string at index 0"),
        ("pp.pformat(1, width: 0)", "ValueError", "pp.pformat() expects width to be at least 1, got 0"),
        ('optparse.parse({"program": "p", "options": [{"name": "n", "value": "N", "type": "num"}]}, ["--n", "x"])',
         "ValueError", "p: option '--n' needs a number, got 'x' (see --help)"),
        ('optparse.parse({"program": "p", "options": [{"name": "n", "value": "N"}]}, ["--n"])',
         "ValueError", "p: option '--n' needs a value (N) (see --help)"),
        ('optparse.parse({"program": "p", "options": [{"name": "v"}]}, ["--v=1"])',
         "ValueError", "p: option '--v' takes no value (see --help)"),
        ('optparse.parse({"program": "p", "options": [{"name": "v"}]}, ["-x"])', "ValueError", "p: unknown option '-x' (see --help)"),
        ('optparse.parse({"options": [{"nam": "v"}]}, [])', "ValueError", "optparse.parse(): option 0 needs a string 'name'"),
        ('optparse.parse({"options": [{"name": "v", "short": "vv"}]}, [])', "ValueError", "optparse.parse(): option 'v' needs a one-character 'short'"),
        ("optparse.parse({}, [1])", "TypeError", "optparse.parse() expects args to hold strings, got num at index 0"),
    ],
)
def test_more_module_errors(call: str, kind: str, message: str) -> None:
    err = error_of(f'import "collections"\nimport "regex"\nimport "string"\nimport "pp"\nimport "optparse"\n{call}')
    assert err.kind == kind and err.message.startswith(message), err.message


def test_optparse_reads_the_program_arguments() -> None:
    interp = Interpreter(argv=["-v", "file"])
    result = interp.run('import "optparse"\noptparse.parse({"options": [{"name": "verbose", "short": "v"}]})')
    assert result == {"verbose": True, "help": False, "args": ["file"]}


@pytest.mark.timeout(120)
def test_regex_backtracking_stops_at_the_time_limit() -> None:
    interp = Interpreter(time_limit=0.5)
    err = error_of('import "regex"\nregex.test("^(a|aa)+$", "a" * 36 + "!")', interp)
    assert err.kind == "LimitError"


def test_collections_compare_lists_and_maps_by_value() -> None:
    assert run('import "collections"\ncollections.unique([[1], [1], {"a": 1}, {"a": 1}, 2])') == [[1], {"a": 1}, 2]
    assert run('import "collections"\ncollections.intersection([[1], [2]], [[2]])') == [[2]]


def test_pformat_of_deep_values_is_an_error_not_a_crash() -> None:
    interp = Interpreter()
    interp.run("v = []\nfor i in list.upto(20000) { v = [v] }")
    err = error_of('import "pp"\npp.pformat(v, width: 1)', interp)
    assert (err.kind, err.message) == ("ValueError", "pp.pformat(): the value is nested too deeply")
