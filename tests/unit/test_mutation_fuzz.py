"""Mutants of the conformance programs through the `graphoid` command: the error contract.

Every mutant must end with exit status 0, 65 (syntax) or 70 (runtime), print no Python
traceback and no "internal error", and never die of a signal. The mutations are seeded, so a
failure reproduces: GRAPHOID_FUZZ_SEED picks the seed, GRAPHOID_FUZZ_MUTANTS the count.

Most mutants run in-process through `graphoid.cli.main` with captured streams (fast); each
runs in an Interpreter with a step and time limit (a mutant that loops forever stops with a
LimitError, exit 70) and a sandbox confined to a copy of the corpus. A few then run again in a
real `python -m graphoid` process. test_pipeline_fuzz.py checks the Interpreter API the same
way with hypothesis; this file is about what the command prints and returns.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

import attrs
import pytest

import graphoid.runtime.interpreter as interpreter_module
from graphoid.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "tests" / "conformance"
SEED = int(os.environ.get("GRAPHOID_FUZZ_SEED", "7"))
MUTANTS = int(os.environ.get("GRAPHOID_FUZZ_MUTANTS", "300"))
SUBPROCESS_MUTANTS = 4
MAX_STEPS = 200_000
TIME_LIMIT = 2.0
# Far beyond TIME_LIMIT: only a hang the limits cannot stop (inside a builtin) reaches it.
WATCHDOG_SECONDS = 30
ALLOWED_EXITS = (0, 65, 70)

# Rough Graphoid tokens: strings, names, numbers, multi-character operators, single symbols.
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[A-Za-z_]\w*|\d+(?:\.\d+)?|=>|==|!=|<=|>=|\*\*|//|\.\.\.|\.\.|[^\s\w]')
DEEP_VALUE = "fuzz_deep = []\nfor fuzz_i in range(30000) { fuzz_deep = [fuzz_deep] }\nprint(fuzz_deep == fuzz_deep, fuzz_deep)\n"


def read_corpus() -> list[tuple[Path, str]]:
    """(relative path, text) of every conformance program; undecodable bytes survive."""
    programs = []
    for path in sorted(CORPUS_DIR.rglob("*.gd")):
        relative = path.relative_to(CORPUS_DIR)
        if "lib" in relative.parts[:-1]:
            continue
        programs.append((relative, path.read_bytes().decode("utf-8", errors="surrogateescape")))
    return programs


def token_class(token: str) -> str:
    if token[0] == '"':
        return "string"
    if token[0].isdigit():
        return "number"
    return "name" if token[0].isalpha() or token[0] == "_" else "symbol"


CORPUS = read_corpus()
TOKENS = sorted({token for _, text in CORPUS for token in TOKEN.findall(text)})
TOKENS_BY_CLASS: dict[str, list[str]] = {}
for _token in TOKENS:
    TOKENS_BY_CLASS.setdefault(token_class(_token), []).append(_token)


# ----------------------------------------------------------------------------- mutations


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    where = rng.randrange(len(lines))
    lines.insert(where, lines[where])
    return "\n".join(lines)


def swap_lines(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def replace_token(rng: random.Random, text: str) -> str:
    """Another corpus token in place of one: mostly of the same class (a name for a name),
    so that many mutants still parse and go on to fail, or not, at run time."""
    found = list(TOKEN.finditer(text))
    if not found:
        return text
    token = rng.choice(found)
    pool = TOKENS_BY_CLASS[token_class(token.group())] if rng.random() < 0.7 else TOKENS
    return text[: token.start()] + rng.choice(pool) + text[token.end() :]


def insert_token(rng: random.Random, text: str) -> str:
    where = rng.randrange(len(text) + 1)
    return text[:where] + " " + rng.choice(TOKENS) + " " + text[where:]


def truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


def nest_deeply(rng: random.Random, text: str) -> str:
    """Wrap one token in many brackets: parser and compiler nesting limits."""
    found = list(TOKEN.finditer(text))
    if not found:
        return text
    token = rng.choice(found)
    opener, closer = rng.choice([("(", ")"), ("[", "]"), ("-", "")])
    depth = rng.choice([30, 300, 3000])
    return text[: token.start()] + opener * depth + token.group() + closer * depth + text[token.end() :]


def insert_deep_value(rng: random.Random, text: str) -> str:
    """Build and print a value nested deeper than the Python stack at some line."""
    lines = _lines(text)
    lines.insert(rng.randrange(len(lines) + 1), DEEP_VALUE)
    return "\n".join(lines)


MUTATIONS: list[Callable[[random.Random, str], str]] = [
    delete_line, duplicate_line, swap_lines, replace_token, replace_token, insert_token,
    truncate, nest_deeply, insert_deep_value,
]


@attrs.frozen
class Mutant:
    index: int
    original: Path
    steps: tuple[str, ...]
    text: str


def mutants(seed: int, count: int) -> list[Mutant]:
    """`count` mutants, each of one corpus program with one to three mutations."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        original, text = rng.choice(CORPUS)
        steps = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            mutation = rng.choice(MUTATIONS)
            # The deep value costs a second per mutant; a tenth of that rate is plenty.
            if mutation is insert_deep_value and rng.random() > 0.1:
                mutation = replace_token
            text = mutation(rng, text)
            steps.append(mutation.__name__)
        out.append(Mutant(index, original, tuple(steps), text))
    return out


