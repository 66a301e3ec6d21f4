"""Outputs of builds too large for one in-memory graph, written partition by partition.

``kg.build.stages.partition_outputs`` (run by the engine's workers, with the merged entity
table broadcast) turns a partition of the records into its resolved records, N-Triples and
entity links, paper by paper, keeping only per-entity counts, and the Turtle body of its
triples (``turtle_body``).  Workers that share this machine's files write those texts into
part files themselves (``Partition.to_files``), so only counts cross to the client;
``write_streamed`` (the client) puts the partitions in input order into ``papers.jsonl``,
the graph's N-Triples (sharded past ``shard_bytes``) and ``graph.ttl`` (one prefix header,
then the bodies), copying part files by ranges in the kernel (``os.copy_file_range``).
The triples are exactly those of ``kg.export.rdf.graph_to_triples`` on the whole graph, in
another order: each paper's own triples (paper, results, links, evidence) in input order,
then the entities and repositories (sorted), then the extractors.  The Turtle is byte for byte what one pass of
pyoxigraph's serializer over those N-Triples writes: it groups only a subject's
consecutive triples, and every paper's triples begin with its own subject.

``aggregated_graph`` is what the whole-graph views (HTML, GEXF, GraphML, Neo4j) draw for
such builds: the ``max_nodes`` entities in most papers, and one edge per pair of them that
papers mention together, weighted by the number of those papers.
"""
from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import IO

import networkx as nx
import pyoxigraph as ox

from kg.build.clock import StageClock
from kg.export.rdf import prefixes
from kg.export.report import _ROWS_KEPT, PAPERS_WITH_CODE, ReportCollector
from kg.graph import schema
from kg.graph.views import EVALUATED_ON

__all__ = ["CO_OCCURS", "SHARD_BYTES", "Broadcast", "Kept", "LinkPairs", "PartFiles", "Partition", "ShardedWriter",
           "StreamedGraph", "aggregated_graph", "kept_entities", "link_pairs", "merge_pairs", "pairs_graph",
           "turtle_body", "turtle_header", "write_streamed"]

SHARD_BYTES = 512 * 2**20
# Shared nodes (entities, repositories) per partition of their triples.
SHARED_PIECE = 10_000
# The relation of aggregated edges between entities other than a method and a dataset.
CO_OCCURS = "coOccursWith"
SHARED_TYPES = (*schema.ENTITY_NODE_TYPES, schema.REPOSITORY)
# Bytes an output file gathers before one write (its many small writes cost one call each).
_WRITE_BUFFER = 2**20


@dataclass
class StreamedGraph:
    """What ``stream_graph`` wrote and counted."""

    ntriples: list[Path] = field(default_factory=list)
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    entities: dict[str, dict] = field(default_factory=dict)
    seconds: Counter[str] = field(default_factory=Counter)
    cpu: Counter[str] = field(default_factory=Counter)
    #: The partitions' entity-link part files, left in place for ``link_pairs`` on the
    #: engine (partitions on disk); the links of the others are in ``links_path``.
    links_parts: list[Path] = field(default_factory=list)


