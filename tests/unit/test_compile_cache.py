"""The user cache (graphoid/usercache.py) and the compiled-module cache (graphoid/compiler/cache.py):
hits, misses, invalidation, damaged entries, unusable directories, and identical behaviour
with and without the cache (checked in fresh processes, where nothing is registered yet)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import graphoid.compiler
from graphoid import usercache
from graphoid.compiler import CompileRecord
from graphoid.runtime.interpreter import Interpreter

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes(range(usercache.KEY_SIZE))


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(usercache.ENV_DIR, str(folder))
    monkeypatch.delenv(usercache.ENV_OFF, raising=False)
    return folder


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The file names compile_program is called for (a cache hit does not call it)."""
    seen: list[str] = []
    real = graphoid.compiler.compile_program

    def counting(program, filename, **options):
        seen.append(filename)
        return real(program, filename, **options)

    monkeypatch.setattr(graphoid.compiler, "compile_program", counting)
    return seen


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def module_entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("module-*.marshal"))


# ----------------------------------------------------------------------------- the directory


def test_entry_round_trip_and_key_mismatch(cache):
    assert usercache.read_entry("e", KEY) is None
    assert usercache.write_entry("e", KEY, b"payload")
    assert usercache.read_entry("e", KEY) == b"payload"
    assert usercache.read_entry("e", bytes(usercache.KEY_SIZE)) is None
    assert (cache.stat().st_mode & 0o777) == 0o700
    assert not list(cache.glob("*.tmp"))


@pytest.mark.parametrize("damage", [
    lambda data: data[:10],                      # truncated header
    lambda data: data[:-2],                      # truncated payload
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # a flipped bit
    lambda data: b"garbage" * 10,
    lambda data: b"",
])
def test_damaged_entry_reads_as_a_miss(cache, damage):
    usercache.write_entry("e", KEY, b"some payload bytes")
    path = cache / "e"
    path.write_bytes(damage(path.read_bytes()))
    assert usercache.read_entry("e", KEY) is None


def test_cache_off_by_environment(cache, monkeypatch):
    monkeypatch.setenv(usercache.ENV_OFF, "1")
    assert usercache.cache_dir() is None
    assert not usercache.write_entry("e", KEY, b"x")
    assert not cache.exists()


def test_directory_others_can_write_is_refused(cache):
    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o777)
    assert usercache.cache_dir() is None
    os.chmod(cache, 0o700)
    assert usercache.cache_dir() == str(cache)


