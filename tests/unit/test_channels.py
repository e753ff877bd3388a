"""Channels, select, timers, signals and supervision (graphoid/concurrency)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from graphoid import GraphoidError, Interpreter
from graphoid.concurrency.actors import LOCAL, ActorAddress, LocalEndpoint
from graphoid.concurrency.supervision import Supervisor, supervisor_template
from graphoid.graphs.graph import Graph
from graphoid.values.types import Symbol

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[2]


def run(source: str, **options) -> tuple[str, str]:
    """Run `source` in a fresh interpreter (closed afterwards): (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    interp = Interpreter(stdout=out, stderr=err, **options)
    try:
        interp.run(source, "t.gd")
    finally:
        interp.close()
    return out.getvalue(), err.getvalue()


def error_of(source: str, **options) -> GraphoidError:
    with pytest.raises(GraphoidError) as caught:
        run(source, **options)
    return caught.value


def run_file(tmp_path: Path, source: str) -> subprocess.Popen:
    program = tmp_path / "prog.gd"
    program.write_text(source)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "graphoid", "run", str(program)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# ---------------------------------------------------------------------------- channels


def test_buffered_channel_is_fifo_and_drains_after_close():
    out, _ = run("c = channel(capacity: 3)\nc.send(1)\nc.send([2])\nc.send(3)\nc.close()\n"
                 "print(c.receive(), c.receive(), c.receive(), c.receive(), c.is_closed())")
    assert out == "1 [2] 3 none true\n"


def test_values_are_copied_on_send():
    out, _ = run("c = channel(1)\nxs = [1]\nc.send(xs)\nxs.append!(2)\nprint(c.receive(), xs)")
    assert out == "[1] [1, 2]\n"


def test_unbuffered_send_waits_for_a_receiver():
    # The task cannot report `:sent` before the main thread has taken the value.
    out, _ = run("""
c = channel()
sent = channel(1)
spawn { c.send(:value); sent.send(:sent) }
print(select(sent, default: true))
print(c.receive(), sent.receive())
""")
    assert out == "[:default, none]\n:value :sent\n"


def test_try_receive_takes_from_a_waiting_unbuffered_sender():
    out, _ = run("c = channel()\nspawn { c.send(7) }\nv = none\nwhile v == none { v = c.try_receive() }\nprint(v)",
                 time_limit=60)
    assert out == "7\n"


def test_for_loop_ends_when_the_producer_closes():
    out, _ = run("c = channel()\nspawn { for i in range(1, 101) { c.send(i) }\nc.close() }\n"
                 "t = 0\nfor x in c { t = t + x }\nprint(t)")
    assert out == "5050\n"


def test_closing_an_unbuffered_channel_fails_the_waiting_sender():
    out, _ = run("""
c = channel()
report = channel(1)
spawn {
    try { c.send(1) } catch ChannelError as e { report.send(e.message()) }
}
timer.sleep(20)
c.close()
print(report.receive())
""")
    assert out.startswith("send on closed <channel#")


def test_catch_channel_error_and_kinds():
    out, _ = run("c = channel()\nc.close()\ntry { c.send(1) } catch RuntimeError as e { print(e.type()) }")
    assert out == "ChannelError\n"


@pytest.mark.parametrize("source, kind, text", [
    ("channel(-1)", "TypeError", "whole number >= 0"),
    ("channel(1.5)", "TypeError", "whole number >= 0"),
    ("channel(1, capacity: 2)", "TypeError", "one capacity"),
    ("channel().send()", "TypeError", "takes 1 argument"),
    ("channel().receive(1)", "TypeError", "takes 0 arguments"),
    ("channel().pop()", "RuntimeError", "no method 'pop'"),
    ("select()", "TypeError", "at least one channel"),
    ("select(channel(), 3)", "TypeError", "takes channels"),
    ("select(channel(), timeout: -1)", "TypeError", "milliseconds >= 0"),
    ("select(channel(), timeout: 1, default: true)", "TypeError", "not both"),
    ("select(channel(), default: 1)", "TypeError", "true or false"),
    ("timer.sleep(-1)", "ValueError", ">= 0"),
    ("timer.sleep(\"abc\")", "TypeError", "milliseconds"),
    ("timer.every(0)", "ValueError", "> 0"),
    ("timer.after(none)", "TypeError", "milliseconds"),
    ("signal.on(:sigfoo)", "ValueError", "unknown signal"),
    ("signal.on(\"sigint\")", "TypeError", "signal symbol"),
])
def test_bad_arguments_are_graphoid_errors(source, kind, text):
    error = error_of(source)
    assert error.kind == kind and text in error.message


@pytest.mark.parametrize("source", [
    "channel().receive()", "channel().send(1)", "c = channel(1)\nc.send(1)\nc.send(2)",
    "select(channel(), channel())", "timer.sleep(10000000)", "for x in channel() { }",
    "graph W { fn on_message(m) { channel().receive() } }\nw = spawn W{}\nw.request(1)",
])
def test_blocking_operations_stop_at_the_time_limit(source):
    error = error_of(source, time_limit=0.5)
    assert error.kind in ("LimitError", "ActorError") and "time limit" in error.message


def test_program_ends_while_tasks_wait_on_channels(tmp_path):
    proc = run_file(tmp_path, """
c = channel()
spawn { c.receive() }
spawn { for t in timer.every(5) { } }
spawn { channel(1).send(1); channel().send(2) }
graph Waiter { fn on_message(m) { return channel().receive() } }
w = spawn Waiter{}
w.send(1)
print("main done")
""")
    out, err = proc.communicate(timeout=100)
    assert (proc.returncode, out, err) == (0, "main done\n", "")


# ---------------------------------------------------------------------------- select


def test_select_picks_every_ready_channel_sometimes():
    out, _ = run("""
a = channel(1)
b = channel(1)
wins = 0
for i in range(200) {
    a.send(:a)
    b.send(:b)
    picked = select(a, b)
    if picked[0] == a { wins = wins + 1 }
    if picked[0] == a { b.receive() } else { a.receive() }
}
print(wins > 0, wins < 200)
""")
    assert out == "true true\n"


def test_select_wakes_when_a_task_sends():
    out, _ = run("a = channel()\nb = channel()\nspawn { b.send(:late) }\np = select(a, b)\nprint(p[0] == b, p[1])")
    assert out == "true :late\n"


def test_select_skips_closed_channels_until_all_are_closed():
    out, _ = run("a = channel(1)\na.close()\nb = channel(1)\nb.send(1)\nprint(select(a, b)[1])\nb.close()\n"
                 "print(select(a, b))")
    assert out == "1\n[:closed, none]\n"


# ---------------------------------------------------------------------------- timers and signals


def test_timers_after_every_and_cancel():
    out, _ = run("""
print(timer.after(1).receive(), timer.after(0, "v").receive())
once = timer.after(1)
once.receive()
print(once.receive())
cancelled = timer.after(100000)
cancelled.close()
print(cancelled.receive())
ticks = timer.every(1)
print(ticks.receive(), ticks.receive())
ticks.close()
print(ticks.receive())
""")
    assert out == ":tick v\nnone\nnone\n:tick :tick\nnone\n"


def test_timer_module_import():
    out, _ = run('import "timer"\nprint(timer.after(1, 5).receive())')
    assert out == "5\n"


def test_signal_is_denied_in_the_sandbox():
    assert error_of("signal.on(:sigint)", sandbox=True).kind == "SandboxError"


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
def test_a_signal_arrives_on_its_channel(tmp_path):
    proc = run_file(tmp_path, """
term = signal.on(:sigterm)
print("ready")
print(term.receive())
term.close()
""")
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=100)
    assert (proc.returncode, out, err) == (0, ":sigterm\n", "")


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
def test_a_signal_nobody_listens_to_acts_as_before(tmp_path):
    proc = run_file(tmp_path, """
term = signal.on(:sigterm)
term.close()
print("ready")
channel().receive()
""")
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=100)
    assert proc.returncode == -signal.SIGTERM


