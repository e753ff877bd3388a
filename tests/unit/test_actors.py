"""Local actors and tasks (graphoid/concurrency): `spawn Expr`, `spawn { ... }`, the actor handle."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graphoid import GraphoidError, Interpreter
from graphoid.concurrency.waiting import thread_event

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[2]

COUNTER = """
graph Counter {
    count: 0
    seen: []
    fn on_message(msg) {
        if msg == :boom { raise ValueError("boom at " + string(count)) }
        if msg == :get { return count }
        if msg == :seen { return seen }
        if msg == :twice { return _twice() }
        count = count + 1
        seen = seen.append(msg)
        return count
    }
    priv fn _twice() { return count * 2 }
}
"""


@pytest.fixture
def run():
    """Run Graphoid source in a fresh interpreter; returns (stdout, stderr) after closing it."""
    made: list[Interpreter] = []

    def run_source(source: str, **options) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        interp = Interpreter(stdout=out, stderr=err, **options)
        made.append(interp)
        try:
            interp.run(source, "t.gd")
        finally:
            interp.close()
        return out.getvalue(), err.getvalue()

    yield run_source
    for interp in made:
        interp.close()


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_messages_are_handled_in_order_and_state_persists(run) -> None:
    out, _ = run(COUNTER + """
c = spawn Counter{}
for i in range(200) { c.send(i) }
print(c.request(:get))
print(c.request(:seen) == range(200).to_list())
""")
    assert lines(out) == ["200", "true"]


def test_handle_value_and_methods(run) -> None:
    out, _ = run(COUNTER + """
c = spawn Counter{count: 4}
d = spawn Counter{}
print(c)
print(typeof(c))
print(c.id(), d.id())
print(c.is_closed())
print(c.request(:twice))
c.close()
print(c.is_closed())
print(c == c, c == d)
""")
    assert lines(out) == ["<actor:Counter#1>", "actor", "1 2", "false", "8", "true", "true false"]


def test_the_actor_runs_a_deep_copy(run) -> None:
    out, _ = run(COUNTER + """
template = Counter{}
c = spawn template
c.send(:x)
print(c.request(:get), template.count)
msg = [1, 2]
c.send(msg)
msg = msg.append(3)
print(c.request(:seen))
""")
    assert lines(out) == ["1 0", "[:x, [1, 2]]"]


def test_immutable_messages_are_shared_and_the_rest_copied() -> None:
    interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO())
    try:
        interp.run("""
graph Echo {
    fn on_message(msg) { return msg }
}
e = spawn Echo{}
frozen = [1, "two", :three, [4.5, none], {k: [true]}].freeze()
shallow = [[1], 2].add_rule(:shallow_freeze_only).freeze()
mutable = [[1], 2]
ch = channel(3)
""", "t.gd")
        for name in ("frozen", "shallow", "mutable"):
            interp.run(f"answer = e.request({name})\nch.send({name})\nreceived = ch.receive()", "t.gd")
            sent, answer, received = (interp.lookup(n) for n in (name, "answer", "received"))
            assert answer == sent and received == sent
            shared = name == "frozen"  # frozen all the way down: nothing to copy, it arrives frozen
            assert (answer is sent, received is sent) == (shared, shared)
            assert (answer[0] is sent[0]) == shared
        assert interp.lookup("answer") is not interp.lookup("mutable") and not interp.lookup("answer").frozen
    finally:
        interp.close()


def test_a_failed_request_raises_actor_error_and_the_actor_goes_on(run) -> None:
    out, _ = run(COUNTER + """
c = spawn Counter{}
c.send(:a)
try {
    c.request(:boom)
} catch ActorError as e {
    print(e.message())
}
print(c.request(:get))
""")
    assert lines(out) == ["actor Counter#1 failed: ValueError: boom at 1", "1"]


def test_an_uncaught_actor_error_shows_the_actors_location() -> None:
    interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO())
    try:
        with pytest.raises(GraphoidError) as caught:
            interp.run(COUNTER + "c = spawn Counter{}\nc.request(:boom)\n", "t.gd")
    finally:
        interp.close()
    error = caught.value
    assert error.kind == "ActorError"
    assert (error.span.file, error.span.line) == ("t.gd", 6)  # the raise inside on_message
    assert error.cause is not None and error.cause.kind == "ValueError"


def test_a_crash_nobody_asked_about_is_logged(run) -> None:
    out, err = run(COUNTER + """
c = spawn Counter{}
c.send(:boom)
print(c.request(:get))
""")
    assert lines(out) == ["0"]
    assert "[actor Counter#1] t.gd:6:" in err
    assert "ValueError: boom at 0" in err


def test_send_to_a_closed_actor_raises(run) -> None:
    with pytest.raises(GraphoidError, match="actor Counter#1 is closed") as caught:
        run(COUNTER + "c = spawn Counter{}\nc.close()\nc.send(1)\n")
    assert caught.value.kind == "ActorError"
    with pytest.raises(GraphoidError, match="is closed"):
        run(COUNTER + "c = spawn Counter{}\nc.close()\nc.request(:get)\n")


def test_messages_queued_before_close_are_still_handled(run) -> None:
    out, _ = run("""