# ----------------------------------------------------------------------------- running


class MutantHung(BaseException):
    """Raised by the watchdog; a BaseException so no Graphoid `catch` can swallow it."""


@attrs.frozen
class Outcome:
    exit_code: int
    stderr: str


def write_mutant(corpus_copy: Path, mutant: Mutant) -> Path:
    """The mutant, saved beside its original in the copy so its relative imports resolve."""
    path = corpus_copy / mutant.original.parent / "fuzz_mutant.gd"
    path.write_bytes(mutant.text.encode("utf-8", errors="surrogateescape"))
    return path


def run_in_process(path: Path) -> Outcome:
    out, err = io.StringIO(), io.StringIO()

    def on_alarm(signum: int, frame: object) -> None:  # noqa: ARG001 - signal handler signature
        raise MutantHung()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Re-fire every second in case the first one lands where it is swallowed.
    signal.setitimer(signal.ITIMER_REAL, WATCHDOG_SECONDS, 1.0)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["run", str(path)])
    except MutantHung:
        return Outcome(-1, f"still running after {WATCHDOG_SECONDS} s despite the limits")
    except Exception as exc:  # noqa: BLE001 - an escaping exception is the failure being looked for
        return Outcome(-1, f"{err.getvalue()}\nescaped main(): {type(exc).__name__}: {exc}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(code, err.getvalue())


def run_subprocess(path: Path, cwd: Path) -> Outcome:
    env = {key: value for key, value in os.environ.items() if key != "GRAPHOID_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "graphoid", "run", str(path)],
        cwd=cwd, capture_output=True, text=True, errors="replace", env=env, timeout=120,
    )
    return Outcome(result.returncode, result.stderr)


def contract_breach(outcome: Outcome) -> str | None:
    """What is wrong with an outcome, or None when it keeps the error contract."""
    if outcome.exit_code < 0:
        return f"killed or escaped (status {outcome.exit_code})"
    if outcome.exit_code not in ALLOWED_EXITS:
        return f"exit status {outcome.exit_code}"
    if "Traceback" in outcome.stderr:
        return "a Python traceback"
    if "internal error" in outcome.stderr:
        return "an internal error"
    return None


def describe(mutant: Mutant, problem: str, outcome: Outcome) -> str:
    return (
        f"mutant {mutant.index} of {mutant.original} ({', '.join(mutant.steps)}; seed {SEED}): {problem}\n"
        f"--- stderr (first 1000 characters) ---\n{outcome.stderr[:1000]}"
    )


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("corpus") / "conformance"
    shutil.copytree(CORPUS_DIR, copy)
    return copy


@pytest.fixture
def limited_interpreters(monkeypatch: pytest.MonkeyPatch, corpus_copy: Path) -> None:
    """Make the CLI build Interpreters with step/time limits, sandboxed to the corpus copy."""
    base = interpreter_module.Interpreter

    class LimitedInterpreter(base):  # type: ignore[misc, valid-type]
        def __init__(self, **options: object) -> None:
            limits = {"max_steps": MAX_STEPS, "time_limit": TIME_LIMIT, "sandbox": True, "allowed_roots": [corpus_copy]}
            super().__init__(**{**limits, **options})

    monkeypatch.setattr(interpreter_module, "Interpreter", LimitedInterpreter)


@pytest.mark.timeout(600)
@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="the watchdog needs SIGALRM")
def test_mutants_keep_the_error_contract(corpus_copy: Path, limited_interpreters: None) -> None:
    breaches: list[str] = []
    # Per exit status, the first mutant that ran to its end without a limit or the sandbox
    # stopping it: those are safe to run again without limits, in a real process.
    unlimited: dict[int, Mutant] = {}
    for mutant in mutants(SEED, MUTANTS):
        outcome = run_in_process(write_mutant(corpus_copy, mutant))
        problem = contract_breach(outcome)
        if problem is not None:
            breaches.append(describe(mutant, problem, outcome))
        elif "LimitError" not in outcome.stderr and "SandboxError" not in outcome.stderr:
            unlimited.setdefault(outcome.exit_code, mutant)
    assert not breaches, f"{len(breaches)} of {MUTANTS} mutants broke the contract:\n\n" + "\n\n".join(breaches[:5])
    # A mutation scheme that only ever produced one kind of program would test little.
    assert set(unlimited) == set(ALLOWED_EXITS)
    for mutant in list(unlimited.values())[:SUBPROCESS_MUTANTS]:
        path = write_mutant(corpus_copy, mutant)
        outcome = run_subprocess(path, path.parent)
        problem = contract_breach(outcome)
        assert problem is None, describe(mutant, problem, outcome)
