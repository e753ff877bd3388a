"""Helpers for the standing-cluster tests: a `graphoid cluster start` process, drivers, workers.

Every process is started here and stopped by its pid; output goes to files (a full pipe would
stall a process the test is not reading).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[3]

# Two drivers run this at once with the same graph name and run id; ARGS[0] tells them apart.
ISOLATION_PROGRAM = """
import "distributed"
tag = ARGS[0]
local = graph { type: :directed }
for i in range(30) {
    local.add_node(tag + i.to_string(), { weight: i })
}
g = distributed.distribute(local, partitions: 2, name: "shared")
for round in range(15) {
    foreign = distributed.map(g, node => node.id.starts_with(tag)).to_list().filter(mine => mine == false)
    if foreign.length() > 0 {
        print("round " + round.to_string() + ": saw another driver's nodes")
    }
}
print(g.node_count(), g.nodes().take(2))
print(distributed.reduce(g, 0, fn(acc, node) { return acc + node.get("weight") }))
out = distributed.run(fn(x) { return x + tag }, ["value-"], run_id: "same-run", output: "out")
print(await out["results"], distributed.status("same-run")["objects"])
"""

# Which worker holds each partition (one partition per worker by default).
PLACEMENT_PROGRAM = """
import "distributed"
local = graph { type: :directed }
for i in range(30) { local.add_node("n" + i.to_string(), { weight: i }) }
g = distributed.distribute(local, name: "spread")
print(g.partitions().map(p => p["worker"]))
"""

# Attaches, prints "attached", then keeps the workers busy until it is killed.
ENDLESS_PROGRAM = """
import "distributed"
local = graph { type: :directed }
for i in range(30) { local.add_node("n" + i.to_string(), i) }
g = distributed.distribute(local, name: "endless")
print("attached")
while true {
    distributed.map(g, node => node.id).to_list()
}
"""


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRAPHOID_")}
    env.update(PYTHONPATH=str(ROOT), GRAPHOID_HOME=str(home), **extra)
    return env


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


class StandingCluster:
    """`graphoid cluster start` in the background, plus the processes a test starts beside it."""

    def __init__(self, home: Path, *args: str) -> None:
        self.home = home
        self.output = home / "cluster.out"
        self.processes: list[subprocess.Popen] = []
        self.process = self.spawn([sys.executable, "-m", "graphoid", "cluster", "start", *args], self.output)
        wait_for(lambda: self.state() is not None or self.process.poll() is not None, 90, "the cluster to start")
        if self.process.poll() is not None:
            raise AssertionError(f"the cluster did not start:\n{self.output.read_text()}")
        self.address = self.state()["address"]

    def state(self) -> dict | None:
        try:
            return json.loads((self.home / "cluster.json").read_text())
        except (OSError, ValueError):
            return None

    def spawn(self, argv: list[str], output: Path, **env: str) -> subprocess.Popen:
        with open(output, "w") as sink:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
                                       env=cli_env(self.home, **env))
        self.processes.append(process)
        return process

    def graphoid(self, *argv: str, timeout: float = 90, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "graphoid", *argv], capture_output=True, text=True,
                              env=cli_env(self.home, **env), timeout=timeout)

    def program(self, name: str, text: str) -> Path:
        path = self.home / name
        path.write_text(text)
        return path

    def close(self) -> None:
        for process in reversed(self.processes):  # the cluster last: it was started first
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
