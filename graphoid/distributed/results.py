"""DistributedResult: results that stay on the workers that computed them until asked for.

`get(key)` brings one entry to the driver, `to_list()` / `to_map()` / iteration bring them all
(in key order), `keys()` the keys; nothing moves before. Three shapes, one Graphoid type:

- per node (`distributed.map(g, fn)`): one map object per partition, keys are node ids;
- per item (`distributed.map(list, fn)`): list chunks, keys are the item indexes;
- per key (`distributed.map_reduce`): hash buckets of `[key, result]` pairs.
"""

from __future__ import annotations

import abc
from typing import Any, Iterator

from graphoid.distributed import codec
from graphoid.distributed.entries import ITEMS, KEYED, NODES, key_order
from graphoid.distributed.executor.base import Executor, MapChunk, MapResult, PartitionResults, ShuffleResult, StoredValues
from graphoid.distributed.ids import stable_hash
from graphoid.distributed.partition import Partitioning
from graphoid.errors import GraphoidError
from graphoid.graphs.patterns import MatchResults
from graphoid.values.format import display
from graphoid.values.types import GList, GMap


class DistributedResult(abc.ABC):
    """Base of the three shapes: the Graphoid-facing methods, over `_fetch_all`, `get`, `size`."""

    gd_type_name = "distributed_result"

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self._cache: list[tuple[Any, Any]] | None = None

    # -- what a shape provides

    @abc.abstractmethod
    def _fetch_all(self) -> list[tuple[Any, Any]]:
        """Every (key, value), in key order, brought to the driver."""

    @abc.abstractmethod
    def get(self, key: Any) -> Any:
        """One entry's value (none when the key has none)."""

    @abc.abstractmethod
    def size(self) -> int:
        """How many entries."""

    @abc.abstractmethod
    def stored(self) -> StoredValues:
        """The objects holding the values, for another operation to use in place."""

    @abc.abstractmethod
    def over(self, values: StoredValues) -> DistributedResult:
        """A result of this shape and these keys whose values are `values` (a map of this one)."""

    def values_in_order(self) -> list[Any]:
        """The values in key order (the :local executor's results hold them in the driver)."""
        return [value for _, value in self.entries()]

    # -- shared

    def entries(self) -> list[tuple[Any, Any]]:
        """(key, value) pairs in key order, fetched once."""
        if self._cache is None:
            self._cache = self._fetch_all()
        return self._cache

    def to_list(self) -> GList:
        return GList(value for _, value in self.entries())

    def to_map(self) -> GMap:
        return GMap(self.entries())

    def keys(self) -> GList:
        return GList(key for key, _ in self.entries())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_list())

    def gd_iter(self) -> GList:
        """What `for x in result` walks: `to_list()`."""
        return self.to_list()

    def __len__(self) -> int:
        return self.size()

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        if kwargs:
            raise GraphoidError("TypeError", f"distributed_result method '{name}' takes no named arguments")
        attribute = _METHODS.get(name)
        if attribute is None:
            raise GraphoidError(
                "RuntimeError",
                f"distributed_result has no method '{name}' (get, keys, to_list, to_map, size, length)",
            )
        expected = 1 if name == "get" else 0
        if len(args) != expected:
            raise GraphoidError("TypeError", f"distributed_result method '{name}' takes {expected} arguments, got {len(args)}")
        return getattr(self, attribute)(*args)

    def display(self) -> str:
        return f"<distributed result: {self.size()} entries>"


# Graphoid method name -> the attribute that answers it (each shape may override it)
_METHODS = {
    "get": "get", "keys": "keys", "to_list": "to_list", "to_map": "to_map", "size": "size", "length": "size",
    "len": "size",
}


class NodeResults(DistributedResult):
    """fn(node) per node of a distributed graph; keyed by node id."""

    def __init__(self, executor: Executor, results: PartitionResults, partitioning: Partitioning, count: int) -> None:
        super().__init__(executor)
        self.results = results
        self.partitioning = partitioning
        self.count = count

    def _fetch_all(self) -> list[tuple[Any, Any]]:
        found: dict[str, Any] = {}
        for meta in self.results.parts:
            found.update(self.executor.fetch(meta).items())
        return sorted(found.items())

    def get(self, key: Any) -> Any:
        _check_node_key(key)
        if self._cache is not None:
            return dict(self._cache).get(key)
        meta = self.results.parts[self.partitioning.owner(key)]
        return self.executor.fetch(meta, key=key)

    def size(self) -> int:
        return self.count

    def stored(self) -> StoredValues:
        return StoredValues(NODES, self.results.parts)

    def over(self, values: StoredValues) -> NodeResults:
        parts = PartitionResults(self.results.run_id, self.results.graph, values.objects)
        return NodeResults(self.executor, parts, self.partitioning, self.count)


