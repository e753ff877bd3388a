"""The concurrency builtins of an interpreter: `channel`, `select`, `timer`, `signal`, `supervisor`.

`timer` and `signal` are also modules (`import "timer"`); `signal` installs process signal
handlers, so the sandbox denies it (capability "process"). Timers run on helper threads of the
interpreter's ActorSystem, which cancels them when the interpreter closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphoid.concurrency.channels import make_channel, select
from graphoid.concurrency.supervision import supervisor_template
from graphoid.concurrency.timers import signal_functions, timer_functions
from graphoid.runtime.builtins import StaticNamespace, builtin_function
from graphoid.runtime.modules import register_native_module
from graphoid.runtime.sandbox import register_capability

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter


def _timer_members(interp: "Interpreter") -> dict[str, Any]:
    return timer_functions(lambda channel, body, name: interp.actors.start_timer(channel, body, name))


def concurrency_builtins(interp: "Interpreter") -> dict[str, Any]:
    """The globals: `channel(...)`, `select(...)`, `timer.*`, `signal.*` and the `supervisor` template."""
    return {
        "channel": builtin_function(make_channel, "channel", ("capacity",)),
        "select": builtin_function(select, "select", ("...channels",)),
        "timer": StaticNamespace("timer", _timer_members(interp)),
        "signal": StaticNamespace("signal", signal_functions()),
        "supervisor": supervisor_template(),
    }


register_native_module("timer", _timer_members)
register_native_module("signal", lambda interp: signal_functions(), capability="process")
register_capability("signal", "process")
