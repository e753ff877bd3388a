"""Graphoid values on the wire: msgpack with ext types (docs/design.md, "Values on the wire").

none, bool, int (64-bit), float and string are native msgpack; lists and maps are native
arrays and maps unless they carry rules or are frozen. msgpack's C packer does the work: the
`default` hook runs only for values msgpack has no type for (strict types, so `GList`, `GMap`
and `BigNum` reach it and keep their Graphoid type). Everything else is an ext type below.

Graphs, functions and module values are encoded once per message: a second occurrence is an
ext REF to the first (pre-order index), so shared templates stay shared and cycles terminate.
Their ext body is two msgpack objects in a row: a small header (enough to create the object
and register it) and then the contents, which may refer back to it.

`decode` trusts nothing: unknown ext codes, wrong shapes, nesting deeper than `max_depth` ext
levels (msgpack bounds plain array nesting itself), messages larger than `max_bytes` and any
failure of the underlying parser are a CodecError (kind ProtocolError); values that cannot be
sent are a CodecError of kind SerializationError.
"""

from __future__ import annotations

import types
from itertools import chain, repeat
from typing import Any, Callable, Iterable

import attrs
import msgpack

from graphoid.distributed.program import (
    EMPTY_CELL,
    AccessorRef,
    Captures,
    FunctionExporter,
    FunctionRef,
    FunctionTable,
    MaterialiseSession,
    NativeRef,
    ProgramError,
)
from graphoid.concurrency.actors import Actor, ActorAddress
from graphoid.errors import GraphoidError, TraceEntry
from graphoid.values.format import type_name
from graphoid.values.functions import Overload
from graphoid.graphs.graph import GRAPH_TYPES, Edge, Graph, entry_props, entry_type, entry_weight, make_entry
from graphoid.graphs.classes import note_props_replaced
from graphoid.graphs.layers import BehaviorLayer, ControlLayer, MetadataLayer, MethodSet
from graphoid.graphs.rules import SEVERITIES, STRUCTURAL, TRANSFORMS, RuleInstance
from graphoid.values.methods.rules import make_rule
from graphoid.runtime.modules import Module
from graphoid.runtime.namespace import PRIVATE_KEY, unmangle
from graphoid.graphs.patterns import Clause, EdgePattern, NodePattern, PathPattern, Pattern
from graphoid.values.types import BigNum, GList, GMap, Regex, Symbol
from graphoid.syntax.ast import Span

__all__ = ["CodecError", "Limits", "decode", "encode"]

SERIALIZATION_ERROR = "SerializationError"
PROTOCOL_ERROR = "ProtocolError"

# ext type codes (part of the wire format: never renumber, only add)
EXT_BIGINT = 1
EXT_BIGNUM = 2
EXT_SYMBOL = 3
EXT_LIST = 4
EXT_MAP = 5
EXT_REGEX = 6
EXT_GRAPH = 7
EXT_REF = 8
EXT_FUNCTION = 9
EXT_NATIVE = 10
EXT_ACCESSOR = 11
EXT_OVERLOAD = 12
EXT_ERROR = 13
EXT_PATTERN = 14
EXT_MODULE = 15
EXT_ACTOR = 16

_INT64_MIN = -(1 << 63)
_UINT64_MAX = (1 << 64) - 1


class CodecError(GraphoidError):
    """A value that cannot be sent (SerializationError) or bytes that are no valid message
    (ProtocolError)."""


class NeedsFunctionTable(CodecError):
    """The bytes hold functions and decode was given no table to rebuild them with."""


def _cannot_send(value: Any, why: str = "") -> CodecError:
    return CodecError(SERIALIZATION_ERROR, f"cannot send {type_name(value)}{': ' + why if why else ''}")


def _bad(message: str) -> CodecError:
    return CodecError(PROTOCOL_ERROR, message)


@attrs.frozen
class Limits:
    """What `decode` accepts: total message bytes and ext nesting depth."""

    max_bytes: int = 256 * 1024 * 1024
    max_depth: int = 100


DEFAULT_LIMITS = Limits()


# ---------------------------------------------------------------------------------- encoding


def encode(value: Any, *, functions: FunctionExporter | None = None) -> bytes:
    """The wire bytes of a Graphoid value; functions need the driver's `functions` exporter."""
    return _encode_with(_Encoder(functions), value)


def encode_each(values: Iterable[Any], *, functions: FunctionExporter | None = None) -> list[bytes]:
    """[encode(value) for value in values], cheaper for many small values (an unchunked map's
    items): one encoder, replaced only after a value that left shared objects in its memo, so
    each frame still decodes on its own."""
    encoder = _Encoder(functions)
    frames = []
    for value in values:
        frames.append(_encode_with(encoder, value, top=True))
        if encoder.kept or encoder.namespaces:
            encoder = _Encoder(functions)
    return frames


