"""Outputs of builds too large for one in-memory graph, written paper by paper.

``stream_graph`` makes one pass over the records: it writes the resolved ``papers.jsonl``
and the graph's N-Triples (sharded past ``shard_bytes``), paper by paper, keeping only
per-entity counts.  The triples are exactly those of ``kg.export.rdf.graph_to_triples`` on
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

from kg.export.iri import node_iri
from kg.export.rdf import graph_to_triples, prefixes
from kg.export.records import record_line
from kg.graph import schema
from kg.export.report import ReportCollector
from kg.graph.build import EntityTable, GraphBuilder, paper_graph, paper_node_id
from kg.graph.views import EVALUATED_ON
from kg.records import PaperRecord

__all__ = ["CO_OCCURS", "SHARD_BYTES", "StreamedGraph", "aggregated_graph", "stream_graph", "write_turtle"]

SHARD_BYTES = 512 * 2**20
# The relation of aggregated edges between entities other than a method and a dataset.
CO_OCCURS = "coOccursWith"
_SHARED_TYPES = (*schema.ENTITY_NODE_TYPES, schema.REPOSITORY)


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


def stream_graph(
    records: Iterable[PaperRecord],
    entities: EntityTable,
    *,
    records_path: Path,
    triples_dir: Path,
    links_path: Path,
    base_iri: str,
    shard_bytes: int = SHARD_BYTES,
    report: ReportCollector | None = None,
) -> StreamedGraph:
    """Write resolved ``records_path``, N-Triples shards ``triples_dir/graph*.nt`` and, for
    ``aggregated_graph``, each paper's entity links to ``links_path``, in one pass (and fill
    ``report``, the offline report, paper by paper).

    ``records`` have per-paper entity ids (as extracted) and ``entities`` is their table.
    """
    builder = GraphBuilder(keep_records=False)
    builder.entities = entities
    node_of, entity_nodes = entities.node_of(), entities.nodes()
    extractor_prefix = node_iri("extractor/", base_iri)
    result = StreamedGraph()
    papers: Counter[str] = Counter()
    extractor_lines: set[str] = set()
    with records_path.open("w", encoding="utf-8", newline="\n") as records_file, \
            links_path.open("w", encoding="utf-8", newline="\n") as links_file, \
            ShardedWriter(triples_dir, "graph", ".nt", shard_bytes) as triples:
        for record in records:
            started = time.perf_counter()
            records_file.write(record_line(builder.resolve(record)) + "\n")
            graph = paper_graph(record, node_of, entity_nodes)
            if report is not None:
                report.add_paper(graph, paper_node_id(record.paper.id))
            result.seconds["records+graph"] += time.perf_counter() - started
            started = time.perf_counter()
            shared = set()
            links = []
            for node_id, data in graph.nodes(data=True):
                if data["type"] in _SHARED_TYPES:
                    shared.add(node_iri(node_id, base_iri))
                    papers[node_id] += 1
                    result.entities.setdefault(node_id, data)
                else:
                    result.nodes[data["type"]] += 1
            for source, target, relation, data in graph.edges(keys=True, data=True):
                result.edges[relation] += 1
                if graph.nodes[source]["type"] == schema.PAPER and target in entity_nodes:
                    links.append((target, data["confidence"]))
            links_file.write(json.dumps(sorted(links), separators=(",", ":")) + "\n")
            lines = []
            for triple in graph_to_triples(graph, base_iri):
                subject = triple.subject.value
                if subject in shared:
                    continue
                if subject.startswith(extractor_prefix):
                    extractor_lines.add(f"{triple} .\n")
                else:
                    lines.append(f"{triple} .\n")
            triples.write("".join(lines))
            result.seconds["nt"] += time.perf_counter() - started
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
    result.ntriples = triples.paths
    return result


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
