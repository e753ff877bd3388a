"""The `graphoid` command line (also `python -m graphoid`).

    graphoid run FILE [ARGS...]     run a program; ARGS reach it as the list ARGS
    graphoid FILE [ARGS...]         the same
    graphoid -c CODE [ARGS...]      run CODE
    graphoid [repl]                 interactive REPL (reads stdin when it is not a terminal)
    graphoid spec [--timeout S] [PATH...]  run gspec files
    graphoid cluster start|status|stop|keys, graphoid worker   (docs/cluster.md)
    graphoid --version

Exit codes: 0 ok, 64 usage (bad arguments, unreadable file), 65 syntax error, 70 runtime error,
130 interrupted. Only `sys` and `os` are imported up front: start-up time is a feature.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any, Sequence

from graphoid.console import debug_enabled, use_color, write_stderr

# A program that imports the distributed module, run with distributed settings, gets its
# workers started before it compiles (distributed.session.Session.prestart).
_IMPORTS_DISTRIBUTED = re.compile(r'^\s*import\s+"distributed"', re.MULTILINE)

if TYPE_CHECKING:
    from graphoid.errors import GraphoidError
    from graphoid.runtime.interpreter import Interpreter

EXIT_OK = 0
EXIT_USAGE = 64
EXIT_SOFTWARE = 70
EXIT_INTERRUPTED = 130

USAGE = """\
usage: graphoid run FILE [ARGS...]    run a Graphoid program (.gd or .gr; - reads stdin)
       graphoid FILE [ARGS...]        the same
       graphoid -c CODE [ARGS...]     run CODE
       graphoid [repl]                start the interactive REPL
       graphoid spec [--timeout S] [PATH...]  run *_spec.gd / *_spec.gr files (default: .;
                                      each file may run S seconds, default 60)
       graphoid cluster start [--workers N] [--bind ADDR] [--keys DIR]  run a cluster (foreground)
       graphoid cluster status | stop  show or stop it;  graphoid cluster keys DIR  make CURVE keys
       graphoid worker --connect ADDR [--id ID] [--keys DIR] [--data-bind ADDR] [--advertise HOST]
                                      a worker process (joins a cluster, from any machine)
       graphoid --version             print the version

options (before the command):
  -i            start the REPL after running FILE or CODE
  -h, --help    show this help
run options (between run and FILE):
  --workers N   distributed worker processes (default: GRAPHOID_WORKERS, else the core count)
  --trace FILE  write a Chrome trace (Perfetto) of the distributed work when the program ends
  --cluster ADDR  run the distributed work on the standing cluster at ADDR (default:
                GRAPHOID_CLUSTER) instead of starting workers; not with --workers
  --keys DIR    the cluster's CURVE key directory (default: GRAPHOID_CLUSTER_KEYS; docs/cluster.md)

The program sees its ARGS as the global list ARGS (strings).
Set GRAPHOID_DEBUG=1 to see Python tracebacks along with Graphoid errors.
"""


HELP_FLAGS = ("-h", "--help")

COMMAND_HELP = {
    "run": """\
usage: graphoid run [--workers N] [--trace FILE] FILE [ARGS...]

Run a Graphoid program (.gd or .gr; FILE - reads stdin). ARGS reach it as the list ARGS.
  --workers N   distributed worker processes (default: GRAPHOID_WORKERS, else the core count)
  --trace FILE  write a Chrome trace (Perfetto) of the distributed work when the program ends
Spec files (*_spec.gd) run with `graphoid spec FILE`.
Exit status: 0 ok, 64 usage, 65 syntax error, 70 runtime error.
""",
    "spec": """\
usage: graphoid spec [--timeout S] [PATH...]

Run gspec files: every *_spec.gd / *_spec.gr file under each PATH (default: the current
directory). Each file may run S seconds (default 60). Exit status: 0 when every example
passed, 1 on a failure or when no spec file was found, 64 on bad options.
""",
    "repl": """\
usage: graphoid repl     (or just: graphoid)

