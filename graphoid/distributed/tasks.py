"""Task specs: what a SUBMIT asks a worker to compute, as the driver packs it and the worker reads it.

A SUBMIT's payload frames are `[spec, function, value...]`: `spec` is a msgpack map (below),
`function` the codec-encoded function and each further frame one codec-encoded inline argument.
An argument is either `Inline(frame)` (its value is in that frame) or `Ref(oid, owner)` (an
object of the same run, with the owner the coordinator knew when it submitted, or None: the
worker asks the coordinator with LOCATE). How arguments reach the function is a `slots` tuple:
an int is a positional index, a string a keyword (a mangled Graphoid parameter name).

Kinds (what the worker does with `fn`; the output is stored under `out` unless said otherwise):
  CALL              fn(args by slots)
  MAP_CHUNK         fn over each item of args[0] (a list); `columns` gives the slots of an item's
                    values (one column: the item itself; several: the item is a list, one value
                    per column); args[1:] are constants with `slots`. Output: one list object
                    per chunk, the results in item order.
  PARTITION_MAP     fn(node view) for each owned node of partition (`graph`, `part`), ascending
                    id. Output: a map node id -> result, ascending.
  PARTITION_REDUCE  acc = args[0]; acc = fn(acc, node view) for each owned node, ascending.
  PARTITION_QUERY   fn(partition view).
  FOLD              acc = args[0]; acc = fn(acc, x) for x in args[1:] (combining partials).
  SHUFFLE_MAP       fn(x) -> a list of [k, v] pairs, for each owned node of (`graph`, `part`) or
                    each item of args[0]; the pairs go to worker `reducers[stable_hash(k) % R]`
                    as SHUFFLE_PUSH(`shuffle`, `source`); nothing is stored.
  SHUFFLE_REDUCE    once the pushes of all `sources` for bucket `part` arrived: fn(k, values)
                    per key, keys in first-emitted order, values in (source, emit) order.
                    Output: a list of [k, r] pairs.
  MAP_VALUES        fn over the values of the stored result object args[0] (its `shape`, see
                    entries.py), keys and layout kept. Output: an object of the same shape.
  FOLD_VALUES       acc = args[0]; acc = fn(acc, v) for the values v of the result object args[1]
                    in key order, or only positions args[2] <= i < args[3] of that order.
A SHUFFLE_MAP with a `shape` maps the values of the result object args[0], in key order.

Refs nested in a CALL's arguments: the argument travels with a placeholder there, the ref is an
extra argument after the slotted ones, and `fills` lists [argument, path, extra argument]: the
worker puts the extra argument's value at `path` (a list index, or a map entry's position in
iteration order, per level) inside that argument before the call.
"""

from __future__ import annotations

from typing import Any, Sequence

import attrs
import msgpack

from graphoid.errors import GraphoidError

CALL = "CALL"
MAP_CHUNK = "MAP_CHUNK"
PARTITION_MAP = "PARTITION_MAP"
PARTITION_REDUCE = "PARTITION_REDUCE"
PARTITION_QUERY = "PARTITION_QUERY"
FOLD = "FOLD"
SHUFFLE_MAP = "SHUFFLE_MAP"
SHUFFLE_REDUCE = "SHUFFLE_REDUCE"
# a DistributedResult used in place (entries.py)
MAP_VALUES = "MAP_VALUES"
FOLD_VALUES = "FOLD_VALUES"
KINDS = frozenset({CALL, MAP_CHUNK, PARTITION_MAP, PARTITION_REDUCE, PARTITION_QUERY, FOLD, SHUFFLE_MAP, SHUFFLE_REDUCE,
                   MAP_VALUES, FOLD_VALUES})

# The payload frames before the inline argument values.
SPEC_FRAME = 0
FUNCTION_FRAME = 1
FIRST_VALUE_FRAME = 2

Slot = int | str


class TaskSpecError(GraphoidError):
    """A SUBMIT whose spec is malformed (a sender bug or a hostile peer)."""

    def __init__(self, message: str) -> None:
        super().__init__("ProtocolError", f"invalid task spec: {message}")


@attrs.frozen(slots=True)
class Inline:
    """An argument whose value travels in payload frame `frame`."""

    frame: int


@attrs.frozen(slots=True)
class Ref:
    """An argument that is an object of the run, held by `owner` (None: ask the coordinator)."""

    oid: str
    owner: str | None = None


Arg = Inline | Ref


@attrs.frozen(slots=True)
class TaskSpec:
    kind: str
    bundle: str
    out: str
    args: tuple[Arg, ...] = ()
    slots: tuple[Slot, ...] = ()
    columns: tuple[Slot, ...] = ()
    graph: str = ""
    part: int = -1
    shuffle: str = ""
    source: int = -1
    reducers: tuple[str, ...] = ()
    sources: int = 0
    shape: str = ""  # MAP_VALUES, FOLD_VALUES, SHUFFLE_MAP over a result object: entries.py's shape
    fills: tuple[tuple[int, tuple[int, ...], int], ...] = ()  # refs nested in a CALL's arguments


