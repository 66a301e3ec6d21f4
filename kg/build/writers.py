"""Outputs of builds too large for one in-memory graph, written partition by partition.

``kg.build.stages.partition_outputs`` (run by the engine's workers, with the merged entity
table broadcast) turns a partition of the records into its resolved records, N-Triples and
entity links, paper by paper, keeping only per-entity counts; ``write_streamed`` (the client) writes the
partitions in input order into ``papers.jsonl`` and the graph's N-Triples (sharded past
``shard_bytes``).  The triples are exactly those of ``kg.export.rdf.graph_to_triples`` on
the whole graph, in another order: each paper's own triples (paper, results, links,
evidence) in input order, then the entities and repositories (sorted), then the extractors.

``aggregated_graph`` is what the whole-graph views (HTML, GEXF, GraphML, Neo4j) draw for
such builds: the ``max_nodes`` entities in most papers, and one edge per pair of them that
papers mention together, weighted by the number of those papers.
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

import networkx as nx
import pyoxigraph as ox

from kg.export.rdf import graph_to_triples, prefixes
from kg.export.report import _ROWS_KEPT, PAPERS_WITH_CODE, ReportCollector
from kg.graph import schema
from kg.graph.views import EVALUATED_ON

__all__ = ["CO_OCCURS", "SHARD_BYTES", "Broadcast", "Partition", "StreamedGraph", "aggregated_graph",
           "write_streamed", "write_turtle"]

SHARD_BYTES = 512 * 2**20
# The relation of aggregated edges between entities other than a method and a dataset.
CO_OCCURS = "coOccursWith"
SHARED_TYPES = (*schema.ENTITY_NODE_TYPES, schema.REPOSITORY)


@dataclass
class StreamedGraph:
    """What ``stream_graph`` wrote and counted."""

    ntriples: list[Path] = field(default_factory=list)
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    entities: dict[str, dict] = field(default_factory=dict)
    seconds: Counter[str] = field(default_factory=Counter)


class ShardedWriter:
    """Text lines into ``<stem>-00000<suffix>``, ``-00001``, ... of at most ``max_bytes`` each;
    a single shard is renamed ``<stem><suffix>``."""

    def __init__(self, directory: Path, stem: str, suffix: str, max_bytes: int) -> None:
        self._directory, self._stem, self._suffix = directory, stem, suffix
        self._max_bytes = max_bytes
        self.paths: list[Path] = []
        self._handle: IO[str] | None = None
        self._size = 0

    def write(self, lines: str) -> None:
        """Write whole lines (one or more); a shard ends between two calls."""
        size = len(lines.encode("utf-8"))
        if self._handle is None or (self._size and self._size + size > self._max_bytes):
            self._next_shard()
        assert self._handle is not None
        self._handle.write(lines)
        self._size += size

    def _next_shard(self) -> None:
        if self._handle is not None:
            self._handle.close()
        path = self._directory / f"{self._stem}-{len(self.paths):05d}{self._suffix}"
        self.paths.append(path)
        self._handle = path.open("w", encoding="utf-8", newline="\n")
        self._size = 0

    def __enter__(self) -> ShardedWriter:
        self._directory.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._handle is not None:
            self._handle.close()
        if kind is None and len(self.paths) == 1:
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


@dataclass
class Partition:
    """The outputs of one partition of the records (``kg.build.stages.partition_outputs``), in
    input order, for ``write_streamed``:
    resolved record lines, entity-link lines (for ``aggregated_graph``), each paper's own
    N-Triples, the counts and first attributes of the shared nodes it reached, the
    extractors' triples and, if asked, the offline report of its papers."""

    records: str = ""
    links: str = ""
    triples: list[str] = field(default_factory=list)
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    papers: Counter[str] = field(default_factory=Counter)
    entities: dict[str, dict] = field(default_factory=dict)
    extractor_lines: set[str] = field(default_factory=set)
    report: ReportCollector | None = None
    seconds: Counter[str] = field(default_factory=Counter)


