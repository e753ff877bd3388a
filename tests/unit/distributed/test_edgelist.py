"""Edge lists read by byte ranges, and partitions built from them, equal the local graph cut."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphoid.distributed.edgelist import PartitionBuilder, byte_ranges, read_range, route
from graphoid.distributed.partition import Partitioning, split
from graphoid.errors import GraphoidError
from graphoid.graphs.graph import Graph, entry_type, entry_weight

lines = st.one_of(
    st.tuples(st.sampled_from(["a", "b", "c", "d", "e", "n10", "x_y", "é"]), st.sampled_from(["a", "b", "c", "f", "é"]),
              st.sampled_from([None, 1, 2.5, -3])).map(
        lambda t: f"{t[0]}\t{t[1]}" + ("" if t[2] is None else f" {t[2]}")),
    st.sampled_from(["# comment", "", "   ", "  # indented comment"]),
)


def local_graph(path: Path, directed: bool) -> Graph:
    """The reference: every line added in order with Graph.add_edge."""
    g = Graph("directed" if directed else "undirected")
    for raw in path.read_text(encoding="utf-8").splitlines():
        fields = raw.split()
        if not fields or fields[0].startswith("#"):
            continue
        weight = None
        if len(fields) == 3:
            weight = float(fields[2]) if "." in fields[2] else int(fields[2])
        g.add_edge(fields[0], fields[1], "edge", weight)
    return g


def adjacency(g: Graph, node_id: str) -> tuple:
    out = [(d, entry_type(e), entry_weight(e)) for d, e in g._out[node_id].items()]
    into = [(s, entry_type(e), entry_weight(e)) for s, e in g.in_map()[node_id].items()]
    return out, into


@settings(max_examples=60, deadline=None)
@given(st.lists(lines, max_size=40), st.integers(1, 6), st.integers(1, 4), st.booleans(), st.booleans())
def test_ranges_and_builders_give_the_local_graph_cut(tmp_path_factory, content, readers, count, directed, newline_at_end):
    path = tmp_path_factory.mktemp("el") / "g.txt"
    path.write_text("\n".join(content) + ("\n" if newline_at_end else ""), encoding="utf-8")
    chunks = [read_range(path, start, end) for start, end in byte_ranges(path, readers)]
    local = local_graph(path, directed)
    data_lines = [line for line in content if line.split() and not line.split()[0].startswith("#")]
    assert sum(map(len, chunks)) == len(data_lines)
    partitioning = Partitioning.by_hash(count)
    expected = split(local, partitioning)
    routed = [route(chunk, partitioning.owner, count) for chunk in chunks]
    for part in expected:
        builder = PartitionBuilder(part.index, partitioning.owner, directed)
        for pieces in routed:  # reader by reader, in range order: file order
            builder.add(pieces[part.index])
        graph, ghosts = builder.finish()
        assert ghosts == part.ghosts
        assert sorted(graph._nodes) == sorted(part.graph._nodes)
        assert graph.edge_count() == part.graph.edge_count()
        for node_id in part.owned_ids():
            assert adjacency(graph, node_id) == adjacency(part.graph, node_id)


def test_every_line_is_read_once_whatever_the_ranges(tmp_path: Path) -> None:
    rng = random.Random(3)
    path = tmp_path / "g.txt"
    path.write_text("".join(f"{rng.randrange(50)} {rng.randrange(50)}\n" for _ in range(500)))
    whole = read_range(path, 0, path.stat().st_size)
    assert len(whole) == 500
    for cut in range(1, 40):
        pieces = [read_range(path, s, e) for s, e in byte_ranges(path, cut)]
        assert sum((p.sources for p in pieces), []) == whole.sources
        assert sum((p.targets for p in pieces), []) == whole.targets


def test_weights_mix_with_unweighted_lines(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_text("a b\nb c 2\nc a 0.5\n")
    chunk = read_range(path, 0, path.stat().st_size)
    assert chunk.weights == [None, 2, 0.5]


@pytest.mark.parametrize(
    "text, message",
    [
        ("a b\nb\n", "g.txt:2: expected 'source target [weight]', found 1 fields"),
        ("# c\na b c d\n", "g.txt:2: expected 'source target [weight]', found 4 fields"),
        ("a b heavy\n", "g.txt:1: weight 'heavy' is not a number"),
    ],
)
def test_bad_lines_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "g.txt"
    path.write_text(text)
    with pytest.raises(GraphoidError) as caught:
        for start, end in byte_ranges(path, 3):
            read_range(path, start, end)
    assert caught.value.kind == "ValueError" and caught.value.message.endswith(message)


def test_a_missing_file_is_an_io_error(tmp_path: Path) -> None:
    with pytest.raises(GraphoidError, match="cannot read edge list"):
        byte_ranges(tmp_path / "nope.txt", 2)


raw_lines = st.lists(st.one_of(
    st.tuples(st.sampled_from([b"a", b"b", b"n1", b"a#b", b"\xc3\xa9", b"\xff", b"x"]),
              st.sampled_from([b" ", b"\t", b"  \t", b"\x0b", b"\x0c"]),
              st.sampled_from([b"a", b"c", b"#c", b"\xc3\xa9", b"n1"]),
              st.sampled_from([b"", b"\r", b" ", b" 2", b" 1.5", b" x y"])).map(b"".join),
    st.sampled_from([b"", b"   ", b"# comment", b"  # indented", b"\r", b"a", b"#"]),
), max_size=30)


@settings(max_examples=200, deadline=None)
@given(raw_lines, st.booleans())
def test_the_plain_reader_reads_what_the_line_reader_reads_or_leaves_it_to_it(lines, newline_at_end):
    from graphoid.distributed.edgelist import EdgeChunk, _parse_lines, _parse_plain

    data = b"\n".join(lines) + (b"\n" if newline_at_end else b"")
    plain = EdgeChunk()
    if not _parse_plain(data, plain):
        assert plain == EdgeChunk()  # untouched: the line reader takes it all
        return
    by_lines = EdgeChunk()
    _parse_lines(data, by_lines, "g.txt", 0)
    assert plain == by_lines and plain.weights is None
    # one str object per distinct id, as the line reader makes
    assert len({id(node) for node in plain.sources + plain.targets}) == len(set(plain.sources + plain.targets))


def test_the_plain_reader_takes_a_snap_file_with_its_header(tmp_path: Path) -> None:
    from graphoid.distributed.edgelist import EdgeChunk, _parse_plain

    data = b"# Directed graph\n# FromNodeId\tToNodeId\n1\t2\n2\t3\r\n\n3 1\n"
    chunk = EdgeChunk()
    assert _parse_plain(data, chunk)
    assert (chunk.sources, chunk.targets) == (["1", "2", "3"], ["2", "3", "1"])
    assert not _parse_plain(b"1 2\n# later comment\n2 3\n", EdgeChunk())  # the line reader's case
    assert not _parse_plain(b"1 2 0.5\n", EdgeChunk())  # weights too