def test_directory_that_cannot_be_created_is_refused(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(usercache.ENV_DIR, str(blocker / "cache"))
    assert usercache.cache_dir() is None
    assert not usercache.write_entry("e", KEY, b"x")
    monkeypatch.setenv(usercache.ENV_DIR, str(blocker))
    assert usercache.cache_dir() is None


def test_default_location_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv(usercache.ENV_DIR, raising=False)
    monkeypatch.delenv(usercache.ENV_OFF, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert usercache.cache_dir() == str(tmp_path / "xdg" / "graphoid")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert usercache.cache_dir() == str(tmp_path / "home" / ".cache" / "graphoid")


# ----------------------------------------------------------------------------- compiled modules


def run_importer(folder: Path) -> list[str]:
    out: list[str] = []
    interp = Interpreter(stdout=lambda text: out.append(text))
    interp.run_file(str(folder / "main.gd"))
    return out


def test_import_compiles_once_then_hits_the_cache(cache, compiles, tmp_path):
    write(tmp_path, "lib.gd", 'fn greet(n) { return "hi " + n }\n')
    write(tmp_path, "main.gd", 'import "lib"\nprint(lib.greet("a"))\n')
    assert run_importer(tmp_path) == ["hi a\n"]
    assert len([f for f in compiles if f.endswith("lib.gd")]) == 1
    assert len(module_entries(cache)) == 1
    compiles.clear()
    assert run_importer(tmp_path) == ["hi a\n"]
    assert not [f for f in compiles if f.endswith("lib.gd")]
    assert any(f.endswith("main.gd") for f in compiles)  # the main program is not cached


def test_changed_source_recompiles_and_overwrites_the_entry(cache, compiles, tmp_path):
    write(tmp_path, "lib.gd", "fn v() { return 1 }\n")
    write(tmp_path, "main.gd", 'import "lib"\nprint(lib.v())\n')
    assert run_importer(tmp_path) == ["1\n"]
    write(tmp_path, "lib.gd", "fn v() { return 2 }\n")
    compiles.clear()
    assert run_importer(tmp_path) == ["2\n"]
    assert any(f.endswith("lib.gd") for f in compiles)
    assert len(module_entries(cache)) == 1


def test_corrupt_entry_is_recompiled_and_rewritten(cache, compiles, tmp_path):
    write(tmp_path, "lib.gd", "fn v() { return [1, 2].map(x => x * 3) }\n")
    write(tmp_path, "main.gd", 'import "lib"\nprint(lib.v())\n')
    assert run_importer(tmp_path) == ["[3, 6]\n"]
    (entry,) = module_entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(good[:40] + b"\0" * (len(good) - 40))
    compiles.clear()
    assert run_importer(tmp_path) == ["[3, 6]\n"]
    assert any(f.endswith("lib.gd") for f in compiles)
    compiles.clear()
    assert run_importer(tmp_path) == ["[3, 6]\n"]
    assert not any(f.endswith("lib.gd") for f in compiles)  # rewritten: a hit again


def test_valid_entry_holding_a_wrong_payload_is_recompiled(cache, compiles, tmp_path):
    write(tmp_path, "lib.gd", "x = 5\n")
    write(tmp_path, "main.gd", 'import "lib"\nprint(lib.x)\n')
    run_importer(tmp_path)
    (entry,) = module_entries(cache)
    key = entry.read_bytes()[len(usercache.MAGIC):len(usercache.MAGIC) + usercache.KEY_SIZE]
    usercache.write_entry(entry.name, key, b"\x00not marshal data")
    compiles.clear()
    assert run_importer(tmp_path) == ["5\n"]
    assert any(f.endswith("lib.gd") for f in compiles)


def test_unusable_cache_directory_falls_back_silently(tmp_path, monkeypatch, compiles):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(usercache.ENV_DIR, str(blocker / "cache"))
    write(tmp_path, "lib.gd", "x = 7\n")
    write(tmp_path, "main.gd", 'import "lib"\nprint(lib.x)\n')
    assert run_importer(tmp_path) == ["7\n"]
    assert run_importer(tmp_path) == ["7\n"]
    assert len([f for f in compiles if f.endswith("lib.gd")]) == 2


def test_compile_options_are_part_of_the_identity(cache, compiles, tmp_path):
    write(tmp_path, "lib.gd", "fn spin() { while true { } }\n")
    write(tmp_path, "main.gd", 'import "lib"\nlib.spin()\n')
    run = Interpreter(stdout=lambda text: None, max_steps=1000)
    with pytest.raises(Exception, match="step"):
        run.run_file(str(tmp_path / "main.gd"))
    assert len(module_entries(cache)) == 1
    # Without limits the module compiles again (no `_rt_tick` calls), into its own entry.
    write(tmp_path, "main.gd", 'import "lib"\nprint(1)\n')
    run_importer(tmp_path)
    assert len(module_entries(cache)) == 2


def test_stale_thresholds_make_an_entry_invalid(monkeypatch):
    record = CompileRecord({}, (), {"var": 3})
    monkeypatch.setattr(graphoid.compiler, "_THRESHOLD_SOURCE", [lambda: {"var": 3}])
    assert record.is_current()
    monkeypatch.setattr(graphoid.compiler, "_THRESHOLD_SOURCE", [lambda: {"var": 4}])
    assert not record.is_current()


@pytest.mark.timeout(300)
def test_same_behaviour_with_and_without_the_cache_in_fresh_processes(tmp_path):
    """Symbols, function labels in error stacks and copy-on-write checks survive a cached load."""
    write(tmp_path, "lib.gd", """\
        fn tag() { return :cache_probe_symbol }
        fn grow(xs) {
            xs.append!(1)
            return xs
        }
        fn fail(n) {
            inner = (k) => k / 0
            return inner(n)
        }
        """)
    write(tmp_path, "main.gd", """\
        import "lib"
        print(lib.tag())
        a = [0]
        b = lib.grow(a)
        print(a, b)
        lib.fail(1)
        """)
    env = dict(os.environ, PYTHONPATH=str(ROOT), GRAPHOID_CACHE_DIR=str(tmp_path / "cache"), NO_COLOR="1")
    env.pop(usercache.ENV_OFF, None)

    def run(extra: dict[str, str]) -> tuple[int, str, str]:
        done = subprocess.run([sys.executable, "-m", "graphoid", "run", "main.gd"], cwd=tmp_path, env={**env, **extra},
                              capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr

    uncached = run({usercache.ENV_OFF: "1"})
    cold = run({})
    assert list((tmp_path / "cache").glob("module-*.marshal"))
    warm = run({})
    assert uncached == cold == warm
    assert uncached[0] == 70 and uncached[1] == ":cache_probe_symbol\n[0] [0, 1]\n"
    assert "lib.gd" in uncached[2] and "inner" in uncached[2]


def test_spec_runs_do_not_recompile_gspec(cache, compiles, tmp_path):
    from graphoid.spec.runner import run_file

    spec = write(tmp_path, "tiny_spec.gd", """\
        describe "tiny" {
            it "adds" { expect(1 + 1).to_equal(2) }
        }
        """)
    import io

    first = run_file(str(spec), io.StringIO())
    assert first.passed == 1 and any(f.endswith("gspec.gd") for f in compiles)
    compiles.clear()
    second = run_file(str(spec), io.StringIO())
    assert second.passed == 1 and compiles == []