def with_output(spec: TaskSpec, out: str) -> TaskSpec:
    """`spec` with output id `out` (a batch's shared spec made one task's; attrs.evolve costs
    twice as much, and this runs once per task of an unchunked map)."""
    return TaskSpec(spec.kind, spec.bundle, out, spec.args, spec.slots, spec.columns, spec.graph, spec.part,
                    spec.shuffle, spec.source, spec.reducers, spec.sources, spec.shape, spec.fills)


# The spec on the wire: a msgpack array of the TaskSpec fields in this order (args as
# [0, frame] or [1, oid, owner]); an array, not a map: a map task is small and parsed per item.
_FIELDS = ("kind", "bundle", "out", "args", "slots", "columns", "graph", "part", "shuffle", "source", "reducers",
           "sources", "shape", "fills")
_TYPES = (str, str, str, list, list, list, str, int, str, int, list, int, str, list)


def pack_spec(spec: TaskSpec) -> bytes:
    args = [[0, arg.frame] if type(arg) is Inline else [1, arg.oid, arg.owner] for arg in spec.args]
    return msgpack.packb([
        spec.kind, spec.bundle, spec.out, args, spec.slots, spec.columns, spec.graph, spec.part, spec.shuffle,
        spec.source, spec.reducers, spec.sources, spec.shape,
        [[arg, list(path), extra] for arg, path, extra in spec.fills],
    ])


def unpack_spec(frames: Sequence[bytes]) -> TaskSpec:
    """The spec of a SUBMIT's payload; TaskSpecError for anything malformed."""
    if len(frames) < FIRST_VALUE_FRAME:
        raise TaskSpecError(f"expected a spec and a function frame, got {len(frames)} frames")
    try:
        raw = msgpack.unpackb(frames[SPEC_FRAME], raw=False, strict_map_key=True)
    except Exception as error:  # the parser's failure modes are many; all mean "not a spec"
        raise TaskSpecError(f"not msgpack ({type(error).__name__})") from None
    if type(raw) is not list or len(raw) != len(_FIELDS):
        raise TaskSpecError(f"not an array of {len(_FIELDS)} fields")
    for name, kind, value in zip(_FIELDS, _TYPES, raw):
        if type(value) is not kind:
            raise TaskSpecError(f"field {name!r} must be {kind.__name__}")
    kind, bundle, out, args, slots, columns, graph, part, shuffle, source, reducers, sources, shape, fills = raw
    if kind not in KINDS:
        raise TaskSpecError(f"unknown kind {kind!r}")
    arguments = tuple(_arg(item, len(frames)) for item in args)
    return TaskSpec(
        kind, bundle, out, arguments,
        tuple(_slot(item) for item in slots), tuple(_slot(item) for item in columns), graph, part, shuffle, source,
        tuple(_want(item, str, "reducer") for item in reducers), sources, shape,
        tuple(_fill(item, len(arguments)) for item in fills),
    )


def _want(value: Any, kind: type, what: str) -> Any:
    if type(value) is not kind:
        raise TaskSpecError(f"{what} must be {kind.__name__}")
    return value


def _arg(item: Any, frame_count: int) -> Arg:
    if type(item) is list and len(item) == 2 and item[0] == 0 and type(item[1]) is int:
        if not FIRST_VALUE_FRAME <= item[1] < frame_count:
            raise TaskSpecError(f"argument frame {item[1]} does not exist")
        return Inline(item[1])
    if type(item) is list and len(item) == 3 and item[0] == 1 and type(item[1]) is str:
        if item[2] is not None and type(item[2]) is not str:
            raise TaskSpecError("an argument's owner must be a worker id")
        return Ref(item[1], item[2])
    raise TaskSpecError("an argument must be [0, frame] or [1, oid, owner]")


def _fill(item: Any, arg_count: int) -> tuple[int, tuple[int, ...], int]:
    if not (type(item) is list and len(item) == 3 and type(item[1]) is list and item[1]
            and all(type(step) is int and step >= 0 for step in item[1])):
        raise TaskSpecError("a fill must be [argument, non-empty path, argument]")
    target, path, extra = item
    if not (type(target) is int and type(extra) is int and 0 <= target < arg_count and 0 <= extra < arg_count):
        raise TaskSpecError("a fill names an argument that does not exist")
    return target, tuple(path), extra


def _slot(item: Any) -> Slot:
    if type(item) is int and item >= 0 or type(item) is str:
        return item
    raise TaskSpecError("an argument slot must be a position or a name")