Start the interactive REPL; on a pipe it reads statements from stdin without prompts.
Inside, :help lists the commands and :help NAME describes a builtin or method.
""",
}


class UsageError(Exception):
    """Bad command-line arguments (exit 64)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `graphoid` command with `argv` (default sys.argv[1:]); returns the exit code.

    Writes only to sys.stdout / sys.stderr as they are when called, so callers may capture them.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    _replace_closed_streams()
    try:
        return _dispatch(args)
    except UsageError as exc:
        _flush_stdout()
        write_stderr(f"graphoid: {exc}\nTry 'graphoid --help'.\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _flush_stdout()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:
        # stdout itself failed (a descriptor that is not writable, a full disk).
        _silence_stdout()
        write_stderr(f"graphoid: cannot write output: {exc.strerror or exc}\n")
        return EXIT_SOFTWARE


def _dispatch(args: list[str]) -> int:
    interactive = False
    while args and args[0] == "-i":
        interactive = True
        args = args[1:]
    if not args:
        return _repl(None)
    first, rest = args[0], args[1:]
    if first in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return EXIT_OK
    if first in ("-V", "-v", "--version", "version"):
        from graphoid import __version__

        sys.stdout.write(f"Graphoid {__version__}\n")
        return EXIT_OK
    if first in COMMAND_HELP and rest[:1] and rest[0] in HELP_FLAGS:
        sys.stdout.write(COMMAND_HELP[first])
        return EXIT_OK
    if first == "-c":
        if not rest:
            raise UsageError("-c needs a CODE argument")
        return _run_source(rest[0], "<command>", rest[1:], interactive)
    if first == "run":
        options, rest = _run_options(rest)
        if not rest:
            raise UsageError("run needs a FILE argument")
        return _run_path(rest[0], rest[1:], interactive, options)
    if first == "repl":
        if rest:
            raise UsageError(f"repl takes no arguments (got {' '.join(rest)})")
        return _repl(None)
    if first == "spec":
        return _spec(rest)
    if first == "cluster":
        return _cluster(rest)
    if first == "worker":
        return _worker(rest)
    if first.startswith("-") and first != "-":
        raise UsageError(f"unknown option '{first}'")
    if first == "-" or first.endswith((".gd", ".gr")) or os.path.exists(first):
        return _run_path(first, rest, interactive)
    raise UsageError(f"unknown command '{first}' (and no file of that name)")


# ----------------------------------------------------------------------------- running


class RunOptions:
    """`graphoid run` options for the distributed runtime (before FILE; after it they are ARGS)."""

    def __init__(self) -> None:
        self.workers: int | None = None
        self.trace_path: str | None = None
        self.cluster: str | None = None
        self.keys: str | None = None


def _run_options(args: list[str]) -> tuple[RunOptions, list[str]]:
    options = RunOptions()
    leading = 0
    while leading < len(args) and args[leading].startswith("--"):
        leading += 1 if "=" in args[leading] else 2
    for option, value in _options(args[:leading], ("--workers", "--trace", "--cluster", "--keys"), "run"):
        if option == "--workers":
            options.workers = _worker_count(value)
        elif option == "--cluster":
            options.cluster = value
        elif option == "--keys":
            options.keys = _key_directory(value)
        else:
            options.trace_path = _writable_trace(value)
    if options.cluster is not None and options.workers is not None:
        raise UsageError("run: --cluster and --workers do not go together (a standing cluster has its own workers)")
    if options.keys is not None and options.cluster is None and not os.environ.get("GRAPHOID_CLUSTER"):
        raise UsageError("run: --keys is for a standing cluster: give --cluster ADDR too")
    return options, args[leading:]


def _key_directory(path: str) -> str:
    if not os.path.isdir(path):
        raise UsageError(f"--keys: '{path}' is not a directory (make one with 'graphoid cluster keys DIR')")
    return path


def _worker_count(text: str) -> int:
    count = int(text) if text.isdigit() else 0
    if count < 1:
        raise UsageError(f"--workers must be a positive whole number, got '{text}'")
    return count


def _writable_trace(path: str) -> str:
    """Create the trace file now, so a bad path fails before the program runs, not after."""
    try:
        with open(path, "w", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"--trace: cannot write '{path}': {exc.strerror or exc}") from None
    return path


def _run_path(path: str, program_args: list[str], interactive: bool, options: RunOptions | None = None) -> int:
    from graphoid.errors import GraphoidError
    from graphoid.runtime.modules import read_source_file

    if path == "-":
        return _run_stdin(program_args, interactive, options)
    try:
        source = read_source_file(path, shown=path)
    except GraphoidError as err:
        _report(err, None)
        # An unreadable file is a usage problem; undecodable bytes are bad program data (65).
        return err.exit_code if err.is_syntax else EXIT_USAGE
    return _run_source(source, path, program_args, interactive, options)


def _run_stdin(program_args: list[str], interactive: bool, options: RunOptions | None = None) -> int:
    from graphoid.errors import GraphoidError, format_error
    from graphoid.runtime.modules import MAX_SOURCE_BYTES, decode_source, read_source_bytes

    stdin = getattr(sys.stdin, "buffer", None)
    data = read_source_bytes(stdin) if stdin is not None else sys.stdin.read(MAX_SOURCE_BYTES + 1).encode("utf-8")
    try:
        source = decode_source(data, "<stdin>")
    except GraphoidError as err:
        # stdin cannot be read again for the source line, so show it from the bytes at hand.
        _flush_stdout()
        text = format_error(err, data.decode("utf-8", errors="replace"), color=use_color(sys.stderr))
        write_stderr(text + "\n")
        return err.exit_code
    return _run_source(source, "<stdin>", program_args, interactive, options)


def _run_source(
    source: str, filename: str, program_args: list[str], interactive: bool, options: RunOptions | None = None
) -> int:
    import graphoid.distributed  # noqa: F401  (registers `import "distributed"`)
    from graphoid.errors import GraphoidError
    from graphoid.runtime.interpreter import Interpreter

    interp = Interpreter(argv=program_args)
    session = _configure_session(interp, options) if options is not None else None
    if session is not None and _IMPORTS_DISTRIBUTED.search(source):
        session.prestart()  # the workers come up while the program compiles
    status = EXIT_OK
    try:
        interp.run_raw(source, filename, mode="exec")
    except GraphoidError as err:
        if isinstance(err.python_exception, BrokenPipeError):
            # The reader went away (`graphoid run x.gd | head`): stop quietly, like a shell tool.
            raise err.python_exception from None
        if err.hint is None and _is_spec_file(filename):  # `describe` and friends come from gspec
            err.hint = f"this is a spec file: run it with `graphoid spec {filename}`"
        _report(err, interp)
        status = err.exit_code
    except SystemExit as stop:  # os.exit(code): the program's own status, and no REPL after it
        status, interactive = _exit_status(stop), False
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:
        _internal(exc, f"internal error: {type(exc).__name__}: {exc}")
        status = EXIT_SOFTWARE
    if not interactive:
        interp.close()  # the program's actors handle what is queued, then end (before the workers)
    if session is not None and not interactive:
        status = _close_session(session, interp, status)
    _flush_stdout()
    if interactive:
        return _repl(interp)
    return status


def _is_spec_file(filename: str) -> bool:
    return os.path.basename(filename).endswith(("_spec.gd", "_spec.gr"))


def _exit_status(stop: SystemExit) -> int:
    return stop.code if isinstance(stop.code, int) else EXIT_OK


def _close_session(session: Any, interp: "Interpreter", status: int) -> int:
    """Stop the workers and write the trace now rather than at exit, so a failure is reported."""
    from graphoid.errors import GraphoidError

    try:
        session.close()
    except GraphoidError as err:
        _report(err, interp)
        return status or err.exit_code
    return status


def _configure_session(interp: "Interpreter", options: RunOptions) -> Any:
    """The interpreter's distributed session with the command line's settings, if it gave any."""
    if options.workers is None and options.trace_path is None and options.cluster is None and options.keys is None:
        return None
    from graphoid.distributed.api import session_of

    session = session_of(interp)
    session.settings.workers = options.workers
    session.settings.trace_path = options.trace_path
    session.settings.address = options.cluster
    session.settings.keys = options.keys
    return session


def _repl(interp: "Interpreter | None") -> int:
    from graphoid.repl import run_repl

    return run_repl(interp)


def _spec(paths: list[str]) -> int:
    try:
        from graphoid.spec.runner import main as spec_main
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == "graphoid.spec" or exc.name.startswith("graphoid.spec.")):
            write_stderr("graphoid: the spec runner is not available (graphoid.spec.runner is missing)\n")
            return EXIT_SOFTWARE
        raise
    return spec_main(paths or ["."])


