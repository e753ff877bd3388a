"""A standing cluster: `graphoid cluster start / status / stop`.

`cluster start` runs a StandingCoordinator (relay.py) with its local workers in the foreground
until SIGTERM or Ctrl-C; workers from other machines may join it and drivers attach to it. It
records where it is in a state file, `$GRAPHOID_HOME/cluster.json` (default `~/.graphoid`): its
control address, its pid, each worker's id, pid and data address, and the attached drivers
(rewritten whenever a worker or a driver comes or goes).
`cluster status` reads that file and looks at the processes themselves (alive, resident
memory from /proc); `cluster stop` sends the coordinator SIGTERM and waits for it, and the
coordinator stops its workers (processes.py) before it exits. The file is the only channel:
status and stop need no socket, and a cluster that died leaves a file that status reports as
not running.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any, Callable

from graphoid.distributed.transport import is_loopback
from graphoid.errors import GraphoidError

HOME_ENV = "GRAPHOID_HOME"
STATE_FILE = "cluster.json"


def home() -> Path:
    """Where graphoid keeps per-user state ($GRAPHOID_HOME, else ~/.graphoid)."""
    configured = os.environ.get(HOME_ENV, "").strip()
    return Path(configured) if configured else Path.home() / ".graphoid"


def state_path() -> Path:
    return home() / STATE_FILE


def serve(
    workers: int, bind: str, announce: Callable[[str], None], keys_dir: str | None = None,
    advertise: str | None = None,
) -> None:
    """Run a cluster until SIGTERM/SIGINT; `announce` gets one line once it is up. With a CURVE
    key directory (keys.py) every socket of the cluster uses CURVE, on loopback too. With
    `advertise` (a host name other machines reach this one at), the local workers' data sockets
    listen on every interface and the address shown and recorded uses that host."""
    from graphoid.distributed.keys import ClusterKeys
    from graphoid.distributed.relay import DriverInfo, StandingCoordinator
    from graphoid.distributed.coordinator import WorkerInfo
    from graphoid.distributed.worker import advertised

    path = state_path()
    existing = read_state(path)
    if existing is not None and _alive(existing["pid"]):
        raise GraphoidError("RuntimeError", f"a cluster is already running (pid {existing['pid']}, "
                                            f"{existing['address']}); stop it with 'graphoid cluster stop'")
    keys = ClusterKeys.load(keys_dir) if keys_dir is not None else None
    state: dict[str, Any] = {"pid": os.getpid(), "started": time.time(), "curve": keys is not None, "drivers": []}

    def record(members: list[WorkerInfo], drivers: list[DriverInfo]) -> None:
        state["workers"] = [{"id": info.worker_id, "pid": info.pid, "data": info.data_address} for info in members]
        state["drivers"] = [{"id": info.driver_id, "pid": info.pid} for info in drivers]
        _write_state(path, state)

    stop = threading.Event()
    previous = {signum: signal.signal(signum, lambda *_: stop.set()) for signum in (signal.SIGTERM, signal.SIGINT)}
    worker_args: tuple[str, ...] = ("--keys", str(keys.directory)) if keys is not None else ()
    if advertise is not None:
        worker_args += ("--data-bind", "tcp://0.0.0.0:*", "--advertise", advertise)
    try:
        with StandingCoordinator(workers, bind=bind, curve=keys.server() if keys else None,
                                 worker_args=worker_args, on_change=record) as coordinator:
            state["address"] = coordinator.control_address or bind
            if advertise is not None:
                state["address"] = advertised(state["address"], advertise)
            address = state["address"]
            record(list(coordinator.workers.values()), [])
            try:
                announce(f"cluster listening on {address} with {workers} worker{'s' if workers != 1 else ''} "
                         f"(pid {os.getpid()}; state in {path})")
                while not stop.wait(0.5):
                    pass
            finally:
                _remove_state(path)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _write_state(path: Path, state: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2), encoding="utf-8")
        temporary.replace(path)  # readers never see half a file
    except OSError as error:
        raise GraphoidError("IOError", f"cannot write the cluster state file {path}: {error.strerror}") from None


def _remove_state(path: Path) -> None:
    state = read_state(path)
    if state is not None and state.get("pid") == os.getpid():  # never remove a newer cluster's file
        path.unlink(missing_ok=True)


def read_state(path: Path | None = None) -> dict[str, Any] | None:
    """The state file's content, or None when there is none or it is not a cluster state file."""
    path = state_path() if path is None else path
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(state, dict) and isinstance(state.get("pid"), int) and isinstance(state.get("address"), str)
            and isinstance(state.get("workers"), list)):
        return None
    return state


def require_state() -> dict[str, Any]:
    state = read_state()
    if state is None or not _alive(state["pid"]):
        raise GraphoidError("RuntimeError", f"no cluster is running (no live cluster in {state_path()}); "
                                            "start one with 'graphoid cluster start'")
    return state


def status_lines(state: dict[str, Any]) -> list[str]:
    """What `cluster status` prints: the coordinator, then one line per worker."""
    lines = [f"cluster {state['address']}  coordinator pid {state['pid']}  "
             f"{'running' if _alive(state['pid']) else 'not running'}"]
    lines.append(f"{'worker':<8}{'pid':>8}  {'alive':<6}{'rss':>10}  data address")
    for worker in state["workers"]:
        pid = worker.get("pid")
        # A worker on another machine: its pid means nothing here; the coordinator lists live ones.
        remote = not is_loopback(str(worker.get("data", "")))
        alive = remote or (isinstance(pid, int) and _alive(pid))
        rss = _rss_bytes(pid) if alive and not remote else None
        shown = f"{rss / 2**20:.1f} MiB" if rss is not None else "-"
        lines.append(f"{worker.get('id', '?'):<8}{pid!s:>8}  {'yes' if alive else 'no':<6}{shown:>10}  "
                     f"{worker.get('data', '?')}")
    drivers = state.get("drivers") or []
    lines.append(f"{len(drivers)} driver{'' if len(drivers) == 1 else 's'} connected" + (":" if drivers else ""))
    lines.extend(f"  {driver.get('id', '?')}  pid {driver.get('pid', '?')}" for driver in drivers)
    return lines


def stop(state: dict[str, Any], timeout: float = 15.0) -> bool:
    """SIGTERM the coordinator and wait up to `timeout` s for it to exit; True if it did."""
    pid = state["pid"]
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    except PermissionError:
        raise GraphoidError("RuntimeError", f"not allowed to stop the cluster (pid {pid} belongs to another user)")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _rss_bytes(pid: int) -> int | None:
    """Resident memory of a process (Linux /proc; None elsewhere or when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
