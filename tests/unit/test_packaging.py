"""Packaging: the wheel ships every package, the grammar and the stdlib, and runs when installed.

The build happens on a copy of the source tree so the repository never gets build/ or
*.egg-info litter; the venv reuses the system site-packages for dependencies (no network).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared_packages() -> set[str]:
    return set(PYPROJECT["tool"]["setuptools"]["packages"])


def test_every_python_package_is_declared():
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "graphoid").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    found |= {"graphoid.grammar", "graphoid.stdlib"}
    assert found == _declared_packages()


def test_project_metadata():
    project = PYPROJECT["project"]
    assert project["name"] == "graphoid"
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"] == {"graphoid": "graphoid.cli:main"}
    assert all(">=" in dep for dep in project["dependencies"])
    from graphoid import __version__

    assert project["version"] == __version__


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("wheel", reason="building needs the 'wheel' package (pip install -e '.[test]')")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "__pycache__", "build", "dist", "*.egg-info", ".pytest_cache", ".hypothesis", ".venv"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work / "dist"), str(source)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (built,) = (work / "dist").glob("graphoid-*.whl")
    return built


def test_wheel_contains_grammar_and_stdlib(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "graphoid/grammar/graphoid.lark" in names
    assert "graphoid/cli.py" in names and "graphoid/__main__.py" in names
    stdlib_sources = [p.name for p in (ROOT / "stdlib").iterdir() if p.suffix in (".gd", ".gr")]
    for name in stdlib_sources:
        assert f"graphoid/stdlib/{name}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "graphoid = graphoid.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_runs_hello_outside_the_repo(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GRAPHOID_DEBUG")}
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True, capture_output=True, text=True, env=env, timeout=300,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "examples" / "hello.gd", work / "hello.gd")
    where = subprocess.run(
        [str(python), "-c", "import graphoid, graphoid.resources as r; print(graphoid.__file__); "
         "print(r.grammar_dir()); print(r.stdlib_dir())"],
        cwd=work, env=env, capture_output=True, text=True, check=True, timeout=60,
    )
    module_file, grammar, stdlib = where.stdout.splitlines()
    for path in (module_file, grammar, stdlib):
        assert path.startswith(str(venv)), where.stdout  # the installed copy, not the checkout
    result = subprocess.run(
        [str(bin_dir / "graphoid"), "run", "hello.gd"], cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Hello, Graphoid!\n")
    version = subprocess.run([str(bin_dir / "graphoid"), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert version.stdout == "Graphoid 0.1.0\n"


# ----------------------------------------------------------------------------- README and CI


def test_readme_gives_the_two_newcomer_commands_and_its_python_runs(tmp_path, monkeypatch):
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && graphoid run examples/hello.gd" in text
    assert "bash .ci/run" in text
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
        monkeypatch.chdir(tmp_path)
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})


def _fake_python(tmp_path: Path, pytest_status: int) -> Path:
    """A stand-in interpreter for .ci/run that logs its arguments and fakes pytest's status."""
    log = tmp_path / "calls.log"
    fake = tmp_path / "fakepython"
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$*" >> "{log}"\n'
        'if [ "$1" = "-m" ] && [ "$2" = "pytest" ]; then exit ' + str(pytest_status) + "; fi\n"
        "exit 0\n"
    )
    fake.chmod(0o755)
    return fake


@pytest.mark.parametrize("pytest_status, expected", [(0, 0), (1, 1), (5, 1)])
def test_ci_script_installs_runs_pytest_and_handles_exit_5(tmp_path, pytest_status, expected):
    fake = _fake_python(tmp_path, pytest_status)
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "-k", "something"],
        env={**os.environ, "PYTHON": str(fake)}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == expected, result.stderr
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert calls[1] == "-m pip install --quiet --disable-pip-version-check -e .[test]"
    assert calls[2] == "-m pytest -q -k something"
    assert ("collected no tests" in result.stderr) == (pytest_status == 5)
