"""The module system: resolution, caching, cycles, aliases, selective import, priv, load.

The first group drives graphoid.runtime.modules with module files written in Python (the
interpreter's compile step is swapped for Python's), so the module logic is tested on its own;
the second group runs real Graphoid programs end to end.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from graphoid.errors import GraphoidError
from graphoid.runtime.interpreter import Interpreter
from graphoid.runtime.modules import Module, read_source_file, register_native_module
from graphoid.runtime.namespace import mangle, new_namespace, unmangle


def python_backed(tmp_path: Path, **options) -> Interpreter:
    """An Interpreter whose "Graphoid" files are Python source calling the _rt_* helpers."""
    interp = Interpreter(**options)
    out: list[str] = []
    interp._builtins = {**interp.modules.helpers(), "print": lambda *a: out.append(" ".join(map(str, a)))}
    interp.compile = lambda source, filename, mode="exec", namespace=None, cached=False: compile(source, filename, "exec")  # type: ignore[method-assign]
    interp.printed = out  # type: ignore[attr-defined]
    return interp


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run_main(interp: Interpreter, main: Path) -> dict:
    namespace = new_namespace(interp, str(main))
    interp.execute(main.read_text(), str(main), namespace)
    return namespace


# ----------------------------------------------------------------------------- names


def test_mangling_round_trips_keywords_and_reserved_prefixes():
    assert mangle("x") == "x"
    assert mangle("class") == "_u_class"
    assert mangle("_rt_thing") == "_u__rt_thing"
    assert mangle("_u_a") == "_u__u_a"
    for name in ("x", "class", "_rt_thing", "_u_a", "None", "__builtins__", "__file__", "__gd_private__", "__X__"):
        assert unmangle(mangle(name)) == name
    assert unmangle("_rt_add") is None
    assert unmangle("__builtins__") is None
    assert unmangle("__gd_private__") is None
    assert unmangle("__name__") is None


# ----------------------------------------------------------------------------- python-backed


def test_import_binds_module_under_file_stem_and_runs_once(tmp_path):
    write(tmp_path, "util.gd", "print('loading util')\nanswer = 42\n")
    main = write(tmp_path, "main.gd", "_rt_import('./util', None, None, None)\n_rt_import('util', None, None, None)\n")
    interp = python_backed(tmp_path)
    namespace = run_main(interp, main)
    module = namespace["util"]
    assert isinstance(module, Module)
    assert module.get_member("answer") == 42
    assert interp.printed == ["loading util"]  # cached per resolved path
    assert module.call("name") == "util"
    assert module.call("path") == str((tmp_path / "util.gd").resolve())
    assert namespace["__gd_imports__"] == ["util", "util"]


def test_declared_name_alias_and_explicit_alias(tmp_path):
    write(tmp_path, "utilities_module.gr", "_rt_module_decl('utilities', 'utils')\nx = 1\n")
    write(tmp_path, "plain.gd", "_rt_module_decl('plainmod', None)\ny = 2\n")
    main = write(
        tmp_path,
        "main.gd",
        """\
        _rt_import('./utilities_module', None, None, None)
        _rt_import('plain', None, None, None)
        _rt_import('plain', 'pp', None, None)
        """,
    )
    namespace = run_main(python_backed(tmp_path), main)
    assert namespace["utils"].get_member("x") == 1  # .gr found after .gd, bound by its alias
    assert namespace["plainmod"].get_member("y") == 2  # declared name
    assert namespace["pp"] is namespace["plainmod"]  # explicit alias, same cached module


def test_selective_import_and_priv(tmp_path):
    write(
        tmp_path,
        "lib.gd",
        """\
        def f(): return 'f'
        def helper(): return 'secret'
        secret = 1
        _rt_priv(('helper', 'secret'))
        """,
    )
    main = write(tmp_path, "main.gd", "_rt_import('lib', None, (('f', None), ('f', 'g')), None)\n")
    namespace = run_main(python_backed(tmp_path), main)
    assert namespace["f"]() == "f" and namespace["g"] is namespace["f"]
    assert "lib" not in namespace
    bad = write(tmp_path, "bad.gd", "_rt_import('lib', None, (('helper', None),), None)\n")
    with pytest.raises(GraphoidError, match="'helper' is private to module 'lib'"):
        run_main(python_backed(tmp_path), bad)


def test_module_value_members_private_and_hints(tmp_path):
    write(tmp_path, "m.gd", "def double(x): return x * 2\ncount = 3\nhidden = 0\n_rt_priv(('hidden',))\nclass_ = 1\n")
    main = write(tmp_path, "main.gd", "_rt_import('m', None, None, None)\n")
    module = run_main(python_backed(tmp_path), main)["m"]
    assert module.call("double", (21,)) == 42
    assert module.exports() == ["double", "count", "class_"]
    assert module.call("exports") == ["double", "count", "class_"]
    assert module.display() == "<module m>"
    with pytest.raises(GraphoidError, match="private"):
        module.get_member("hidden")
    with pytest.raises(GraphoidError, match="private"):
        module.call("hidden")
    with pytest.raises(GraphoidError) as info:
        module.get_member("cont")
    assert info.value.hint == "did you mean 'count'?"
    with pytest.raises(GraphoidError, match="not a function"):
        module.call("count")
    module.set_member("count", 4)
    assert module.get_member("count") == 4


def test_cycle_is_reported_with_the_chain(tmp_path):
    write(tmp_path, "a.gd", "_rt_import('./b', None, None, None)\n")
    write(tmp_path, "b.gd", "_rt_import('./a', None, None, None)\n")
    main = write(tmp_path, "main.gd", "_rt_import('./a', None, None, None)\n")
    with pytest.raises(GraphoidError) as info:
        run_main(python_backed(tmp_path), main)
    assert info.value.kind == "ImportError"
    assert "Circular import" in info.value.message
    assert "a.gd -> " in info.value.message and info.value.message.endswith("a.gd")


def test_missing_module_lists_where_it_looked(tmp_path):
    main = write(tmp_path, "main.gd", "_rt_import('./nothere', None, None, None)\n")
    with pytest.raises(GraphoidError) as info:
        run_main(python_backed(tmp_path), main)
    assert info.value.kind == "ImportError"
    assert "Module not found: './nothere'" in info.value.message
    assert "nothere.gd" in info.value.message and "nothere.gr" in info.value.message


def test_empty_and_unusable_paths_are_import_errors(tmp_path):
    for line in ("_rt_import('', None, None, None)", "_rt_load('  ', None)", "_rt_import('a\\0b', None, None, None)",
                 f"_rt_import('{'x' * 5000}', None, None, None)"):
        main = write(tmp_path, "main.gd", line + "\n")
        with pytest.raises(GraphoidError) as info:
            run_main(python_backed(tmp_path), main)
        assert info.value.kind == "ImportError"


def test_relative_resolution_is_from_the_importing_file(tmp_path):
    write(tmp_path, "pkg/inner.gd", "v = 'inner'\n")
    write(tmp_path, "pkg/outer.gd", "_rt_import('./inner', None, None, None)\n")
    write(tmp_path, "pkg/sub/deep.gd", "_rt_import('../inner', 'i2', None, None)\n")
    main = write(tmp_path, "main.gd", "_rt_import('./pkg/outer', None, None, None)\n_rt_import('./pkg/sub/deep', None, None, None)\n")
    namespace = run_main(python_backed(tmp_path), main)
    outer_ns = namespace["outer"].namespace
    assert outer_ns["inner"].get_member("v") == "inner"
    assert namespace["deep"].namespace["i2"] is outer_ns["inner"]


def test_stdlib_directory_is_searched(tmp_path, monkeypatch):
    stdlib = tmp_path / "fake_stdlib"
    write(stdlib, "mathx.gd", "pi3 = 3\n")
    import graphoid.resources as resources

    monkeypatch.setattr(resources, "stdlib_dir", lambda: stdlib)
    main = write(tmp_path / "prog", "main.gd", "_rt_import('mathx', None, None, None)\n")
    assert run_main(python_backed(tmp_path), main)["mathx"].get_member("pi3") == 3


def test_handoff_of_dunder_variables(tmp_path):
    # Graphoid `__X__` variables live under mangled keys (`_u___X__`), as compiled code writes them.
    write(tmp_path, "runner.gd", "_u___RESULT__ = _u___INPUT__ * 2\n")
    main = write(tmp_path, "main.gd", "_u___INPUT__ = 21\n_rt_import('runner', None, None, None)\n")
    namespace = run_main(python_backed(tmp_path), main)
    assert namespace[mangle("__RESULT__")] == 42


def test_load_runs_in_the_callers_namespace(tmp_path, monkeypatch):
    write(tmp_path, "conf/settings.gd", "setting = 'on'\nseen = base\n")
    main = write(tmp_path, "main.gd", "base = 1\n_rt_load('conf/settings.gd', None)\n")
    monkeypatch.chdir(tmp_path / "conf")  # not found relative to CWD: falls back to the file's folder
    interp = python_backed(tmp_path)
    interp.main_file = str(main)
    namespace = run_main(interp, main)
    assert namespace["setting"] == "on" and namespace["seen"] == 1


def test_load_cycle_and_type_errors(tmp_path):
    write(tmp_path, "self.gd", "_rt_load('self.gd', None)\n")
    main = write(tmp_path, "main.gd", "_rt_load('self.gd', None)\n")
    interp = python_backed(tmp_path)
    interp.main_file = str(main)
    with pytest.raises(GraphoidError, match="Circular import"):
        run_main(interp, main)
    bad = write(tmp_path, "bad.gd", "_rt_load(42, None)\n")
    with pytest.raises(GraphoidError, match="load expects a string path"):
        run_main(python_backed(tmp_path), bad)


def test_failed_module_is_not_cached(tmp_path):
    lib = write(tmp_path, "flaky.gd", "raise_it()\n")
    main = write(tmp_path, "main.gd", "_rt_import('flaky', None, None, None)\n")
    interp = python_backed(tmp_path)
    with pytest.raises(GraphoidError):
        run_main(interp, main)
    lib.write_text("ok = True\n")
    assert run_main(interp, main)["flaky"].get_member("ok") is True


def test_native_modules_and_ffi(tmp_path):
    register_native_module("test_native_h5", lambda interp: {"twice": lambda x: 2 * x})
    main = write(tmp_path, "main.gd", "_rt_import('test_native_h5', 'tn', None, None)\n_rt_import('ffi', None, None, None)\n")
    warnings: list[str] = []
    interp = python_backed(tmp_path, stderr=warnings.append)
    namespace = run_main(interp, main)
    assert namespace["tn"].call("twice", (4,)) == 8
    assert "ffi" not in namespace
    assert any("ffi" in w for w in warnings)


def test_sandbox_denies_files_outside_allowed_roots(tmp_path):
    write(tmp_path, "inside/ok.gd", "v = 1\n")
    write(tmp_path, "outside/no.gd", "v = 2\n")
    main = write(tmp_path, "main.gd", "_rt_import('./inside/ok', None, None, None)\n")
    interp = python_backed(tmp_path, sandbox=True, allowed_roots=[tmp_path / "inside"])
    assert run_main(interp, main)["ok"].get_member("v") == 1
    denied = write(tmp_path, "main2.gd", "_rt_import('./outside/no', None, None, None)\n")
    with pytest.raises(GraphoidError) as info:
        run_main(interp, denied)
    assert info.value.kind == "SandboxError"
    register_native_module("test_fs_h5", lambda interp: {}, capability="fs")
    native = write(tmp_path, "main3.gd", "_rt_import('test_fs_h5', None, None, None)\n")
    with pytest.raises(GraphoidError, match="no fs access"):
        run_main(interp, native)


def test_host_loader_supplies_bare_module_names(tmp_path):
    sources = {"virtual": "_rt_module_decl('virtual', 'v')\nanswer = 41 + 1\n"}
    asked: list[str] = []

    def loader(name):
        asked.append(name)
        return sources.get(name)

    write(tmp_path, "ondisk.gd", "x = 1\n")
    main = write(
        tmp_path,
        "main.gd",
        "_rt_import('virtual', None, None, None)\n_rt_import('virtual', 'again', None, None)\n"
        "_rt_import('ondisk', None, None, None)\n_rt_import('./ondisk', 'rel', None, None)\n",
    )
    namespace = run_main(python_backed(tmp_path, loader=loader, sandbox=True, allowed_roots=[tmp_path]), main)
    assert namespace["v"].get_member("answer") == 42 and namespace["again"] is namespace["v"]
    assert namespace["v"].call("path") == "<loader:virtual>"
    assert namespace["ondisk"].get_member("x") == 1  # the loader said None: files as usual
    assert asked == ["virtual", "ondisk"]  # cached after the first import; relative paths skip it


def test_host_loader_failures_are_import_errors(tmp_path):
    main = write(tmp_path, "main.gd", "_rt_import('boom', None, None, None)\n")

    def broken(name):
        raise OSError("disk on fire")

    with pytest.raises(GraphoidError, match="module loader failed for 'boom': OSError: disk on fire"):
        run_main(python_backed(tmp_path, loader=broken), main)
    with pytest.raises(GraphoidError, match="module loader returned bytes"):
        run_main(python_backed(tmp_path, loader=lambda name: b"x = 1"), main)


# ----------------------------------------------------------------------------- source files


def test_read_source_file_errors(tmp_path):
    with pytest.raises(GraphoidError, match="No such file"):
        read_source_file(tmp_path / "missing.gd")
    with pytest.raises(GraphoidError, match="is a directory"):
        read_source_file(tmp_path)
    bad = tmp_path / "bad.gd"
    bad.write_bytes(b"x = 1\ny = \xff\n")
    with pytest.raises(GraphoidError) as info:
        read_source_file(bad)
    span = info.value.span
    assert info.value.kind == "SyntaxError" and "not valid UTF-8" in info.value.message
    assert (span.file, span.line, span.col) == (str(bad), 2, 5)
    binary = tmp_path / "bin.gd"
    binary.write_bytes(b"abc\0def")
    with pytest.raises(GraphoidError, match="binary file"):
        read_source_file(binary)
    bom = tmp_path / "bom.gd"
    bom.write_bytes("\ufeffprint(1)".encode())
    assert read_source_file(bom) == "print(1)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_read_source_file_permission(tmp_path):
    locked = tmp_path / "locked.gd"
    locked.write_text("x = 1")
    locked.chmod(0)
    with pytest.raises(GraphoidError, match="Permission denied"):
        read_source_file(locked)


def test_bad_byte_column_counts_the_characters_shown_before_it(tmp_path):
    bad = tmp_path / "accents.gd"
    bad.write_bytes('s = "\u00e9\u00e9" '.encode() + b"\xff")
    with pytest.raises(GraphoidError) as info:
        read_source_file(bad)
    # Two 2-byte characters before the bad byte: column 10 in characters, not 12 in bytes.
    assert (info.value.span.line, info.value.span.col) == (1, 10)


def test_source_over_the_size_cap_is_refused_for_run_import_load_and_loader(tmp_path, monkeypatch):
    import graphoid.runtime.modules as modules

    monkeypatch.setattr(modules, "MAX_SOURCE_BYTES", 100)
    big = "x = 1\n" * 20
    write(tmp_path, "big.gd", big)
    cases = {
        "run": lambda interp: interp.run_file(tmp_path / "big.gd"),
        "import": lambda interp: interp.run_file(write(tmp_path, "imp.gd", 'import "big"\n')),
        "load": lambda interp: interp.run_file(write(tmp_path, "ld.gd", 'load "big.gd"\n')),
        "loader": lambda interp: interp.run('import "virtual"'),
    }
    for what, action in cases.items():
        interp = Interpreter(loader=lambda name: big if name == "virtual" else None)
        with pytest.raises(GraphoidError) as info:
            action(interp)
        assert info.value.kind == "SyntaxError", what
        assert "too large to be Graphoid source (the limit is 16 MiB)" in info.value.message, what


def test_read_source_file_never_reads_past_the_cap(tmp_path, monkeypatch):
    import graphoid.runtime.modules as modules

    if not os.path.exists("/dev/zero"):
        pytest.skip("needs /dev/zero")
    monkeypatch.setattr(modules, "MAX_SOURCE_BYTES", 1000)
    with pytest.raises(GraphoidError, match="'/dev/zero' is too large"):
        read_source_file("/dev/zero")


# ----------------------------------------------------------------------------- end to end


def run_program(tmp_path: Path, files: dict[str, str], main: str = "main.gd") -> tuple[list[str], Interpreter]:
    for name, text in files.items():
        write(tmp_path, name, text)
    out: list[str] = []
    interp = Interpreter(stdout=out.append)
    interp.run_file(tmp_path / main)
    return "".join(out).splitlines(), interp


def test_graphoid_import_alias_members_and_introspection(tmp_path):
    lines, _ = run_program(
        tmp_path,
        {
            "utils_module.gd": """\
                module utilities alias utils
                greeting = "hi"
                fn shout(s) { return s.upper() + "!" }
                fn shout(s, n) { return s.upper() + "!" * n }
                priv fn helper(x) { return x * 2 }
                fn twice(x) { return helper(x) }
                """,
            "main.gd": """\
                import "./utils_module"
                print(utils.greeting, utils.shout("a"), utils.twice(21))
                print(utils.name(), utils.exports())
                print(utils)
                print(utils.type())
                """,
        },
    )
    assert lines == ["hi A! 42", "utilities [greeting, shout, twice]", "<module utilities>", "module"]


def test_graphoid_selective_import_and_explicit_alias(tmp_path):
    lines, _ = run_program(
        tmp_path,
        {
            "lib/mathy.gd": "fn sq(x) { return x * x }\nfn cube(x) { return x * x * x }\nbase = 10\n",
            "main.gd": """\
                import "./lib/mathy" { sq, cube as c3 }
                import "./lib/mathy" as m
                print(sq(3), c3(2), m.base)
                """,
        },
    )
    assert lines == ["9 8 10"]


def test_graphoid_private_member_access_is_an_error(tmp_path):
    files = {
        "secret.gd": "priv { KEY = 7\nfn hidden() { return KEY } }\nfn visible() { return hidden() }\n",
        "main.gd": 'import "./secret"\nprint(secret.visible())\nprint(secret.KEY)\n',
    }
    out: list[str] = []
    for name, text in files.items():
        write(tmp_path, name, text)
    interp = Interpreter(stdout=out.append)
    with pytest.raises(GraphoidError) as info:
        interp.run_file(tmp_path / "main.gd")
    assert out == ["7\n"]
    assert "'KEY' is private to module 'secret'" in info.value.message
    assert info.value.span is not None and info.value.span.line == 3


def test_graphoid_import_cycle_reports_chain(tmp_path):
    write(tmp_path, "a.gd", 'import "./b"\nx = 1\n')
    write(tmp_path, "b.gd", 'import "./a"\ny = 2\n')
    write(tmp_path, "main.gd", 'import "./a"\n')
    with pytest.raises(GraphoidError) as info:
        Interpreter().run_file(tmp_path / "main.gd")
    assert info.value.kind == "ImportError"
    assert "Circular import:" in info.value.message and "b.gd" in info.value.message


def test_graphoid_load_shares_the_namespace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines, interp = run_program(
        tmp_path,
        {
            "config.gd": "limit = base * 2\nfn describe() { return \"limit \" + limit.to_string() }\n",
            "main.gd": 'base = 21\nload "config.gd"\nprint(describe())\nfile = "config"\nload file + ".gd"\nprint(limit)\n',
        },
    )
    assert lines == ["limit 42", "42"]


def test_graphoid_module_error_points_into_the_module(tmp_path):
    write(tmp_path, "broken.gd", "x = 1\ny = x / 0\n")
    write(tmp_path, "main.gd", 'import "./broken"\n')
    interp = Interpreter()
    with pytest.raises(GraphoidError) as info:
        interp.run_file(tmp_path / "main.gd")
    assert info.value.span.file.endswith("broken.gd") and info.value.span.line == 2
    assert "y = x / 0" in interp.format_error(info.value)


def test_graphoid_stdlib_module_imports(tmp_path):
    from graphoid.resources import stdlib_dir

    shipped = sorted(p.stem for p in stdlib_dir().glob("*.gd"))
    assert "gspec" in shipped and "approx" in shipped, shipped
    name = "approx"
    write(tmp_path, "main.gd", f'import "{name}" as lib\nprint(lib.name())\n')
    out: list[str] = []
    Interpreter(stdout=out.append).run_file(tmp_path / "main.gd")
    assert out[-1].strip() == "approx"
