"""Liveness state machines driven by a fake clock: no sockets, no sleeps."""

from __future__ import annotations

from graphoid.distributed.membership import COORDINATOR_PATIENCE, CoordinatorWatch, LivenessConfig, Membership

CONFIG = LivenessConfig(interval=0.5, misses=3)


def test_defaults_match_the_design():
    assert LivenessConfig() == LivenessConfig(interval=0.5, misses=20)
    assert LivenessConfig().timeout == 10.0
    assert COORDINATOR_PATIENCE == 4


def test_a_silent_worker_is_declared_dead_once_after_the_timeout():
    members = Membership(CONFIG)
    members.register("0", now=0.0)
    members.register("1", now=0.0)
    assert members.tick(1.5) == []  # exactly at the timeout: still alive
    members.heard_from("1", now=1.4)
    assert members.tick(1.51) == ["0"]
    assert members.death_reason("0") == "no heartbeat for 1.5 s"
    assert members.alive() == ["1"]
    assert members.tick(10.0) == ["1"]
    assert members.tick(20.0) == []  # reported once only


def test_heartbeats_keep_a_worker_alive_indefinitely():
    members = Membership(CONFIG)
    members.register("0", now=0.0)
    for step in range(1, 100):
        now = step * 0.5
        assert members.heard_from("0", now)
        assert members.tick(now) == []
    assert members.is_alive("0")


def test_several_dead_workers_come_back_sorted():
    members = Membership(CONFIG)
    for worker in ("b", "a", "c"):
        members.register(worker, now=0.0)
    assert members.tick(2.0) == ["a", "b", "c"]


def test_explicit_loss_is_immediate_and_reported_once():
    members = Membership(CONFIG)
    members.register("0", now=0.0)
    assert members.lost("0", "killed by SIGKILL") is True
    assert members.lost("0", "again") is False
    assert members.death_reason("0") == "killed by SIGKILL"
    assert members.tick(100.0) == []


def test_unknown_and_dead_workers_are_not_revived_by_messages():
    members = Membership(CONFIG)
    assert members.heard_from("ghost", now=0.0) is False
    members.register("0", now=0.0)
    members.lost("0", "gone")
    assert members.heard_from("0", now=0.1) is False
    assert not members.is_alive("0")


def test_a_registered_again_worker_is_alive_and_its_death_forgotten():
    members = Membership(CONFIG)
    members.register("0", now=0.0)
    members.lost("0", "gone")
    members.register("0", now=5.0)
    assert members.is_alive("0") and members.death_reason("0") is None
    assert members.tick(6.0) == []


def test_a_worker_that_left_is_neither_alive_nor_dead():
    members = Membership(CONFIG)
    members.register("0", now=0.0)
    members.left("0")
    assert members.alive() == [] and members.tick(10.0) == [] and members.death_reason("0") is None


def test_pings_are_due_once_per_interval():
    members = Membership(CONFIG)
    due = [now / 10 for now in range(0, 21) if members.ping_due(now / 10)]
    assert due == [0.0, 0.5, 1.0, 1.5, 2.0]


def test_configurable_interval_and_misses():
    members = Membership(LivenessConfig(interval=2.0, misses=5))
    members.register("0", now=0.0)
    assert members.tick(10.0) == []
    assert members.tick(10.01) == ["0"]


def test_coordinator_watch_uses_first_contact_until_heard():
    watch = CoordinatorWatch(started=100.0, first_contact=10.0, config=CONFIG)
    assert not watch.lost(109.9)
    assert watch.lost(110.1)
    watch.heard(110.0)
    assert not watch.lost(110.0 + 1.5 * COORDINATOR_PATIENCE)
    assert watch.lost(110.01 + 1.5 * COORDINATOR_PATIENCE)


def test_coordinator_watch_adopts_the_welcome_settings():
    watch = CoordinatorWatch(started=0.0, config=CONFIG)
    watch.heard(0.0)
    watch.configure(LivenessConfig(interval=1.0, misses=4))
    assert not watch.lost(4 * COORDINATOR_PATIENCE - 0.1)
    assert watch.lost(4 * COORDINATOR_PATIENCE + 0.1)