# ---------------------------------------------------------------------------- supervision

WORKERS = """
graph Sup from supervisor { strategy: STRATEGY, max_restarts: 10 }
graph W {
    n: 0
    fn on_message(m) {
        if m == :crash { raise "boom" }
        if m == :get { return n }
        n = n + 1
        return n
    }
}
s = spawn Sup{}
a = spawn W{}
b = spawn W{}
c = spawn W{}
for w in [a, b, c] { s.supervise(w) }
for w in [a, b, c] { w.request(:up) }
try { b.request(:crash) } catch ActorError as e { }
print(a.request(:get), b.request(:get), c.request(:get))
"""


@pytest.mark.parametrize("strategy, counts", [
    ("one_for_one", "1 0 1"), ("one_for_all", "0 0 0"), ("rest_for_one", "1 0 0"),
])
def test_restart_strategies(strategy, counts):
    out, err = run(WORKERS.replace("STRATEGY", ":" + strategy))
    assert out == counts + "\n"
    assert f"restarting W#3 ({strategy})" in err


def test_temporary_child_stops_and_unsupervised_crash_is_logged():
    out, err = run("""
graph Sup from supervisor {}
graph W { fn on_message(m) { if m == :crash { raise "boom" }
return m } }
s = spawn Sup{}
t = spawn W{}
s.supervise(t, restart: :temporary)
try { t.request(:crash) } catch ActorError as e { print(e.message()) }
print(t.is_closed())
lone = spawn W{}
lone.send(:crash)
print(lone.request(:still))
""")
    assert out == "actor W#2 failed: RuntimeError: boom\ntrue\n:still\n"
    assert "[actor W#3] t.gd:3:47: RuntimeError: boom" in err