class _Output:
    """A file written in order by bytes and by ranges of other files (copied in the kernel)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("wb", buffering=0)
        self._buffer = bytearray()

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= _WRITE_BUFFER:
            self.flush()

    def copy(self, source: IO[bytes], offset: int, length: int) -> None:
        """Append ``length`` bytes of ``source`` from ``offset``."""
        self.flush()
        _copy_range(source.fileno(), self._file.fileno(), offset, length)

    def flush(self) -> None:
        with memoryview(self._buffer) as view:
            done = 0
            while done < len(view):
                with view[done:] as rest:
                    done += self._file.write(rest) or 0
        self._buffer.clear()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._file.close()


def _copy_range(source: int, target: int, offset: int, length: int) -> None:
    """Copy ``length`` bytes of file descriptor ``source`` from ``offset`` to the position of
    ``target`` (which moves on); in the kernel where it can, else through a buffer."""
    end = offset + length
    try:
        while offset < end:
            copied = os.copy_file_range(source, target, end - offset, offset)
            if not copied:
                raise OSError(f"copy_file_range copied nothing at {offset} of {end}")
            offset += copied
    except OSError:  # not on this kernel or file system: the portable way from here
        while offset < end:
            data = os.pread(source, min(end - offset, _WRITE_BUFFER), offset)
            if not data:
                raise
            view = memoryview(data)
            while view:
                view = view[os.write(target, view):]
            offset += len(data)


class ShardedWriter:
    """UTF-8 lines into ``<stem>-00000<suffix>``, ``-00001``, ... of at most ``max_bytes`` each;
    a single shard is renamed ``<stem><suffix>``.  With ``directory`` None nothing is written."""

    def __init__(self, directory: Path | None, stem: str, suffix: str, max_bytes: int) -> None:
        self._directory, self._stem, self._suffix = directory, stem, suffix
        self._max_bytes = max_bytes
        self.paths: list[Path] = []
        self._handle: _Output | None = None
        self._size = 0

    def write(self, lines: bytes) -> None:
        """Write whole lines (one or more); a shard ends between two calls."""
        if self._directory is None:
            return
        self._room(len(lines))
        assert self._handle is not None
        self._handle.write(lines)
        self._size += len(lines)

    def copy(self, source: IO[bytes], sizes: Iterable[int]) -> None:
        """Write ``source`` from its start, as one ``write`` call per run of bytes of ``sizes``."""
        if self._directory is None:
            return
        start = offset = 0
        for size in sizes:
            if self._full(size):
                if self._handle is not None and offset > start:
                    self._handle.copy(source, start, offset - start)
                start = offset
                self._next_shard()
            self._size += size
            offset += size
        if self._handle is not None and offset > start:
            self._handle.copy(source, start, offset - start)

    def _full(self, size: int) -> bool:
        """Whether ``size`` more bytes need the next shard (or the first one)."""
        return self._handle is None or bool(self._size and self._size + size > self._max_bytes)

    def _room(self, size: int) -> None:
        """Start the next shard if ``size`` more bytes do not fit in this one."""
        if self._full(size):
            self._next_shard()

    def _next_shard(self) -> None:
        assert self._directory is not None
        if self._handle is not None:
            self._handle.close()
        path = self._directory / f"{self._stem}-{len(self.paths):05d}{self._suffix}"
        self.paths.append(path)
        self._handle = _Output(path)
        self._size = 0

    def __enter__(self) -> ShardedWriter:
        if self._directory is not None:
            self._directory.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._handle is not None:
            self._handle.close()
        if kind is None and len(self.paths) == 1 and self._directory is not None:
            single = self._directory / f"{self._stem}{self._suffix}"
            self.paths[0] = self.paths[0].replace(single)


@dataclass(frozen=True)
class Broadcast:
    """What every partition needs of the whole build, sent once to each worker: the merged
    entity table as ``EntityTable.node_of()`` and ``EntityTable.nodes()``."""

    node_of: dict[str, str]
    entity_nodes: dict[str, dict]
    base_iri: str
    report: bool
    turtle: bool = False
    #: Where workers that share this machine's files write their partitions' texts
    #: (``Partition.to_files``); None: the texts travel back in the partitions.
    parts_dir: str | None = None


@dataclass(frozen=True)
class PartFiles:
    """The texts of one partition in files a worker wrote: its resolved records, entity
    links, own N-Triples (``triple_sizes``: the bytes of each paper's) and Turtle body."""

    records: Path
    links: Path
    triples: Path
    turtle: Path
    triple_sizes: list[int]

    def paths(self) -> tuple[Path, ...]:
        return self.records, self.links, self.triples, self.turtle


@dataclass
class Partition:
    """The outputs of one partition of the records (``kg.build.stages.partition_outputs``), in
    input order, for ``write_streamed``:
    resolved record lines, entity-link lines (for ``aggregated_graph``), each paper's own
    N-Triples (UTF-8), the counts and first attributes of the shared nodes it reached, the
    extractors' triples and, if asked, the Turtle body of its papers' own triples
    (``turtle_body``) and the offline report of its papers."""

    records: str = ""
    links: str = ""
    triples: list[bytes] = field(default_factory=list)
    turtle: bytes = b""
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    papers: Counter[str] = field(default_factory=Counter)
    entities: dict[str, dict] = field(default_factory=dict)
    extractor_lines: set[str] = field(default_factory=set)
    report: ReportCollector | None = None
    seconds: Counter[str] = field(default_factory=Counter)
    files: PartFiles | None = None

    def to_files(self, directory: Path, name: str) -> Partition:
        """This partition with its texts moved into files ``directory/<name>.*`` (which
        ``write_streamed`` copies into place, then deletes)."""
        stem = directory / name
        files = PartFiles(stem.with_suffix(".records"), stem.with_suffix(".links"), stem.with_suffix(".nt"),
                          stem.with_suffix(".ttl"), [len(own) for own in self.triples])
        files.records.write_bytes(self.records.encode("utf-8"))
        files.links.write_bytes(self.links.encode("utf-8"))
        with files.triples.open("wb") as handle:
            handle.writelines(self.triples)
        files.turtle.write_bytes(self.turtle)
        return replace(self, records="", links="", triples=[], turtle=b"", files=files)


def write_streamed(
    partitions: Iterable[Partition],
    *,
    records_path: Path,
    triples_dir: Path | None,
    links_path: Path,
    base_iri: str,
    shard_bytes: int = SHARD_BYTES,
    turtle_path: Path | None = None,
    triples_sink: Callable[[bytes], None] | None = None,
    triples_file_sink: Callable[[Path], None] | None = None,
    report: ReportCollector | None = None,
    shared_parts: Callable[[list[tuple[str, dict]]], Iterable[Partition]],
) -> StreamedGraph:
    """Write ``partitions`` (in input order) into resolved ``records_path``, N-Triples shards
    ``triples_dir/graph*.nt`` (none when None), Turtle ``turtle_path`` (if given; the
    partitions carry their bodies) and, for ``aggregated_graph``, the entity links
    ``links_path`` (those of partitions on disk stay in their part files,
    ``StreamedGraph.links_parts``); then the shared nodes' triples, in the partitions
    ``shared_parts`` makes of those nodes (sorted, with their paper counts;
    ``kg.build.stages.shared_outputs``), and the extractors' triples; fill ``report`` (the
    offline report).  The N-Triples are also given, in runs of whole lines, to
    ``triples_sink`` (the RDF store's loader), and the N-Triples part files of partitions on
    disk to ``triples_file_sink``, which then owns (deletes) them; the time spent in either
    is ``seconds["rdf-store"]``, not that of the other stages.  The other part files, but
    the links, are deleted once copied.

    The triples are exactly those of ``kg.export.rdf.graph_to_triples`` on the whole graph,
    in another order: each paper's own triples in input order, then the entities and
    repositories (sorted), then the extractors.
    """
    result = StreamedGraph()
    clock = StageClock()
    papers: Counter[str] = Counter()
    extractor_lines: set[str] = set()

    def sink(lines: bytes) -> None:
        """Give ``lines`` to ``triples_sink``."""
        if triples_sink is not None:
            with clock.stage("rdf-store"):
                triples_sink(lines)

    def sink_file(path: Path) -> None:
        """Give the part file ``path`` to ``triples_file_sink`` (or delete it)."""
        if triples_file_sink is None:
            path.unlink()
            return
        with clock.stage("rdf-store"):
            triples_file_sink(path)

    def put(part: Partition) -> None:
        """Write the texts of ``part``, or copy its part files, into place (its entity links
        left where they are)."""
        if part.files is not None:
            _copy_part(part.files, records_file, triples, turtle, sink_file)
            if part.files.links.stat().st_size:
                result.links_parts.append(part.files.links)
            else:
                part.files.links.unlink()
        else:
            records_file.write(part.records.encode("utf-8"))
            links_file.write(part.links.encode("utf-8"))
            for own in part.triples:
                triples.write(own)
            sink(b"".join(part.triples))
            turtle.write(part.turtle)

    records_file, links_file = _Output(records_path), _Output(links_path)
    try:
        with _TurtleFile(turtle_path, base_iri) as turtle, \
                ShardedWriter(triples_dir, "graph", ".nt", shard_bytes) as triples:
            for part in partitions:
                clock.switch("write")
                put(part)
                result.nodes.update(part.nodes)
                result.edges.update(part.edges)
                papers.update(part.papers)
                for node_id, data in part.entities.items():
                    result.entities.setdefault(node_id, data)
                extractor_lines |= part.extractor_lines
                if report is not None and part.report is not None:
                    _merge_report(report, part.report)
                clock.switch(None)  # waiting for the next partition is the engine's time
            clock.switch("entities")
            nodes = []
            for node_id in sorted(result.entities):
                data = result.entities[node_id] = {**result.entities[node_id], "papers": papers[node_id]}
                result.nodes[data["type"]] += 1
                nodes.append((node_id, data))
                if report is not None:
                    report.add_entity(node_id, data)
            clock.switch("shared")  # waiting for the shared nodes' triples
            for part in shared_parts(nodes):
                clock.switch("write")
                put(part)
                clock.switch("shared")
            clock.switch("write")
            extractors = "".join(sorted(extractor_lines)).encode("utf-8")
            if extractors:
                triples.write(extractors)
            sink(extractors)
            turtle.write_triples(ox.parse(extractors, ox.RdfFormat.N_TRIPLES))
    finally:
        records_file.close()
        links_file.close()
        clock.switch(None)
    result.ntriples = triples.paths
    result.seconds, result.cpu = clock.seconds, clock.cpu
    return result


def _copy_part(files: PartFiles, records: _Output, triples: ShardedWriter, turtle: _TurtleFile,
               sink_file: Callable[[Path], None]) -> None:
    """Append the part ``files`` but its entity links to the outputs and delete them (the
    N-Triples part goes to ``sink_file``)."""
    with files.records.open("rb") as handle:
        records.copy(handle, 0, os.fstat(handle.fileno()).st_size)
    files.records.unlink()
    with files.triples.open("rb") as handle:
        triples.copy(handle, files.triple_sizes)
    with files.turtle.open("rb") as handle:
        turtle.copy(handle)
    files.turtle.unlink()
    sink_file(files.triples)


@lru_cache(maxsize=8)
def turtle_header(base_iri: str) -> bytes:
    """The prefix lines (``kg.export.rdf.prefixes``) that pyoxigraph starts Turtle with."""
    probe = ox.NamedNode("urn:kg:probe")
    text = ox.serialize([ox.Triple(probe, probe, probe)], None, ox.RdfFormat.TURTLE,
                        prefixes=prefixes(base_iri))
    return text[:text.index(b"<urn:kg:probe>")]


def turtle_body(triples: Iterable[ox.Triple], base_iri: str) -> bytes:
    """``triples`` as pyoxigraph's Turtle without the prefix header (``turtle_header``).

    The bodies of consecutive runs of triples, each ending where the subject changes, put
    after one header are the Turtle of all of them in one pass."""
    text = ox.serialize(triples, None, ox.RdfFormat.TURTLE, prefixes=prefixes(base_iri))
    return text.removeprefix(turtle_header(base_iri))


class _TurtleFile:
    """``graph.ttl`` of a streamed build: the header, then bodies; nothing without a path."""

    def __init__(self, path: Path | None, base_iri: str) -> None:
        self._path, self._base_iri = path, base_iri
        self._handle: _Output | None = None

    def write(self, body: bytes) -> None:
        if self._handle is not None:
            self._handle.write(body)

    def copy(self, source: IO[bytes]) -> None:
        """Append the body in the file ``source``."""
        if self._handle is not None:
            self._handle.copy(source, 0, os.fstat(source.fileno()).st_size)

    def write_triples(self, triples: Iterable[ox.Triple]) -> None:
        if self._handle is not None:
            self._handle.write(turtle_body(triples, self._base_iri))

    def __enter__(self) -> _TurtleFile:
        if self._path is not None:
            self._handle = _Output(self._path)
            self._handle.write(turtle_header(self._base_iri))
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._handle is not None:
            self._handle.close()


def _merge_report(total: ReportCollector, part: ReportCollector) -> None:
    """Add the papers of ``part`` (the papers after those of ``total``) to ``total``, as if
    ``total`` had collected them one by one: rows and code beyond the caps are left out."""
    total.papers += part.papers
    total.results += part.results
    total.years.update(part.years)
    for key, rows in part.rows.items():
        kept = total.rows[key]
        room = max(_ROWS_KEPT - len(kept), 0)
        kept.extend(rows[:room])
        total.rows_left_out += len(rows) - len(rows[:room])
    total.rows_left_out += part.rows_left_out
    total.code.extend(part.code[:max(PAPERS_WITH_CODE - len(total.code), 0)])
    total.code_total += part.code_total
    for node, name in part.names.items():
        total.names.setdefault(node, name)
    for metric, direction in part.directions.items():
        total.directions.setdefault(metric, direction)


# Most links per kept entity in an aggregated graph.
EDGES_PER_NODE = 5


# An aggregated graph's entities: node id -> its sort key (type rank, id), and the pairs of
# them papers link to together: (weight: papers per pair, confidence: best pair confidence).
Kept = dict[str, tuple[int, str]]
LinkPairs = tuple[dict[tuple[str, str], int], dict[tuple[str, str], float]]


def aggregated_graph(
    links_paths: Iterable[Path], entities: dict[str, dict], max_nodes: int,
    types: Iterable[str] = schema.ENTITY_NODE_TYPES,
) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """The ``max_nodes`` entities of ``types`` in most papers and the links between them,
    from the entity-link files ``links_paths`` (one JSON list of [node, confidence] a paper).

    ``entities`` are node id -> attributes with ``papers`` (``StreamedGraph.entities``).  An
    edge joins two kept entities that papers link to together: Method -> Dataset edges are
    ``evaluatedOn`` (as in ``kg.graph.views.method_dataset_view``), others ``coOccursWith``
    from the type first in ``schema.ENTITY_NODE_TYPES``; ``weight`` is the number of such
    papers, ``confidence`` the best paper's lower edge confidence, ``evidence`` is empty.
    Only the ``EDGES_PER_NODE * max_nodes`` heaviest links are kept; the graph attribute
    ``links_left_out`` counts the others.  Returns the graph and the count, per type, of
    entities left out.  The steps, for an engine to run on parts of the links:
    ``kept_entities``, ``link_pairs`` (per part), ``merge_pairs``, ``pairs_graph``.
    """
    kept, left_out = kept_entities(entities, max_nodes, types)
    return pairs_graph(link_pairs(_lines(links_paths), kept), entities, kept, max_nodes), left_out


def _lines(paths: Iterable[Path]) -> Iterator[str]:
    """The lines of the text files ``paths``, one after the other."""
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            yield from handle


def kept_entities(entities: dict[str, dict], max_nodes: int,
                  types: Iterable[str] = schema.ENTITY_NODE_TYPES) -> tuple[Kept, dict[str, int]]:
    """The ``max_nodes`` entities of ``types`` in most papers, with their sort keys, and the
    count per type of those left out."""
    kinds = tuple(types)
    candidates = sorted((node for node, data in entities.items() if data["type"] in kinds),
                        key=lambda node: (-entities[node]["papers"], node))
    rank = {kind: index for index, kind in enumerate(schema.ENTITY_NODE_TYPES)}
    kept = {node: (rank[entities[node]["type"]], node) for node in candidates[:max_nodes]}
    left_out = Counter(entities[node]["type"] for node in candidates[max_nodes:])
    return kept, dict(sorted(left_out.items()))


def link_pairs(lines: Iterable[str], kept: Kept) -> LinkPairs:
    """The pairs of ``kept`` entities that the papers of the entity-link ``lines`` (one JSON
    list of [node, confidence] a paper) link to together."""
    weight: dict[tuple[str, str], int] = defaultdict(int)
    confidence: dict[tuple[str, str], float] = defaultdict(float)
    for line in lines:
        linked = sorted(((node, c) for node, c in json.loads(line) if node in kept),
                        key=lambda item: kept[item[0]])
        for index, (first, first_confidence) in enumerate(linked):
            for second, second_confidence in linked[index + 1:]:
                weight[first, second] += 1
                pair_confidence = min(first_confidence, second_confidence)
                confidence[first, second] = max(confidence[first, second], pair_confidence)
    return dict(weight), dict(confidence)


def merge_pairs(first: LinkPairs, second: LinkPairs) -> LinkPairs:
    """The pairs of the papers of both: weights added, the best confidence kept (associative
    and commutative, so any tree of merges gives the same pairs)."""
    weight, confidence = dict(first[0]), dict(first[1])
    for pair, count in second[0].items():
        weight[pair] = weight.get(pair, 0) + count
        confidence[pair] = max(confidence.get(pair, 0.0), second[1][pair])
    return weight, confidence


def pairs_graph(pairs: LinkPairs, entities: dict[str, dict], kept: Kept, max_nodes: int) -> nx.MultiDiGraph:
    """The aggregated graph of the ``kept`` entities and their heaviest ``pairs``."""
    weight, confidence = pairs
    graph = nx.MultiDiGraph()
    for node in sorted(kept):
        graph.add_node(node, **entities[node])
    # Co-occurrence is dense: keep the links most papers share (a page draws a few thousand).
    strongest = sorted(weight.items(), key=lambda item: (-item[1], item[0]))[:max_nodes * EDGES_PER_NODE]
    graph.graph["links_left_out"] = len(weight) - len(strongest)
    for (source, target), count in sorted(strongest):
        types_pair = (entities[source]["type"], entities[target]["type"])
        relation = EVALUATED_ON if types_pair == (schema.METHOD, schema.DATASET) else CO_OCCURS
        graph.add_edge(source, target, key=relation, relation=relation, weight=count,
                       confidence=confidence[source, target], extractor="", evidence=[])
    return graph