def _encode_with(encoder: "_Encoder", value: Any, top: bool = False) -> bytes:
    try:
        return encoder.pack_top(value) if top else encoder.pack(value)
    except CodecError:
        raise
    except GraphoidError as exc:
        raise CodecError(SERIALIZATION_ERROR, exc.message) from exc
    except (ValueError, RecursionError) as exc:
        # msgpack's own nesting limit (or Python's, through ext bodies)
        raise CodecError(SERIALIZATION_ERROR, f"value nested too deeply to send ({exc})") from None
    except TypeError as exc:
        raise CodecError(SERIALIZATION_ERROR, f"cannot send value: {exc}") from None


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 8) // 8, "little", signed=True)


def _adjacency(graph: Graph) -> list[Any]:
    """A graph's edges as its adjacency maps, in their order (neighbour order is part of the
    value; re-adding the edges one by one would not keep it), in columns:
    `[counts, others, types, weights, props, extra]`. `counts[i]` entries of `others` are node
    i's out-map (node order); types, weights and props belong to the entries that make an edge.
    Directed: every entry does; `extra` is `[in_counts, in_sources]`, the in-maps the same way.
    Undirected: an edge is made at its first entry (its other entry reuses it); `extra` says per
    entry whether the node is the edge's source (made here) or none (made at the other end)."""
    succs = list(graph._out.values())
    counts = list(map(len, succs))
    others = list(chain.from_iterable(succs))
    edges = list(chain.from_iterable(succ.values() for succ in succs))
    if graph.directed:
        preds = list(graph.in_map().values())
        extra: Any = [list(map(len, preds)), list(chain.from_iterable(preds))]
    else:
        listed: set[int] = set()
        made = []
        extra = []
        for node_id, succ in zip(graph._out, succs):
            for edge in succ.values():
                if id(edge) in listed:
                    extra.append(None)
                else:
                    listed.add(id(edge))
                    made.append(edge)
                    extra.append(edge.src == node_id)
        edges = made
    return [counts, others, list(map(entry_type, edges)), list(map(entry_weight, edges)),
            list(map(entry_props, edges)), extra]


def _fill_adjacency(graph: Graph, columns: Any) -> None:
    """Rebuild the adjacency maps `_adjacency` listed (the nodes are in place)."""
    counts, others, types, weights, props, extra = _want_list(columns, 6, "graph edges")
    ids = list(graph._nodes)
    out_maps = graph._out
    in_maps = graph.in_map()  # built now (no edges yet): filled below alongside out_maps
    entries = _entries(ids, counts, others, out_maps, "graph edges")
    directed = graph.directed
    made = len(others) if directed else sum(1 for forward in _want(extra, list, "edge orientations") if forward is not None)
    if not (all(isinstance(column, list) for column in (types, weights, props))
            and len(types) == len(weights) == len(props) == made):
        raise _bad("graph edges: attribute columns")
    attributes = zip(types, weights, props)
    if directed:
        for (node_id, other), (edge_type, weight, edge_props) in zip(entries, attributes):
            out_maps[node_id][other] = make_entry(
                node_id, other, _want(edge_type, str, "edge type"), weight, edge_props, True)
        in_counts, sources = _want_list(extra, 2, "graph in-edges")
        for node_id, src in _entries(ids, in_counts, sources, in_maps, "graph in-edges"):
            edge = out_maps[src].get(node_id)
            if edge is None:
                raise _bad(f"graph in-edge {src!r}->{node_id!r} without its out-edge")
            in_maps[node_id][src] = edge
        if len(sources) != made:
            raise _bad("graph in-edges do not match its out-edges")
    else:
        if len(extra) != len(others):
            raise _bad("edge orientations")
        for (node_id, other), forward in zip(entries, extra):
            if forward is None:  # made at its other end, which came first
                edge = out_maps[other].get(node_id)
                if edge is None:
                    raise _bad(f"graph edge {node_id!r}-{other!r} listed only one way")
            else:
                edge_type, weight, edge_props = next(attributes)
                src, dst = (node_id, other) if _want(forward, bool, "edge orientation") else (other, node_id)
                edge = Edge(src, dst, _want(edge_type, str, "edge type"), weight, edge_props)
            out_maps[node_id][other] = edge
        loops = sum(1 for node_id, succ in out_maps.items() if node_id in succ)
        if len(others) != 2 * made - loops:
            raise _bad("graph edges listed only one way")
    internal = graph._internal_ids
    graph._edge_count = made if not internal else sum(
        1 for node_id, succ in out_maps.items() for other, edge in succ.items()
        if (directed or edge.src == node_id) and node_id not in internal and other not in internal)