class ItemResults(DistributedResult):
    """fn(item) per item of a list; keyed by item index."""

    def __init__(self, executor: Executor, results: MapResult) -> None:
        super().__init__(executor)
        self.results = results

    def _fetch_all(self) -> list[tuple[Any, Any]]:
        values: list[Any] = []
        for chunk in self.results.chunks:
            values.extend(self.executor.fetch(chunk.meta))
        return list(enumerate(values))

    def get(self, key: Any) -> Any:
        chunk, position = self.results.locate(_item_index(key, self.size()))
        return self.executor.fetch(chunk.meta, item=position)

    def size(self) -> int:
        return len(self.results)

    def stored(self) -> StoredValues:
        return StoredValues(ITEMS, tuple(chunk.meta for chunk in self.results.chunks))

    def over(self, values: StoredValues) -> ItemResults:
        chunks = tuple(MapChunk(meta, chunk.start, chunk.count) for meta, chunk in zip(values.objects, self.results.chunks))
        return ItemResults(self.executor, MapResult(self.results.run_id, chunks))


class KeyedResults(DistributedResult):
    """map_reduce: reduce(k, values) per key k; `to_list()` gives `[k, result]` pairs."""

    def __init__(self, executor: Executor, results: ShuffleResult) -> None:
        super().__init__(executor)
        self.results = results
        self._size: int | None = None

    def _fetch_all(self) -> list[tuple[Any, Any]]:
        pairs: list[tuple[Any, Any]] = []
        for meta in self.results.buckets:
            pairs.extend((pair[0], pair[1]) for pair in self.executor.fetch(meta))
        pairs.sort(key=lambda pair: key_order(pair[0]))
        self._size = len(pairs)
        return pairs

    def stored(self) -> StoredValues:
        return StoredValues(KEYED, self.results.buckets)

    def over(self, values: StoredValues) -> KeyedResults:
        mapped = KeyedResults(self.executor, ShuffleResult(self.results.run_id, values.objects))
        mapped._size = self._size
        return mapped

    def to_list(self) -> GList:
        return GList(GList(pair) for pair in self.entries())

    def get(self, key: Any) -> Any:
        buckets = self.results.buckets
        meta = buckets[stable_hash(codec.encode(key)) % len(buckets)]
        for pair in self.executor.fetch(meta):
            if pair[0] == key:
                return pair[1]
        return None

    def size(self) -> int:
        if self._size is None:
            self.entries()
        assert self._size is not None
        return self._size


def _check_node_key(key: Any) -> None:
    if not isinstance(key, str):
        raise GraphoidError("TypeError", f"a node result is keyed by node id (a string), not {display(key)}")


def _item_index(key: Any, count: int) -> int:
    """The item a (possibly negative) index names, checked."""
    if type(key) is not int:
        raise GraphoidError("TypeError", f"a map result is keyed by item index, not {display(key)}")
    if not -count <= key < count:
        raise GraphoidError("IndexError", f"index {key} is out of range for a result of {count} items")
    return key % count


# ---------------------------------------------------------------------------- the :local executor
# The same three shapes over values computed in the driver (no executor, nothing to fetch).


class LocalNodeResults(NodeResults):
    """fn(node) per node of a local graph; keyed by node id."""

    def __init__(self, values: GMap) -> None:
        DistributedResult.__init__(self, None)  # type: ignore[arg-type]
        self.values = values
        self.count = len(values)
        self._cache = sorted(values.items())

    def get(self, key: Any) -> Any:
        _check_node_key(key)
        return self.values.get(key)


class LocalItemResults(ItemResults):
    """fn(item) per item of a list, computed in the driver; keyed by item index."""

    def __init__(self, values: GList) -> None:
        DistributedResult.__init__(self, None)  # type: ignore[arg-type]
        self.values = values
        self._cache = list(enumerate(values))

    def get(self, key: Any) -> Any:
        return self.values[_item_index(key, len(self.values))]

    def size(self) -> int:
        return len(self.values)


class LocalKeyedResults(KeyedResults):
    """map_reduce computed in the driver: `[key, result]` pairs in KeyedResults' key order."""

    def __init__(self, pairs: GList) -> None:
        DistributedResult.__init__(self, None)  # type: ignore[arg-type]
        entries = [(pair[0], pair[1]) for pair in pairs]
        entries.sort(key=lambda pair: key_order(pair[0]))
        self._cache = entries
        self._size = len(entries)
        self._by_key = {codec.encode(key): value for key, value in entries}

    def get(self, key: Any) -> Any:
        return self._by_key.get(codec.encode(key))


# ---------------------------------------------------------------------------- pattern matches


class DistributedMatches(MatchResults):
    """find_pattern's bindings: the local match results, with node fields read from the
    distributed graph (`return(["a.name"])` asks the owner of each bound node)."""

    def node_value(self, node_id: str) -> Any:
        return self.graph.get_node(node_id)