def write_streamed(
    partitions: Iterable[Partition],
    *,
    records_path: Path,
    triples_dir: Path,
    links_path: Path,
    base_iri: str,
    shard_bytes: int = SHARD_BYTES,
    report: ReportCollector | None = None,
) -> StreamedGraph:
    """Write ``partitions`` (in input order) into resolved ``records_path``, N-Triples shards
    ``triples_dir/graph*.nt`` and, for ``aggregated_graph``, the entity links ``links_path``;
    then the shared nodes' and the extractors' triples; fill ``report`` (the offline report).

    The triples are exactly those of ``kg.export.rdf.graph_to_triples`` on the whole graph,
    in another order: each paper's own triples in input order, then the entities and
    repositories (sorted), then the extractors.
    """
    result = StreamedGraph()
    papers: Counter[str] = Counter()
    extractor_lines: set[str] = set()
    with records_path.open("w", encoding="utf-8", newline="\n") as records_file, \
            links_path.open("w", encoding="utf-8", newline="\n") as links_file, \
            ShardedWriter(triples_dir, "graph", ".nt", shard_bytes) as triples:
        for part in partitions:
            started = time.perf_counter()
            records_file.write(part.records)
            links_file.write(part.links)
            for own in part.triples:
                triples.write(own)
            result.nodes.update(part.nodes)
            result.edges.update(part.edges)
            papers.update(part.papers)
            for node_id, data in part.entities.items():
                result.entities.setdefault(node_id, data)
            extractor_lines |= part.extractor_lines
            if report is not None and part.report is not None:
                _merge_report(report, part.report)
            result.seconds["write"] += time.perf_counter() - started
        started = time.perf_counter()
        shared_graph = nx.MultiDiGraph()
        for node_id in sorted(result.entities):
            data = result.entities[node_id] = {**result.entities[node_id], "papers": papers[node_id]}
            shared_graph.add_node(node_id, **data)
            result.nodes[data["type"]] += 1
            if report is not None:
                report.add_entity(node_id, data)
        for triple in graph_to_triples(shared_graph, base_iri):
            triples.write(f"{triple} .\n")
        for line in sorted(extractor_lines):
            triples.write(line)
        result.seconds["shared-nt"] += time.perf_counter() - started
    result.ntriples = triples.paths
    return result


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


def aggregated_graph(
    links_path: Path, entities: dict[str, dict], max_nodes: int, types: Iterable[str] = schema.ENTITY_NODE_TYPES
) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """The ``max_nodes`` entities of ``types`` in most papers and the links between them.

    ``entities`` are node id -> attributes with ``papers`` (``StreamedGraph.entities``).  An
    edge joins two kept entities that papers link to together: Method -> Dataset edges are
    ``evaluatedOn`` (as in ``kg.graph.views.method_dataset_view``), others ``coOccursWith``
    from the type first in ``schema.ENTITY_NODE_TYPES``; ``weight`` is the number of such
    papers, ``confidence`` the best paper's lower edge confidence, ``evidence`` is empty.
    Only the ``EDGES_PER_NODE * max_nodes`` heaviest links are kept; the graph attribute
    ``links_left_out`` counts the others.  Returns the graph and the count, per type, of
    entities left out.
    """
    kinds = tuple(types)
    candidates = sorted((node for node, data in entities.items() if data["type"] in kinds),
                        key=lambda node: (-entities[node]["papers"], node))
    kept = set(candidates[:max_nodes])
    left_out = Counter(entities[node]["type"] for node in candidates[max_nodes:])
    rank = {kind: index for index, kind in enumerate(schema.ENTITY_NODE_TYPES)}

    def order(node: str) -> tuple[int, str]:
        return rank[entities[node]["type"]], node

    weight: Counter[tuple[str, str]] = Counter()
    confidence: dict[tuple[str, str], float] = defaultdict(float)
    with links_path.open(encoding="utf-8") as handle:
        for line in handle:
            linked = sorted(((node, c) for node, c in json.loads(line) if node in kept),
                            key=lambda item: order(item[0]))
            for index, (first, first_confidence) in enumerate(linked):
                for second, second_confidence in linked[index + 1:]:
                    weight[first, second] += 1
                    pair_confidence = min(first_confidence, second_confidence)
                    confidence[first, second] = max(confidence[first, second], pair_confidence)
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
    return graph, dict(sorted(left_out.items()))


def write_turtle(ntriples: Sequence[Path], path: Path, base_iri: str) -> Path:
    """Convert N-Triples files to one prefixed Turtle file, streamed triple by triple."""
    triples = (t for file in ntriples for t in ox.parse(path=str(file), format=ox.RdfFormat.N_TRIPLES))
    with path.open("wb") as output:
        ox.serialize(triples, output, ox.RdfFormat.TURTLE, prefixes=prefixes(base_iri))
    return path