def _entries(ids: list[str], counts: Any, others: Any, maps: dict[str, dict], what: str) -> list[tuple[str, str]]:
    """(node, other) for each adjacency entry of a `counts`/`others` column pair, checked: known
    ids, no entry twice in one node's map."""
    if not (isinstance(counts, list) and isinstance(others, list) and len(counts) == len(ids)
            and all(type(count) is int and count >= 0 for count in counts) and sum(counts) == len(others)):
        raise _bad(f"{what}: one count per node expected")
    pairs = list(zip(chain.from_iterable(map(repeat, ids, counts)), others))
    if not all(type(other) is str and other in maps for other in others) or len(set(pairs)) != len(pairs):
        raise _bad(f"{what}: unknown or repeated end")
    return pairs


class _Encoder:
    """One message's encoding: the memo of graphs, functions, modules and namespaces."""

    def __init__(self, exporter: FunctionExporter | None) -> None:
        self.exporter = exporter
        self.memo: dict[int, int] = {}
        # memoised objects stay referenced, so no id() is reused while encoding
        self.kept: list[Any] = []
        self.namespaces: dict[int, int] = {}
        self.packer: msgpack.Packer | None = None  # pack_top's

    def pack(self, value: Any) -> bytes:
        return msgpack.packb(value, default=self.default, strict_types=True, use_bin_type=True, datetime=False)

    def pack_top(self, value: Any) -> bytes:
        """`pack` for a whole frame, with a packer kept for the encoder's next frame (packb
        makes one per call; the nested packs of ext bodies, inside this one, still use packb)."""
        if self.packer is None:
            self.packer = msgpack.Packer(default=self.default, strict_types=True, use_bin_type=True, datetime=False)
        return self.packer.pack(value)

    def pack_all(self, *values: Any) -> bytes:
        return b"".join(self.pack(value) for value in values)

    def default(self, value: Any) -> Any:
        handler = _ENCODERS.get(type(value))
        if handler is not None:
            return handler(self, value)
        if isinstance(value, GraphoidError):
            return self.error(value)
        if callable(value) or (self.exporter is not None and self.exporter.is_native(value)):
            return self.function(value)
        raise _cannot_send(value)

    # ---- scalars and collections

    def big_int(self, value: int) -> Any:
        if _INT64_MIN <= value <= _UINT64_MAX:
            raise _cannot_send(value, "integer rejected by msgpack")
        return msgpack.ExtType(EXT_BIGINT, _int_bytes(value))

    def bignum(self, value: BigNum) -> Any:
        return msgpack.ExtType(EXT_BIGNUM, _int_bytes(int(value)))

    def symbol(self, value: Symbol) -> Any:
        return msgpack.ExtType(EXT_SYMBOL, value.name.encode("utf-8"))

    def glist(self, value: GList) -> Any:
        if value.rules is None and not value.frozen:
            return list(value)
        return msgpack.ExtType(EXT_LIST, self.pack([list(value), value.frozen, self.list_rules(value.rules)]))

    def gmap(self, value: GMap) -> Any:
        if value.rules is None and not value.frozen:
            return dict(value)
        return msgpack.ExtType(EXT_MAP, self.pack([dict(value), value.frozen, self.list_rules(value.rules)]))

    def list_rules(self, rules: Any) -> list:
        return [[rule.name, list(rule.params), rule.transform if rule.name == "custom" else None] for rule in rules or ()]

    def regex(self, value: Regex) -> Any:
        return msgpack.ExtType(EXT_REGEX, self.pack([value.source, value.flags]))

    def error(self, value: GraphoidError) -> Any:
        trace = [[entry.function, _span_fields(entry.span)] for entry in value.trace]
        body = [value.kind, value.message, _span_fields(value.span), trace, value.hint, value.cause]
        return msgpack.ExtType(EXT_ERROR, self.pack(body))

    def pattern(self, value: Any) -> Any:
        if type(value) is NodePattern:
            body = ["node", value.variable, value.type]
        elif type(value) is EdgePattern:
            body = ["edge", value.edge_type, value.arrow]
        elif type(value) is PathPattern:
            body = ["path", value.edge_type, value.min, value.max, value.arrow]
        else:
            clauses = [[c.src, c.dst, c.direction, c.edge_type, c.min, c.max] for c in value.clauses]
            body = ["pattern", clauses, dict(value.node_types)]
        return msgpack.ExtType(EXT_PATTERN, self.pack(body))

    # ---- shared objects

    def seen(self, value: Any) -> Any:
        """An ext REF when `value` was already encoded in this message, else None (and remembered)."""
        index = self.memo.get(id(value))
        if index is not None:
            return msgpack.ExtType(EXT_REF, self.pack(index))
        self.memo[id(value)] = len(self.kept)
        self.kept.append(value)
        return None

    def graph(self, value: Graph) -> Any:
        ref = self.seen(value)
        if ref is not None:
            return ref
        nodes = [[node_id, node_value] for node_id, node_value in value._nodes.items()]
        edges = _adjacency(value)
        control = value.control
        rules = [[r.name, list(r.params), r.severity, r.kind, r.fn, r.origin] for r in control.rules]
        behavior = value.behavior
        methods = [
            [name, entry.private, entry.default, [[guard, fn] for guard, fn in entry.guarded]]
            for name, entry in behavior.methods.items()
        ]
        meta = value.metadata
        body = [
            nodes, edges, dict(value._node_types), dict(value._props),
            [rules, list(control.rulesets), control.frozen, [[fn, name] for fn, name in control.constraints]],
            [meta.type_name, meta.template, meta.parent, dict(meta.partition)],
            [methods, dict(behavior.statics), dict(behavior.setters), behavior.handler_template],
            dict(value.boundary.interfaces),
        ]
        return msgpack.ExtType(EXT_GRAPH, self.pack_all(value.graph_type, body))

    def module(self, value: Module) -> Any:
        ref = self.seen(value)
        if ref is not None:
            return ref
        if value.file.startswith("<native:"):
            return msgpack.ExtType(EXT_MODULE, self.pack_all([value.module_name, None, None, None], None))
        # Its namespace is the one its functions share: same index, so they share it again.
        namespace = self.namespaces.setdefault(id(value.namespace), len(self.namespaces))
        members = {key: member for key, member in value.namespace.items() if unmangle(key) is not None}
        private = sorted(value.namespace.get(PRIVATE_KEY, ()))
        header = [value.module_name, value.file, value.alias, namespace]
        return msgpack.ExtType(EXT_MODULE, self.pack_all(header, [members, private]))

    def overload(self, value: Overload) -> Any:
        return msgpack.ExtType(EXT_OVERLOAD, self.pack([value._gd_name, list(value.variants)]))

    def function(self, value: Any) -> Any:
        if self.exporter is None:
            raise _cannot_send(value, "functions need the program's FunctionExporter")
        ref = self.seen(value)
        if ref is not None:
            return ref
        exported = self.exporter.export(value)
        if isinstance(exported, NativeRef):
            return msgpack.ExtType(EXT_NATIVE, self.pack(exported.name))
        if isinstance(exported, AccessorRef):
            return msgpack.ExtType(EXT_ACCESSOR, self.pack([exported.kind, exported.prop]))
        return msgpack.ExtType(EXT_FUNCTION, self.function_body(exported))

    def actor(self, value: Actor) -> Any:
        """[id, location, type name, run, closed]: the address the receiving side's ActorHost
        resolves, and whether this handle was closed already."""
        host = getattr(self.exporter, "actors", None)
        if host is None:
            raise _cannot_send(value, "actor handles travel only between a driver and its workers")
        location, run = host.export(value)
        address = value.address
        body = [address.actor_id, location, address.type_name, run, value.is_closed()]
        return msgpack.ExtType(EXT_ACTOR, self.pack(body))

    def function_body(self, ref: FunctionRef) -> bytes:
        namespace = self.namespaces.setdefault(ref.namespace_key, len(self.namespaces))
        header = [
            ref.bundle_hash, ref.file, ref.qualname, ref.firstlineno, ref.function_id, ref.name,
            list(ref.params), ref.rest, list(ref.defaults), list(ref.freevars), namespace, ref.namespace_file,
        ]
        captures = ref.captures
        assert captures is not None  # FunctionExporter always captures
        cells = [[0] if value is EMPTY_CELL else [1, value] for value in captures.cells]
        arms = [[symbol, arm, stateless, None if fill is None else list(fill)]
                for symbol, arm, stateless, fill in captures.arms]
        contents = [captures.globals, cells, [list(fold) for fold in captures.folds], arms]
        return self.pack_all(header, contents)


