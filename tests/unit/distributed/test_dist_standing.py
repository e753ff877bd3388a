"""A standing cluster shared by drivers (`graphoid run --cluster`): real processes, one cluster."""

from __future__ import annotations

import signal
import sys

import pytest

from standing_support import (
    ENDLESS_PROGRAM, ISOLATION_PROGRAM, PLACEMENT_PROGRAM, StandingCluster, wait_for,
)

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    standing = StandingCluster(tmp_path_factory.mktemp("standing"), "--workers", "2")
    yield standing
    standing.close()


def _drivers(cluster: StandingCluster) -> list[dict]:
    return (cluster.state() or {}).get("drivers", [])


def test_two_drivers_running_the_same_program_see_only_their_own_state(cluster):
    program = cluster.program("isolation.gd", ISOLATION_PROGRAM)
    outputs = {tag: cluster.home / f"isolation-{tag}.out" for tag in ("a", "b")}
    drivers = {tag: cluster.spawn([sys.executable, "-m", "graphoid", "run", "--cluster", cluster.address,
                                   str(program), tag], outputs[tag]) for tag in outputs}
    for tag, driver in drivers.items():
        assert driver.wait(timeout=180) == 0, outputs[tag].read_text()
    for tag in drivers:
        assert outputs[tag].read_text() == f"30 [{tag}0, {tag}1]\n435\nvalue-{tag} 1\n"


def test_the_cluster_address_can_come_from_configure_or_the_environment(cluster):
    configured = cluster.program("configured.gd", 'import "distributed"\n'
                                 'distributed.configure({address: ARGS[0]})\n' + PLACEMENT_PROGRAM)
    result = cluster.graphoid("run", str(configured), cluster.address)
    assert (result.returncode, result.stdout) == (0, "[0, 1]\n"), result.stderr
    from_env = cluster.graphoid("run", str(cluster.program("placement.gd", PLACEMENT_PROGRAM)),
                                GRAPHOID_CLUSTER=cluster.address)
    assert (from_env.returncode, from_env.stdout) == (0, "[0, 1]\n"), from_env.stderr


def test_a_killed_driver_is_freed_and_the_cluster_keeps_serving(cluster):
    output = cluster.home / "endless.out"
    driver = cluster.spawn([sys.executable, "-m", "graphoid", "run", "--cluster", cluster.address,
                            str(cluster.program("endless.gd", ENDLESS_PROGRAM))], output)
    wait_for(lambda: "attached" in output.read_text(), 90, "the driver to attach")
    [attached] = [entry for entry in _drivers(cluster) if entry["pid"] == driver.pid]
    status = cluster.graphoid("cluster", "status")
    assert "1 driver connected:" in status.stdout and attached["id"] in status.stdout, status.stdout

    driver.send_signal(signal.SIGKILL)
    driver.wait(timeout=10)
    # noticed from its silence (the liveness timeout, 10 s), then freed on every worker
    wait_for(lambda: not _drivers(cluster), 60, "the coordinator to drop the killed driver")
    freed = f"freed the objects and partitions of {attached['id']}"
    wait_for(lambda: cluster.output.read_text().count(freed) == 2, 30, "both workers to free its state")
    assert "0 drivers connected" in cluster.graphoid("cluster", "status").stdout

    after = cluster.graphoid("run", "--cluster", cluster.address, str(cluster.program("p.gd", PLACEMENT_PROGRAM)))
    assert (after.returncode, after.stdout) == (0, "[0, 1]\n"), after.stderr


def test_a_worker_started_by_hand_joins_takes_partitions_and_its_loss_is_reported(cluster):
    worker = cluster.spawn([sys.executable, "-m", "graphoid", "worker", "--connect", cluster.address],
                           cluster.home / "joined-worker.out")
    wait_for(lambda: len((cluster.state() or {}).get("workers", [])) == 3, 60, "the worker to join")
    [joined] = [entry for entry in cluster.state()["workers"] if entry["pid"] == worker.pid]
    placement = cluster.graphoid("run", "--cluster", cluster.address,
                                 str(cluster.program("placement3.gd", PLACEMENT_PROGRAM)))
    assert placement.returncode == 0, placement.stderr
    assert joined["id"] in placement.stdout.strip("[]\n").split(", ")

    output = cluster.home / "endless-loss.out"
    driver = cluster.spawn([sys.executable, "-m", "graphoid", "run", "--cluster", cluster.address,
                            str(cluster.program("endless2.gd", ENDLESS_PROGRAM))], output)
    wait_for(lambda: "attached" in output.read_text(), 90, "the driver to attach")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    # a remote worker's death is seen from its silence: the liveness timeout (10 s) and a margin
    assert driver.wait(timeout=90) == 70
    text = output.read_text()
    assert "WorkerLostError" in text and f"worker {joined['id']}" in text and "Traceback" not in text
    wait_for(lambda: len(cluster.state()["workers"]) == 2, 30, "the lost worker to leave the state file")


def test_a_worker_without_a_cluster_gives_up_with_a_clear_error(cluster):
    result = cluster.graphoid("worker", "--connect", "tcp://127.0.0.1:9")
    assert result.returncode == 70
    assert "no standing cluster answered at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("argv, code, message", [
    (["--cluster", "tcp://127.0.0.1:9"], 70, "NetworkError: no cluster answered at tcp://127.0.0.1:9 within 5 s"),
    (["--cluster", "tcp://10.255.255.1:5555"], 70, "NetworkError: a cluster at tcp://10.255.255.1:5555 needs CURVE keys"),
    (["--cluster", "not-an-address"], 70, "NetworkError: 'not-an-address' is not a cluster address"),
    (["--cluster", "tcp://127.0.0.1:9", "--workers", "2"], 64, "--cluster and --workers do not go together"),
    (["--workers", "2", "--cluster", "tcp://127.0.0.1:9"], 64, "--cluster and --workers do not go together"),
    (["--cluster", "tcp://127.0.0.1:9", "--keys", "/nonexistent-keys"], 64, "--keys: '/nonexistent-keys' is not a directory"),
    (["--keys", "."], 64, "--keys is for a standing cluster: give --cluster ADDR too"),
])
def test_bad_cluster_options_are_clear_errors(cluster, argv, code, message):
    program = cluster.program("placement-errors.gd", PLACEMENT_PROGRAM)
    result = cluster.graphoid("run", *argv, str(program), timeout=60)  # a hang fails here
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_worker_refuses_a_public_data_socket_without_keys(cluster):
    result = cluster.graphoid("worker", "--connect", cluster.address, "--data-bind", "tcp://0.0.0.0:*")
    assert result.returncode == 70 and "refusing to bind tcp://0.0.0.0:* without CURVE keys" in result.stderr
    assert len(cluster.state()["workers"]) == 2  # it did not join


def test_advertise_without_keys_is_a_usage_error(cluster):
    result = cluster.graphoid("cluster", "start", "--workers", "0", "--advertise", "10.0.0.5")
    assert result.returncode == 64 and "--advertise makes sockets reachable" in result.stderr
