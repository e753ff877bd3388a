"""The distributed examples print the same on every executor (:local included), and what they
should: a golden file or the output of their local twin (examples/pagerank.gd, examples/wordcount.gd)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(300)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"

DISTRIBUTED = (
    "distributed_pagerank", "distributed_wordcount", "parallel_map", "label_propagation", "triangles", "karate_pagerank",
    "actors",
)
LOCAL_TWINS = ("pagerank", "wordcount")
# GRAPHOID_EXECUTOR per mode ("cluster": 2 real worker processes; "local": no workers, a local graph)
EXECUTORS = ("inprocess", "cluster", "local")
RUN_TIMEOUT = 240  # seconds; each run takes about one


def start(example: str, executor: str | None) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRAPHOID_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    if executor is not None:
        env["GRAPHOID_EXECUTOR"] = executor
        env["GRAPHOID_WORKERS"] = "2"
    return subprocess.Popen(
        [sys.executable, "-m", "graphoid", "run", str(EXAMPLES / f"{example}.gd")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: a hung run's workers go with it
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    return process.returncode, out, err


@pytest.fixture(scope="module")
def outputs() -> dict[tuple[str, str | None], tuple[int, str, str]]:
    """(example, executor or None for a local program) -> (exit status, stdout, stderr); the
    runs go two at a time (a 2-core machine)."""
    runs = [(example, executor) for example in DISTRIBUTED for executor in EXECUTORS]
    runs += [(twin, None) for twin in LOCAL_TWINS]
    results: dict[tuple[str, str | None], tuple[int, str, str]] = {}
    for first in range(0, len(runs), 2):
        batch = {run: start(*run) for run in runs[first:first + 2]}
        results.update({run: finish(process) for run, process in batch.items()})
    return results


@pytest.mark.parametrize("example", DISTRIBUTED)
@pytest.mark.parametrize("executor", EXECUTORS)
def test_example_runs_cleanly(outputs, example, executor):
    status, out, err = outputs[(example, executor)]
    assert status == 0, err
    assert err == "" and out


@pytest.mark.parametrize("example", DISTRIBUTED)
def test_every_executor_prints_the_same(outputs, example):
    printed = {executor: outputs[(example, executor)][1] for executor in EXECUTORS}
    assert len(set(printed.values())) == 1, printed


@pytest.mark.parametrize(
    "example", ("distributed_wordcount", "parallel_map", "label_propagation", "triangles", "karate_pagerank", "actors")
)
def test_output_is_the_golden_one(outputs, example):
    expected = (GOLDEN / f"{example}.out").read_text(encoding="utf-8")
    for executor in EXECUTORS:
        assert outputs[(example, executor)][1] == expected


def test_pagerank_equals_the_local_pagerank(outputs):
    status, local, err = outputs[("pagerank", None)]
    assert status == 0, err
    for executor in EXECUTORS:
        assert outputs[("distributed_pagerank", executor)][1] == local


def test_wordcount_by_messaging_equals_the_local_wordcount(outputs):
    status, local, err = outputs[("wordcount", None)]
    assert status == 0, err
    for executor in EXECUTORS:
        _, messaging_line = outputs[("distributed_wordcount", executor)][1].splitlines()
        assert messaging_line + "\n" == local
