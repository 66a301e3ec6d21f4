"""The stages of a build whose work grows with the corpus, as pure functions an engine runs.

Each takes and returns plain, picklable values (dicts, lists, strings), so the same function
runs in this process, in a worker process or on a Dask worker (``kg.build.engines``):

* ``extract_chunk``: papers -> their records and the entity table of those papers;
* ``extract_part``: a part of the corpus (``kg.io.CorpusPart``: lines of a file, which the
  worker reads, or papers) -> the same, with the papers' text keys and what reading saw,
  for the client to find the repeats in input order; ``records_table``: the entity table
  of records (a part's, less its repeats);
* ``merge_tables``: two entity tables -> one; associative and commutative, so any tree of
  merges over the chunks' tables gives the same global table (``Engine.reduce``);
* ``partition_outputs``: records of a partition, with the merged table broadcast -> its
  resolved records, N-Triples, Turtle body and entity links, which the client writes in
  order (``kg.build.writers.write_streamed``);
* ``shared_outputs``: a piece of the shared nodes (entities, repositories, with their paper
  counts) -> their N-Triples and Turtle body, as a partition without papers;
* ``partition_files``, ``shared_files``: the same, the texts written by the worker into
  part files that the client copies into place (workers that share this machine's files);
* ``part_link_pairs``: a partition's entity links (a part file) -> the pairs of the
  aggregated graph's entities its papers link to together, merged by a reduction
  (``kg.build.writers.merge_pairs``).
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.build.writers import SHARED_TYPES, Broadcast, Kept, LinkPairs, Partition, link_pairs, turtle_body
from kg.export.rdf import graph_to_triples, split_triples
from kg.export.records import record_line
from kg.export.report import ReportCollector
from kg.graph import schema
from kg.graph.build import EntityTable, paper_graph, paper_node_id, resolve_record
from kg.io import CorpusPart, ReadStats, read_range
from kg.io.hygiene import MAX_TEXT_LENGTH
from kg.io.ids import text_key
from kg.normalize import normalize
from kg.records import Paper, PaperRecord

__all__ = ["ExtractedChunk", "ReadChunk", "chunks", "extract_chunk", "extract_part", "merge_tables",
           "part_link_pairs", "partition_files", "partition_outputs", "records_table", "shared_files",
           "shared_outputs", "warm_pipeline"]


@dataclass(frozen=True)
class ExtractedChunk:
    """The records of one chunk of papers, ready to cross processes.

    ``lines`` are the records as JSON lines (per-paper entity ids, ``record_line``) in the
    chunk's order, ``entities`` the ``EntityTable.to_dict()`` of these papers, ``seconds``
    the CPU time the worker spent in ``extract`` and ``normalise`` (robust to other load).
    """

    ids: list[str]
    lines: list[str]
    entities: dict[str, dict]
    seconds: dict[str, float]


def warm_pipeline(model: str | Path | None = "auto") -> None:
    """Load (and cache in this process) the extraction pipeline of ``model``."""
    from kg.extract import load_pipeline

    load_pipeline(model=model)


def extract_chunk(papers: list[dict[str, Any]], model: str | Path | None = "auto",
                  batch_size: int = 64, min_confidence: float | None = None) -> ExtractedChunk:
    """Extract and normalise ``papers`` (``Paper.to_dict()`` dicts); runs in any worker.

    Entities below ``min_confidence`` (default: the node-worthiness model's threshold) are
    left out (``kg.normalize.normalize``)."""
    return _extracted((Paper.from_dict(p) for p in papers), model, batch_size, min_confidence)


@dataclass(frozen=True)
class ReadChunk:
    """A part of the corpus read and extracted: ``chunk`` (every paper of the part, repeats
    too), the text key of each paper (``kg.io.ids.text_key``) and what reading saw."""

    chunk: ExtractedChunk
    keys: list[str]
    stats: ReadStats


def extract_part(part: CorpusPart, model: str | Path | None = "auto", batch_size: int = 64,
                 min_confidence: float | None = None, skip_bad: bool = False,
                 max_text_length: int = MAX_TEXT_LENGTH) -> ReadChunk:
    """Read ``part`` (its lines, ``kg.io.read_range``, or its papers) and extract its papers;
    runs in any worker.  ``chunk.seconds["read"]`` is the CPU time of reading and keys."""
    started = time.process_time()
    stats = part.stats
    papers = (list(read_range(part.lines, skip_bad=skip_bad, stats=stats, max_text_length=max_text_length))
              if part.lines is not None else part.papers)
    keys = [text_key(paper.title, paper.abstract) for paper in papers]
    reading = time.process_time() - started
    chunk = _extracted(papers, model, batch_size, min_confidence)
    chunk.seconds["read"] = reading
    return ReadChunk(chunk, keys, stats)


def records_table(lines: list[str]) -> dict[str, dict]:
    """The entity table (``EntityTable.to_dict``) of the records ``lines`` (``record_line``)."""
    table = EntityTable()
    for line in lines:
        for entity in PaperRecord.from_dict(json.loads(line)).entities:
            table.add(entity)
    return table.to_dict()


def _extracted(papers: Iterable[Paper], model: str | Path | None, batch_size: int,
               min_confidence: float | None) -> ExtractedChunk:
    from kg.extract import extract, load_pipeline

    nlp = load_pipeline(model=model)
    table = EntityTable()
    ids, lines = [], []
    normalising = 0.0
    started = time.process_time()
    for mentions in extract(papers, nlp=nlp, batch_size=batch_size):
        begun = time.process_time()
        record = normalize(mentions, min_confidence=min_confidence)
        for entity in record.entities:
            table.add(entity)
        ids.append(record.paper.id)
        lines.append(record_line(record))
        normalising += time.process_time() - begun
    extracting = time.process_time() - started - normalising
    return ExtractedChunk(ids, lines, table.to_dict(),
                          {"extract": extracting, "normalise": normalising})


def merge_tables(first: dict[str, dict], second: dict[str, dict]) -> dict[str, dict]:
    """The entity table (``EntityTable.to_dict``) of the papers of both tables.

    The result is sorted and does not depend on the order of the arguments, nor on how a
    sequence of tables is grouped into merges.
    """
    table = EntityTable.from_dict(first)
    table.update(EntityTable.from_dict(second))
    return table.to_dict()


def chunks(papers: Iterable[Paper], size: int) -> Iterator[list[dict[str, Any]]]:
    """``papers`` as lists of at most ``size`` ``Paper.to_dict()`` dicts, in input order."""
    iterator = iter(papers)
    while chunk := [paper.to_dict() for paper in islice(iterator, size)]:
        yield chunk


def partition_outputs(lines: Iterable[str], shared: Broadcast) -> Partition:
    """The outputs of the records ``lines`` (JSON, per-paper entity ids, as the store holds
    them), paper by paper, and, with ``shared.turtle``, the Turtle body of their own
    triples; any run of partitions written in order by ``write_streamed``
    gives the bytes of one partition of every record.  ``seconds`` are CPU times, as in
    ``extract_chunk``."""
    part = Partition(report=ReportCollector(papers_in_graph=False) if shared.report else None)
    records, links_lines, turtle = [], [], []
    for line in lines:
        started = time.process_time()
        record = PaperRecord.from_dict(json.loads(line))
        records.append(record_line(resolve_record(record, shared.node_of)) + "\n")
        graph = paper_graph(record, shared.node_of, shared.entity_nodes)
        if part.report is not None:
            part.report.add_paper(graph, paper_node_id(record.paper.id))
        part.seconds["records+graph"] += time.process_time() - started
        started = time.process_time()
        shared_nodes = set()
        links = []
        for node_id, data in graph.nodes(data=True):
            if data["type"] in SHARED_TYPES:
                shared_nodes.add(node_id)
                part.papers[node_id] += 1
                part.entities.setdefault(node_id, data)
            else:
                part.nodes[data["type"]] += 1
        for source, target, relation, data in graph.edges(keys=True, data=True):
            part.edges[relation] += 1
            if graph.nodes[source]["type"] == schema.PAPER and target in shared.entity_nodes:
                links.append((target, data["confidence"]))
        links_lines.append(json.dumps(sorted(links), separators=(",", ":")) + "\n")
        # the shared nodes' triples are written once for all papers (shared_outputs)
        own, extractors = split_triples(graph, shared.base_iri, shared_nodes)
        part.extractor_lines.update(f"{triple} .\n" for triple in extractors)
        part.triples.append(ox.serialize(own, None, ox.RdfFormat.N_TRIPLES))
        if shared.turtle:
            turtle.extend(own)
        part.seconds["nt"] += time.process_time() - started
    if shared.turtle:
        started = time.process_time()
        part.turtle = turtle_body(turtle, shared.base_iri)
        part.seconds["ttl"] += time.process_time() - started
    part.records, part.links = "".join(records), "".join(links_lines)
    if part.report is not None:
        part.report.rows = dict(part.report.rows)  # its default factory does not pickle
    return part


def partition_files(item: tuple[int, list[str]], shared: Broadcast) -> Partition:
    """``partition_outputs`` of the records of partition ``item`` (its index, its lines),
    its texts written into part files ``shared.parts_dir/<index>.*`` (``Partition.to_files``)."""
    index, lines = item
    return _to_files(partition_outputs(lines, shared), shared, f"{index:08d}")


def shared_outputs(nodes: list[tuple[str, dict]], shared: Broadcast) -> Partition:
    """The triples of the shared ``nodes`` (node id, attributes with ``papers``), one line
    each, as ``kg.export.rdf.graph_to_triples`` writes them, and with ``shared.turtle`` their
    Turtle body; a partition without papers for ``write_streamed``."""
    started = time.process_time()
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    own = list(graph_to_triples(graph, shared.base_iri))
    part = Partition(triples=[f"{triple} .\n".encode("utf-8") for triple in own])
    if shared.turtle:
        part.turtle = turtle_body(own, shared.base_iri)
    part.seconds["shared"] += time.process_time() - started
    return part


def shared_files(item: tuple[int, list[tuple[str, dict]]], shared: Broadcast) -> Partition:
    """``shared_outputs`` of piece ``item`` (its index, its nodes), its texts in part files."""
    index, nodes = item
    return _to_files(shared_outputs(nodes, shared), shared, f"shared-{index:08d}")


def _to_files(part: Partition, shared: Broadcast, name: str) -> Partition:
    assert shared.parts_dir is not None, "part files need Broadcast.parts_dir"
    started = time.process_time()
    written = part.to_files(Path(shared.parts_dir), name)
    written.seconds["part-files"] += time.process_time() - started
    return written


def part_link_pairs(path: str, kept: Kept) -> LinkPairs:
    """``kg.build.writers.link_pairs`` of the entity-link part file ``path``."""
    with open(path, encoding="utf-8") as handle:
        return link_pairs(handle, kept)