graph Printer {
    fn on_message(msg) { print(msg) }
}
p = spawn Printer{}
for i in range(5) { p.send(i) }
p.close()
""")
    assert lines(out) == ["0", "1", "2", "3", "4"]


def test_requests_between_actors_and_a_request_cycle(run) -> None:
    out, _ = run(COUNTER + """
graph Front {
    back: none
    fn on_message(msg) {
        if msg == :self { return me.request(:get) }
        return back.request(msg) * 10
    }
}
c = spawn Counter{}
f = spawn Front{back: c}
print(f.request(:x))
me = f
try { f.request(:self) } catch ActorError as e { print(e.message()) }
""")
    assert lines(out)[0] == "10"
    assert "request cycle Front#2 -> Front#2" in lines(out)[1]


def test_a_leftover_wakeup_does_not_end_a_request_early() -> None:
    """A thread reuses one wake-up event for all its waits: a set left over from an abandoned
    wait (the late answer to a request that hit the time limit) must not end the next request
    before its own answer came."""
    interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO())
    try:
        interp.run("graph Relay {\n fn on_message(ch) { return ch.receive() }\n}\nr = spawn Relay{}\n"
                   "ch = channel()\n", "t.gd")
        feeder = threading.Timer(0.3, interp.lookup("ch").send, args=(7,))
        thread_event().set()  # what the late answer leaves behind
        feeder.start()
        interp.run("answer = r.request(ch)", "t.gd")
        feeder.join()
        assert interp.lookup("answer") == 7
    finally:
        interp.close()


@pytest.mark.parametrize("source, message", [
    ("spawn 42", "spawn expects a graph with an on_message method, got num"),
    ("spawn graph {}", "spawn: graph has no on_message method"),
    (COUNTER + "c = spawn Counter{}\nc.send()", "actor.send() takes 1 argument, got 0"),
    (COUNTER + "c = spawn Counter{}\nc.frobnicate()", "actor has no method 'frobnicate'"),
])
def test_bad_spawns_and_calls_are_clear_errors(run, source: str, message: str) -> None:
    with pytest.raises(GraphoidError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(source)


SINK = """
graph Sink {
    fn on_message(msg) { print("task:", msg) }
}
sink = spawn Sink{}
"""


def test_spawn_block_sees_copies_of_what_it_reads(run) -> None:
    out, _ = run(SINK + """
xs = [1, 2]
box = {a: 1}
n = 5
fn double_all(list) { return list.map(x => x * 2) }
spawn {
    xs = double_all(xs.append(3))
    box["a"] = 99
    n = n + 1
    sink.send([xs, box["a"], n])
}
print("main:", [xs, box["a"], n])
""")
    assert sorted(lines(out)) == ["main: [[1, 2], 1, 5]", "task: [[2, 4, 6], 99, 6]"]


def test_spawn_block_errors_are_logged(run) -> None:
    out, err = run("spawn {\n    x = 1 / 0\n}\n")
    assert out == ""
    assert "[spawn] t.gd:2:" in err


def test_no_thread_outlives_close() -> None:
    before = threading.active_count()
    interp = Interpreter(stdout=io.StringIO())
    interp.run(COUNTER + "for i in range(20) { c = spawn Counter{}\nc.send(i) }\nspawn { x = 1 }\n")
    interp.close()
    assert threading.active_count() == before


def test_limits_hold_inside_actors() -> None:
    forever = """
graph Spinner {
    fn on_message(msg) {
        n = 0
        while true { n = n + 1 }
    }
}
s = spawn Spinner{}
s.request(:go)
"""
    for options in ({"max_steps": 100_000}, {"time_limit": 1.0}):
        interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO(), **options)
        try:
            with pytest.raises(GraphoidError) as caught:
                interp.run(forever, "t.gd")
        finally:
            interp.close()
        assert caught.value.kind == "LimitError"


def test_a_spinning_send_stops_at_the_limit_and_is_logged() -> None:
    err = io.StringIO()
    interp = Interpreter(stdout=io.StringIO(), stderr=err, max_steps=100_000)
    interp.run("graph S {\n fn on_message(m) { while true { m = m + 1 } }\n}\ns = spawn S{}\ns.send(1)\n", "t.gd")
    interp.close()  # returns: the actor's loop hit the step limit
    assert "[actor S#1]" in err.getvalue() and "LimitError" in err.getvalue()


def test_the_sandbox_holds_inside_actors() -> None:
    interp = Interpreter(stdout=io.StringIO(), stderr=io.StringIO(), sandbox=True)
    source = 'graph R {\n fn on_message(m) { return read_file(m) }\n}\nr = spawn R{}\nr.request("/etc/passwd")\n'
    try:
        with pytest.raises(GraphoidError) as caught:
            interp.run(source, "t.gd")
    finally:
        interp.close()
    assert caught.value.kind == "ActorError" and caught.value.cause.kind == "SandboxError"


def test_a_program_with_busy_actors_exits_normally(tmp_path: Path) -> None:
    program = tmp_path / "busy.gd"
    program.write_text(COUNTER + """
graph Printer {
    fn on_message(msg) { print("got", msg) }
}
p = spawn Printer{}
c = spawn Counter{}
for i in range(3) { p.send(i) }
c.send(1)
print("main done")
""")
    done = subprocess.run([sys.executable, "-m", "graphoid", "run", str(program)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert sorted(lines(done.stdout)) == ["got 0", "got 1", "got 2", "main done"]