def _span_fields(span: Span | None) -> list | None:
    return None if span is None else [span.file, span.line, span.col, span.end_line, span.end_col]


_ENCODERS: dict[type, Callable[[_Encoder, Any], Any]] = {
    int: _Encoder.big_int,
    BigNum: _Encoder.bignum,
    Symbol: _Encoder.symbol,
    GList: _Encoder.glist,
    tuple: lambda encoder, value: list(value),
    GMap: _Encoder.gmap,
    Regex: _Encoder.regex,
    NodePattern: _Encoder.pattern,
    EdgePattern: _Encoder.pattern,
    PathPattern: _Encoder.pattern,
    Pattern: _Encoder.pattern,
    Graph: _Encoder.graph,
    Module: _Encoder.module,
    Overload: _Encoder.overload,
    types.FunctionType: _Encoder.function,
    Actor: _Encoder.actor,
}


# ---------------------------------------------------------------------------------- decoding


def decode(data: bytes, *, functions: FunctionTable | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The Graphoid value `data` encodes; functions are materialised through the worker's table.

    Any problem with the bytes is a CodecError; no other exception escapes."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise _bad(f"expected bytes, got {type(data).__name__}")
    if len(data) > limits.max_bytes:
        raise _bad(f"message of {len(data)} bytes exceeds the limit of {limits.max_bytes}")
    decoder = _Decoder(functions, limits)
    try:
        return decoder.unpack(bytes(data))
    except CodecError:
        raise
    except ProgramError as exc:  # keeps its kind (FunctionNotFound, BundleMismatch)
        raise CodecError(exc.kind, exc.message) from exc
    except GraphoidError as exc:
        raise _bad(f"invalid value: {exc.kind}: {exc.message}") from exc
    except RecursionError:
        raise _bad("message nested too deeply") from None
    except Exception as exc:  # hostile bytes: whatever the parser or a constructor refuses
        raise _bad(f"malformed message: {type(exc).__name__}: {exc}") from exc


def _want(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """`value` when it has the expected Python type (bool is never an int here), else ProtocolError."""
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise _bad(f"{what}: unexpected {type(value).__name__}")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _want_list(value: Any, length: int | None, what: str) -> list:
    _want(value, list, what)
    if length is not None and len(value) != length:
        raise _bad(f"{what}: expected {length} fields, got {len(value)}")
    return value


def _optional(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    return None if value is None else _want(value, kind, what)


def _want_graph(value: Any, what: str) -> Graph | None:
    return _optional(value, Graph, what)


def _want_callable(value: Any, what: str) -> Any:
    if not callable(value) or isinstance(value, (Graph, Symbol, Regex)):
        raise _bad(f"{what}: not a function")
    return value


def _route_fill(fill: Any) -> tuple[Symbol, Any] | None:
    """An arm's route fill (functions.with_arms): none, or `[h, x]` with a symbol h."""
    if fill is None:
        return None
    head, payload = _want_list(fill, 2, "route fill")
    return _want(head, Symbol, "route fill head"), payload


def _span(fields: Any) -> Span | None:
    if fields is None:
        return None
    file, line, col, end_line, end_col = _want_list(fields, 5, "span")
    _want(file, str, "span file")
    for number in (line, col, end_line, end_col):
        _want(number, int, "span position")
    return Span(file, line, col, end_line, end_col)


class _Decoder:
    """One message's decoding: the memo (pre-order, as the encoder numbered it) and the depth."""

    def __init__(self, table: FunctionTable | None, limits: Limits) -> None:
        self.table = table
        self.session: MaterialiseSession | None = table.session() if table is not None else None
        self.limits = limits
        self.memo: list[Any] = []
        self.depth = 0
        self.options = dict(
            ext_hook=self.ext_hook, list_hook=GList, object_hook=GMap, raw=False, strict_map_key=True,
            max_bin_len=0, timestamp=1,
        )

    def unpack(self, data: bytes) -> Any:
        return msgpack.unpackb(data, **self.options)

    def stream(self, data: bytes) -> Any:
        unpacker = msgpack.Unpacker(max_buffer_size=len(data), **self.options)
        unpacker.feed(data)
        return unpacker

    def ext_hook(self, code: int, data: bytes) -> Any:
        handler = _DECODERS.get(code)
        if handler is None:
            raise _bad(f"unknown ext type {code}")
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise _bad(f"message nested deeper than {self.limits.max_depth} levels")
        try:
            return handler(self, data)
        finally:
            self.depth -= 1

    def two_part(self, data: bytes, build: Callable[[Any], Any], fill: Callable[[Any, Any], None]) -> Any:
        """Header, then contents: the object is registered before its contents can refer to it."""
        unpacker = self.stream(data)
        try:
            header = unpacker.unpack()
        except msgpack.OutOfData:
            raise _bad("truncated ext body") from None
        value = build(header)
        self.memo.append(value)
        try:
            contents = unpacker.unpack()
        except msgpack.OutOfData:
            raise _bad("truncated ext body") from None
        if unpacker.tell() != len(data):
            raise _bad("trailing bytes in ext body")
        fill(value, contents)
        return value

    # ---- scalars and collections

    def big_int(self, data: bytes) -> int:
        value = int.from_bytes(data, "little", signed=True)
        if _INT64_MIN <= value <= _UINT64_MAX:
            raise _bad("big integer ext holds a 64-bit integer")
        return value

    def bignum(self, data: bytes) -> BigNum:
        return BigNum(int.from_bytes(data, "little", signed=True))

    def symbol(self, data: bytes) -> Symbol:
        return Symbol(data.decode("utf-8"))

    def glist(self, data: bytes) -> GList:
        items, frozen, rules = _want_list(self.unpack(data), 3, "list")
        value = GList(_want(items, list, "list items"))
        self.set_rules(value, frozen, rules)
        return value

    def gmap(self, data: bytes) -> GMap:
        entries, frozen, rules = _want_list(self.unpack(data), 3, "map")
        value = GMap(_want(entries, dict, "map entries"))
        self.set_rules(value, frozen, rules)
        return value

    def set_rules(self, value: Any, frozen: Any, rules: Any) -> None:
        built = []
        for spec in _want(rules, list, "rules"):
            name, params, fn = _want_list(spec, 3, "rule")
            args = (_want_callable(fn, "custom rule"),) if name == "custom" else (Symbol(_want(name, str, "rule name")), *params)
            built.append(make_rule(args))
        if built:
            value.rules = tuple(built)
        if _want(frozen, bool, "frozen flag"):
            value.frozen = True

    def regex(self, data: bytes) -> Regex:
        source, flags = _want_list(self.unpack(data), 2, "regex")
        _want(source, str, "regex source")
        if not all(flag in Regex._FLAG_NAMES for flag in _want(flags, str, "regex flags")):
            raise _bad(f"unknown regex flags '{flags}'")
        try:
            return Regex(source, flags)
        except Exception as exc:  # noqa: BLE001 - the regex package's own error class, or re's
            raise _bad(f"invalid regex: {exc}") from None

    def error(self, data: bytes) -> GraphoidError:
        kind, message, span, trace, hint, cause = _want_list(self.unpack(data), 6, "error")
        entries = [
            TraceEntry(_want(fn, str, "trace function"), _span(at) or Span("<unknown>", 0, 0, 0, 0))
            for fn, at in (_want_list(entry, 2, "trace entry") for entry in _want(trace, list, "trace"))
        ]
        return GraphoidError(
            _want(kind, str, "error kind"), _want(message, str, "error message"), _span(span),
            cause=_optional(cause, GraphoidError, "error cause"), trace=entries, hint=_optional(hint, str, "error hint"),
        )

    def pattern(self, data: bytes) -> Any:
        body = _want(self.unpack(data), list, "pattern")
        kind = body[0] if body else None
        if kind == "node":
            _, variable, node_type = _want_list(body, 3, "node pattern")
            return NodePattern(_optional(variable, str, "pattern variable"), _optional(node_type, str, "node type"))
        if kind == "edge":
            _, edge_type, arrow = _want_list(body, 3, "edge pattern")
            return EdgePattern(edge_type=_optional(edge_type, str, "edge type"), direction=_want(arrow, str, "direction"))
        if kind == "path":
            _, edge_type, low, high, arrow = _want_list(body, 5, "path pattern")
            return PathPattern(edge_type=_optional(edge_type, str, "edge type"), min=_want(low, int, "path min"),
                               max=_optional(high, int, "path max"), direction=_want(arrow, str, "direction"))
        if kind == "pattern":
            _, clauses, node_types = _want_list(body, 3, "pattern")
            built = [self.clause(raw) for raw in _want(clauses, list, "pattern clauses")]
            types_ = {_want(k, str, "pattern variable"): _want(v, str, "node type")
                      for k, v in _want(node_types, dict, "node types").items()}
            return Pattern(built, types_)
        raise _bad(f"unknown pattern kind {kind!r}")

    def clause(self, raw: Any) -> Clause:
        src, dst, direction, edge_type, low, high = _want_list(raw, 6, "pattern clause")
        if direction not in ("->", "<-", "-"):
            raise _bad(f"unknown pattern direction {direction!r}")
        return Clause(_want(src, str, "clause source"), _optional(dst, str, "clause target"), direction,
                      _optional(edge_type, str, "edge type"), _optional(low, int, "path min"),
                      _optional(high, int, "path max"))

    # ---- shared objects

    def ref(self, data: bytes) -> Any:
        index = _want(self.unpack(data), int, "ref index")
        if not 0 <= index < len(self.memo):
            raise _bad(f"reference to unknown object {index}")
        return self.memo[index]

    def graph(self, data: bytes) -> Graph:
        return self.two_part(data, self.graph_shell, self.graph_fill)

    def graph_shell(self, graph_type: Any) -> Graph:
        if graph_type not in GRAPH_TYPES:
            raise _bad(f"unknown graph type {graph_type!r}")
        graph = Graph("undirected" if graph_type == "undirected" else "directed")
        graph.graph_type = graph_type
        return graph

    def graph_fill(self, graph: Graph, body: Any) -> None:
        nodes, edges, node_types, props, control, meta, behavior, boundary = _want_list(body, 8, "graph")
        for pair in _want(nodes, list, "graph nodes"):
            node_id, value = _want_list(pair, 2, "graph node")
            graph.add_node(_want(node_id, str, "node id"), value)
        _fill_adjacency(graph, edges)
        for node_id, node_type in _want(node_types, dict, "node types").items():
            if node_id not in graph._nodes:
                raise _bad(f"node type for unknown node '{node_id}'")
            graph._node_types[node_id] = _want(node_type, str, "node type")
        graph._props = dict(_want(props, dict, "graph properties"))
        note_props_replaced(graph._props)  # (the shell may already be referenced: see classes)
        graph._pview = None
        graph.metadata = self.metadata(meta)
        graph.behavior = self.behavior(behavior)
        graph.boundary.interfaces = dict(_want(boundary, dict, "graph boundary"))
        graph.control = self.control(control)
        graph._refresh_guard()

    def control(self, fields: Any) -> ControlLayer:
        rules, rulesets, frozen, constraints = _want_list(fields, 4, "graph control")
        built = [self.graph_rule(spec) for spec in _want(rules, list, "graph rules")]
        names = tuple(_want(name, str, "ruleset") for name in _want(rulesets, list, "rulesets"))
        checks = tuple(
            (_want_callable(fn, "constraint"), _want(name, str, "constraint name"))
            for fn, name in (_want_list(pair, 2, "constraint") for pair in _want(constraints, list, "constraints"))
        )
        return ControlLayer(tuple(built), names, _want(frozen, bool, "frozen flag"), checks)

    def graph_rule(self, spec: Any) -> RuleInstance:
        name, params, severity, kind, fn, origin = _want_list(spec, 6, "graph rule")
        _want(name, str, "rule name")
        if severity not in SEVERITIES:
            raise _bad(f"unknown rule severity {severity!r}")
        known = {"structural": STRUCTURAL, "transform": TRANSFORMS}.get(kind)
        if kind == "user":
            _want_callable(fn, "user rule")
        elif known is None or name not in known or fn is not None:
            raise _bad(f"unknown {kind} rule {name!r}")
        args = tuple(_want(params, list, "rule parameters"))
        return RuleInstance(name, args, severity, kind, fn, _optional(origin, str, "rule origin"))

    def metadata(self, fields: Any) -> MetadataLayer:
        name, template, parent, partition = _want_list(fields, 4, "graph metadata")
        return MetadataLayer(_optional(name, str, "type name"), _want_graph(template, "template"),
                             _want_graph(parent, "parent"), dict(_want(partition, dict, "partition")))

    def behavior(self, fields: Any) -> BehaviorLayer:
        methods, statics, setters, handler = _want_list(fields, 4, "graph behavior")
        table: dict[str, MethodSet] = {}
        for entry in _want(methods, list, "methods"):
            name, private, default, guarded = _want_list(entry, 4, "method")
            variants = [
                (_want_callable(guard, "method guard"), _want_callable(fn, "method"))
                for guard, fn in (_want_list(pair, 2, "guarded method") for pair in _want(guarded, list, "guards"))
            ]
            method = None if default is None else _want_callable(default, "method")
            table[_want(name, str, "method name")] = MethodSet(variants, method, _want(private, bool, "private flag"))
        return BehaviorLayer(
            table,
            {_want(k, str, "static name"): _want_callable(v, "static") for k, v in _want(statics, dict, "statics").items()},
            {_want(k, str, "setter name"): _want_callable(v, "setter") for k, v in _want(setters, dict, "setters").items()},
            _want_graph(handler, "behavior template"),
        )

    def module(self, data: bytes) -> Module:
        return self.two_part(data, self.module_shell, self.module_fill)

    def module_shell(self, header: Any) -> Module:
        name, file, alias, namespace = _want_list(header, 4, "module")
        _want(name, str, "module name")
        if file is None:
            return self.native_module(name)
        shared = self.require_session().namespace(_want(namespace, int, "namespace"), _want(file, str, "module file"))
        return Module(name, file, shared, _optional(alias, str, "module alias"))

    def native_module(self, name: str) -> Module:
        table = self.require_table()
        module = table.interp.modules.import_module(name, {})
        if module is None or not module.file.startswith("<native:"):
            raise _bad(f"no native module '{name}' on this side")
        return module

    def module_fill(self, module: Module, contents: Any) -> None:
        if module.file.startswith("<native:"):
            if contents is not None:
                raise _bad("a native module carries no members")
            return
        members, private = _want_list(contents, 2, "module contents")
        for key, value in _want(members, dict, "module members").items():
            if not isinstance(key, str) or unmangle(key) is None:
                raise _bad(f"invalid module member {key!r}")
            module.namespace[key] = value
        if private:
            module.namespace[PRIVATE_KEY] = {_want(name, str, "private name") for name in _want(private, list, "private")}

    def actor(self, data: bytes) -> Actor:
        actor_id, location, type_label, run, closed = _want_list(self.unpack(data), 5, "actor")
        address = ActorAddress(_want(actor_id, int, "actor id"), _want(location, str, "actor location"),
                               _want(type_label, str, "actor type"))
        host = getattr(self.require_table(), "actors", None)
        if host is None:
            raise _bad("an actor handle where no actors can be reached")
        return host.resolve(address, _optional(run, str, "actor run"), _want(closed, bool, "actor closed"))

    def overload(self, data: bytes) -> Overload:
        name, variants = _want_list(self.unpack(data), 2, "overload")
        fns = [_want_callable(fn, "overload variant") for fn in _want(variants, list, "overload variants")]
        if not fns:
            raise _bad("an overload without variants")
        return Overload(_optional(name, str, "function name"), fns)

    # ---- functions

    def require_table(self) -> FunctionTable:
        if self.table is None:
            raise NeedsFunctionTable("ProtocolError", "malformed message: the message holds functions but no function table was given")
        return self.table

    def require_session(self) -> MaterialiseSession:
        self.require_table()
        assert self.session is not None
        return self.session

    def native(self, data: bytes) -> Any:
        fn = self.require_table().callable_for(NativeRef(_want(self.unpack(data), str, "builtin name")))
        self.memo.append(fn)
        return fn

    def accessor(self, data: bytes) -> Any:
        kind, prop = _want_list(self.unpack(data), 2, "accessor")
        if kind not in ("get", "set"):
            raise _bad(f"unknown accessor kind {kind!r}")
        fn = self.require_table().callable_for(AccessorRef(kind, _want(prop, str, "accessor property")))
        self.memo.append(fn)
        return fn

    def function(self, data: bytes) -> Any:
        return self.two_part(data, self.function_shell, self.function_fill)

    def function_shell(self, header: Any) -> Any:
        table = self.require_table()
        (bundle_hash, file, qualname, line, fid, name, params, rest, defaults, freevars, namespace,
         namespace_file) = _want_list(header, 12, "function")
        ref = FunctionRef(
            _want(bundle_hash, str, "bundle hash"), _want(file, str, "function file"),
            _want(qualname, str, "qualname"), _want(line, int, "first line"), _want(fid, int, "function id"),
            _optional(name, str, "function name"),
            tuple(_want(p, str, "parameter") for p in _want(params, list, "parameters")),
            _want(rest, bool, "rest flag"),
            tuple(_want(d, bool, "default flag") for d in _want(defaults, list, "defaults")),
            tuple(_want(v, str, "free variable") for v in _want(freevars, list, "free variables")),
            _want(namespace, int, "namespace"), _want(namespace_file, str, "namespace file"),
        )
        return table.shell(ref, self.require_session())

    def function_fill(self, fn: Any, contents: Any) -> None:
        captured, cells, folds, arms = _want_list(contents, 4, "function captures")
        values = []
        for cell in _want(cells, list, "closure cells"):
            _want(cell, list, "closure cell")
            if cell == [0]:
                values.append(EMPTY_CELL)
            else:
                values.append(_want_list(cell, 2, "closure cell")[1])
        fold_pairs = tuple(
            (_want(symbol, str, "fold symbol"), _want(prop, str, "fold property"))
            for symbol, prop in (_want_list(pair, 2, "fold") for pair in _want(folds, list, "folds"))
        )
        arm_entries = tuple(
            (_want(symbol, str, "arm symbol"), _want_callable(arm, "arm"), _want(stateless, bool, "stateless flag"),
             _route_fill(fill))
            for symbol, arm, stateless, fill in (_want_list(entry, 4, "arm") for entry in _want(arms, list, "arms"))
        )
        self.require_table().complete(
            fn, Captures(dict(_want(captured, dict, "captured globals")), values, fold_pairs, arm_entries),
            self.require_session(),
        )


_DECODERS: dict[int, Callable[[_Decoder, bytes], Any]] = {
    EXT_BIGINT: _Decoder.big_int,
    EXT_BIGNUM: _Decoder.bignum,
    EXT_SYMBOL: _Decoder.symbol,
    EXT_LIST: _Decoder.glist,
    EXT_MAP: _Decoder.gmap,
    EXT_REGEX: _Decoder.regex,
    EXT_GRAPH: _Decoder.graph,
    EXT_REF: _Decoder.ref,
    EXT_FUNCTION: _Decoder.function,
    EXT_NATIVE: _Decoder.native,
    EXT_ACCESSOR: _Decoder.accessor,
    EXT_OVERLOAD: _Decoder.overload,
    EXT_ERROR: _Decoder.error,
    EXT_PATTERN: _Decoder.pattern,
    EXT_MODULE: _Decoder.module,
    EXT_ACTOR: _Decoder.actor,
}
