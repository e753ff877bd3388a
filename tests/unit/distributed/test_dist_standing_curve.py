"""A standing cluster with CURVE keys (forced on loopback by --keys): who is served, who is not."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from standing_support import PLACEMENT_PROGRAM, StandingCluster, wait_for

pytestmark = pytest.mark.timeout(240)

PAGERANK = Path(__file__).resolve().parents[3] / "examples" / "distributed_pagerank.gd"


def _keys(cluster: StandingCluster, directory: str) -> Path:
    path = cluster.home / directory
    result = cluster.graphoid("cluster", "keys", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    home = tmp_path_factory.mktemp("curve")
    keys = home / "keys"
    from graphoid.distributed.transport import generate_keys

    for name in ("coordinator", "client"):
        generate_keys(keys, name)
    standing = StandingCluster(home, "--workers", "2", "--keys", str(keys))
    standing.keys = keys
    yield standing
    standing.close()


def test_the_state_file_records_curve(cluster):
    assert cluster.state()["curve"] is True


def test_a_driver_with_the_cluster_keys_is_served(cluster):
    local = cluster.graphoid("run", str(PAGERANK), GRAPHOID_EXECUTOR="local")
    assert local.returncode == 0, local.stderr
    # PageRank's messages go worker to worker over the CURVE data sockets
    remote = cluster.graphoid("run", "--cluster", cluster.address, "--keys", str(cluster.keys), str(PAGERANK))
    assert (remote.returncode, remote.stdout) == (0, local.stdout), remote.stderr


@pytest.mark.parametrize("keys", ["none", "other cluster", "unlisted client"])
def test_a_driver_without_the_right_keys_is_not_served(cluster, keys):
    program = cluster.program("placement.gd", PLACEMENT_PROGRAM)
    argv = ["run", "--cluster", cluster.address]
    if keys == "other cluster":
        argv += ["--keys", str(_keys(cluster, "other"))]
    elif keys == "unlisted client":  # the cluster's server key, a client key pair it does not list
        stranger = _keys(cluster, "stranger")
        shutil.copy(cluster.keys / "coordinator.key", stranger / "coordinator.key")
        (stranger / "coordinator.key_secret").unlink()
        argv += ["--keys", str(stranger)]
    result = cluster.graphoid(*argv, str(program), timeout=60)
    assert result.returncode == 70, result.stderr
    assert f"NetworkError: no cluster answered at {cluster.address}" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_worker_joins_only_with_the_cluster_keys(cluster):
    stranger = cluster.graphoid("worker", "--connect", cluster.address, "--keys", str(_keys(cluster, "wrong")))
    assert stranger.returncode == 70 and "no standing cluster answered" in stranger.stderr

    worker = cluster.spawn([sys.executable, "-m", "graphoid", "worker", "--connect", cluster.address,
                            "--keys", str(cluster.keys)], cluster.home / "curve-worker.out")
    wait_for(lambda: len(cluster.state()["workers"]) == 3, 60, "the worker with the right keys to join")
    [joined] = [entry for entry in cluster.state()["workers"] if entry["pid"] == worker.pid]
    placement = cluster.graphoid("run", "--cluster", cluster.address, "--keys", str(cluster.keys),
                                 str(cluster.program("placement3.gd", PLACEMENT_PROGRAM)))
    assert placement.returncode == 0, placement.stderr
    assert joined["id"] in placement.stdout.strip("[]\n").split(", ")