# ----------------------------------------------------------------------------- clusters


CLUSTER_COMMANDS = "start [--workers N] [--bind ADDR] [--keys DIR], status, stop, keys DIR"


def _cluster(args: list[str]) -> int:
    """`graphoid cluster start|status|stop|keys` (graphoid/distributed/standing.py)."""
    from graphoid.errors import GraphoidError

    if not args:
        raise UsageError(f"cluster needs a command ({CLUSTER_COMMANDS})")
    command, rest = args[0], args[1:]
    handler = {"start": _cluster_start, "status": _cluster_status, "stop": _cluster_stop,
               "keys": _cluster_keys}.get(command)
    if handler is None:
        raise UsageError(f"unknown cluster command '{command}' ({CLUSTER_COMMANDS})")
    try:
        return handler(rest)
    except GraphoidError as err:
        _report(err, None)
        # A refused address is a usage problem; anything else went wrong while running.
        return EXIT_USAGE if err.kind == "NetworkError" and "refusing to bind" in err.message else EXIT_SOFTWARE


def _cluster_start(args: list[str]) -> int:
    from graphoid.distributed.standing import serve
    from graphoid.distributed.transport import check_bind_address

    workers, bind, keys, advertise = max(1, os.cpu_count() or 1), "tcp://127.0.0.1:*", None, None
    for option, value in _options(args, ("--workers", "--bind", "--keys", "--advertise"), "cluster start"):
        if option == "--workers":
            workers = int(value) if value.isdigit() else -1
            if workers < 0:
                raise UsageError(f"--workers must be a whole number, got '{value}' (0: only workers that join)")
        elif option == "--keys":
            keys = _key_directory(value)
        elif option == "--advertise":
            advertise = value
        else:
            bind = value
    if keys is None:
        check_bind_address(bind, None)  # before any worker starts
        if advertise is not None:
            raise UsageError("cluster start: --advertise makes sockets reachable from other machines: it needs --keys")

    def announce(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    serve(workers, bind, announce, keys, advertise)
    return EXIT_OK


def _cluster_status(args: list[str]) -> int:
    from graphoid.distributed.standing import require_state, status_lines

    _options(args, (), "cluster status")
    sys.stdout.write("\n".join(status_lines(require_state())) + "\n")
    return EXIT_OK


def _cluster_stop(args: list[str]) -> int:
    from graphoid.distributed.standing import require_state, stop

    _options(args, (), "cluster stop")
    state = require_state()
    if not stop(state):
        write_stderr(f"graphoid: the cluster (pid {state['pid']}) did not stop within 15 s\n")
        return EXIT_SOFTWARE
    sys.stdout.write(f"cluster {state['address']} stopped\n")
    return EXIT_OK


def _cluster_keys(args: list[str]) -> int:
    from graphoid.distributed.transport import generate_keys

    if not args or args[0].startswith("-"):
        raise UsageError("cluster keys needs a DIR argument (and optionally key NAMEs)")
    directory, names = args[0], args[1:] or ["coordinator", "client"]
    for name in names:
        public, secret = generate_keys(directory, name)
        sys.stdout.write(f"{public}  (public: share it)\n{secret}  (secret: keep it)\n")
    return EXIT_OK


def _options(args: list[str], allowed: tuple[str, ...], command: str) -> list[tuple[str, str]]:
    """`--name VALUE` / `--name=VALUE` pairs; anything else is a usage error."""
    pairs = []
    while args:
        option, _, inline = args[0].partition("=")
        if option not in allowed:
            known = f" (options: {', '.join(allowed)})" if allowed else ""
            raise UsageError(f"{command}: unexpected argument '{args[0]}'{known}")
        if inline:
            value, args = inline, args[1:]
        elif len(args) > 1:
            value, args = args[1], args[2:]
        else:
            raise UsageError(f"{command}: {option} needs a value")
        pairs.append((option, value))
    return pairs


def _worker(args: list[str]) -> int:
    """`graphoid worker --connect ADDR --id ID ...`: the worker process (distributed/worker.py)."""
    from graphoid.distributed.worker import main as worker_main

    return worker_main(args)


# ----------------------------------------------------------------------------- reporting


def render_error(err: "GraphoidError", interp: "Interpreter | None", stream: Any) -> str:
    """The text to print for a Graphoid error (with the Python traceback under GRAPHOID_DEBUG)."""
    from graphoid.errors import format_error

    color = use_color(stream)
    text = interp.format_error(err, color=color) if interp is not None else format_error(err, None, color=color)
    if debug_enabled():
        import traceback

        internal = err.python_exception
        shown = "".join(traceback.format_exception(internal)) if internal is not None else ""
        text = shown + "".join(traceback.format_exception(err)) + text
    return text


def _report(err: "GraphoidError", interp: "Interpreter | None") -> None:
    _flush_stdout()
    write_stderr(render_error(err, interp, sys.stderr) + "\n")


def _internal(exc: BaseException, message: str) -> None:
    _flush_stdout()
    if debug_enabled():
        import traceback

        write_stderr("".join(traceback.format_exception(exc)))
    else:
        message += "\n(this is a bug in graphoid; set GRAPHOID_DEBUG=1 for the Python traceback)"
    write_stderr(f"graphoid: {message}\n")


def _replace_closed_streams() -> None:
    """Point a stream the shell closed (`>&-`, `2>&-`) at the null device.

    Python leaves sys.stdout/sys.stderr as None then; writing to the null device instead lets
    the program run to its normal exit status, as if the output had been discarded.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name, None) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError:
        # Output that cannot be written is dropped here rather than failing again at exit.
        _silence_stdout()
    except ValueError:
        pass


def _silence_stdout() -> None:
    # Python would complain again when it flushes stdout at exit; point it at /dev/null.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