def _endpoint(actor_id: int, graph: Graph) -> LocalEndpoint:
    return LocalEndpoint(ActorAddress(actor_id, LOCAL, graph.type_of()), graph, lambda who, error: None)


def test_max_restarts_within_the_window_then_the_supervisor_gives_up():
    now = [0.0]
    template = Graph.declare_class("Sup", parent=supervisor_template())
    template.set_property("max_restarts", 2)
    template.set_property("restart_window", 10)
    logged: list[str] = []
    sup = Supervisor(_endpoint(1, template), logged.append, clock=lambda: now[0])
    child = _endpoint(2, Graph.declare_class("W"))
    sup.supervise(type("Handle", (), {"endpoint": child, "address": child.address})(), Symbol("permanent"))
    failure = GraphoidError("RuntimeError", "boom")
    for moment in (0, 1, 11.5, 12):  # the first restart leaves the window at 11.5
        now[0] = moment
        sup.failed(child, failure)
        assert child.restart_requested and not child.is_closed()
        child.restart_requested = False
    now[0] = 12.5
    sup.failed(child, failure)
    assert child.is_closed() and sup.endpoint.is_closed()
    assert "failed more than 2 times in 10 s" in logged[-1]


def test_supervise_errors():
    prelude = "graph S from supervisor {}\ngraph W { fn on_message(m) { return m } }\ns = spawn S{}\nw = spawn W{}\n"
    assert "not a supervisor" in error_of(prelude + "w.supervise(s)").message
    assert "cannot supervise itself" in error_of(prelude + "s.supervise(s)").message
    assert "expects an actor" in error_of(prelude + "s.supervise(1)").message
    assert "restart must be one of" in error_of(prelude + "s.supervise(w, restart: :always)").message
    assert "already has a supervisor" in error_of(prelude + "s.supervise(w)\nt = spawn S{}\nt.supervise(w)").message
    assert "is closed" in error_of(prelude + "w.close()\ns.supervise(w)").message
    assert "strategy must be one of" in error_of("graph S from supervisor { strategy: :random }\nspawn S{}").message
    assert "max_restarts must be" in error_of("graph S from supervisor { max_restarts: -1 }\nspawn S{}").message
