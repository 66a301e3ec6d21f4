"""The plan of a build: files -> papers -> records -> graph -> files, stage by stage.

The CLI is a thin shell over ``extract_lines``/``extract_records`` and ``build``; each stage
they chain can also be called on its own (``kg.io.read_corpus``, ``kg.extract.extract``,
``kg.normalize.normalize``, ``kg.graph.build_graph``, ``kg.export.*``).

The stages whose work grows with the corpus are the pure functions of ``kg.build.stages``,
run by an engine (``kg.build.engines``): in this process, in long-lived worker processes
(``workers > 1``) or on a Dask cluster (``engine="dask"``).  A new build reads and extracts
parts of the corpus there (``kg.io.CorpusParts``: ranges of lines of JSON Lines files,
which the workers read, or papers read here), which come back in input order; the client
then drops the repeats (``kg.io.Repeats``), so every engine writes the same bytes: papers
in input order, the first paper of a repeated id wins.  An update reads here, leaving out
before extraction the papers the build holds.  The chunks' entity tables are merged into
the global one by a tree reduction on the same engine.

``build`` keeps its state in ``OUT/store/`` (``kg.build.store``): the records as extracted
and the entity table, the only thing that grows with the corpus besides the files written.
Graphs of at most ``STREAM_THRESHOLD`` papers are built in memory and exported exactly;
larger ones are streamed (``kg.build.writers``): records, N-Triples and Turtle by partitions
of papers on the engine, and the whole-graph views drawn from an aggregated entity graph.
"""
from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from kg.build.clock import StageClock
from kg.build.engines import Engine, open_engine
from kg.build.lock import DirectoryLock
from kg.build.outdir import BuildDirectory
from kg.build.stages import (
    ExtractedChunk,
    chunks,
    extract_chunk,
    extract_part,
    merge_tables,
    partition_files,
    part_link_pairs,
    partition_outputs,
    records_table,
    shared_files,
    shared_outputs,
    warm_pipeline,
)
from kg.build.store import STORE_DIRNAME, BuildStore, RdfLoader
from kg.build.writers import (
    SHARD_BYTES,
    SHARED_PIECE,
    Broadcast,
    Partition,
    StreamedGraph,
    aggregated_graph,
    kept_entities,
    merge_pairs,
    pairs_graph,
    write_streamed,
)
from kg.errors import InputError
from kg.export import DEFAULT_FORMATS, EXPORTERS, Written
from kg.export.iri import DEFAULT_BASE_IRI
from kg.export.records import write_records
from kg.export.report import ReportCollector
from kg.graph import GraphBuilder, schema
from kg.io import CorpusParts, EmptyInputError, ReadStats, Repeats, read_corpus
from kg.io.hygiene import MAX_TEXT_LENGTH
from kg.records import Paper, PaperRecord

ProgressCallback = Callable[[int], None]
Item = TypeVar("Item")

# Papers per chunk sent to a worker: large enough that shipping it costs little.
CHUNK_SIZE = 256
# Builds of more papers than this are streamed (see the module docstring).
STREAM_THRESHOLD = 5_000  # in-memory graphs of 10k abstracts already take ~2 GB
# Chunks per partition of a streamed build's second pass (one task on the engine each).
PARTITION_CHUNKS = 2
_RDF_FORMATS = ("ttl", "nt", "jsonld")


@dataclass
class BuildSummary:
    """What a build read, found and wrote, for the summary the CLI prints.

    ``seconds`` is wall-clock time per stage in this process, ``cpu`` the CPU time of its
    thread in that stage (what the stage costs the client with a core of its own: for a
    stage on the engine, what feeding the workers and taking their results cost it);
    ``worker_seconds`` sums the CPU time workers spent in their stages; ``where`` says where a stage ran
    ("client" or "workers", see ``kg.build.engines.Engine.where``), "client" when not named.
    ``background`` is the wall time of work a thread of this process did beside the other
    stages (the RDF store load of a streamed build); its entry in ``seconds`` is only
    what was left to wait for when the rest was done.
    """

    read: ReadStats = field(default_factory=ReadStats)
    known: int = 0
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    worker_seconds: Counter[str] = field(default_factory=Counter)
    where: dict[str, str] = field(default_factory=dict)
    background: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def papers(self) -> int:
        return self.nodes.get(schema.PAPER, 0)

    def timed(self, clock: StageClock, *stages: str) -> None:
        """Take the wall and CPU times of ``stages`` (in this order) from ``clock``."""
        for stage in stages:
            self.seconds[stage] = clock.seconds[stage]
            self.cpu[stage] = clock.cpu[stage]

    def add(self, written: Written) -> None:
        """Record a file an exporter wrote, and its note."""
        self.files.append(written.path)
        if written.note:
            self.notes.append(written.note)

    def lines(self) -> list[str]:
        """The summary as lines of text."""
        read = self.read
        total = sum(self.seconds.values())
        rate = read.papers / total if total else 0.0
        known = f", {self.known} already in the store" if self.known else ""
        out = [
            f"papers: {self.papers} from {read.files} file(s)"
            f" ({read.duplicates} duplicate(s) merged, {read.skipped} bad record(s) skipped{known})",
            "nodes: " + ", ".join(f"{t} {self.nodes.get(t, 0)}" for t in schema.NODE_TYPES),
            "edges: " + ", ".join(f"{r} {self.edges.get(r, 0)}" for r in schema.RELATIONS),
            "time: " + ", ".join(f"{stage} {s:.2f}s" for stage, s in self.seconds.items())
            + f" ({rate:.1f} papers read/s)",
        ]
        if self.worker_seconds:
            out.append("worker CPU time: " + ", ".join(
                f"{stage} {s:.2f}s" for stage, s in sorted(self.worker_seconds.items())))
        out.extend(read.problems)
        out.extend(read.warnings)
        out.extend(self.notes)
        out.extend(f"wrote {path}" for path in self.files)
        return out


def extracted_chunks(
    papers: Iterable[Paper],
    *,
    model: str | Path | None = "auto",
    batch_size: int = 64,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    min_confidence: float | None = None,
) -> Iterator[ExtractedChunk]:
    """``extract_chunk`` over chunks of ``papers``, on the chosen engine, in input order.

    ``engine``, ``workers`` and ``scheduler`` choose the engine (``kg.build.engines.open_engine``).
    """
    with open_engine(engine, workers=workers, scheduler=scheduler,
                     warm=partial(warm_pipeline, model)) as running:
        yield from running.map(extract_chunk, chunks(papers, chunk_size), model, batch_size,
                               min_confidence)


def extract_lines(papers: Iterable[Paper], *, progress: ProgressCallback | None = None,
                  **engine: Any) -> Iterator[str]:
    """Records of ``papers`` as JSON lines (what ``kg extract`` writes), in input order.

    ``engine`` takes the keyword arguments of ``extracted_chunks``.
    """
    for chunk in extracted_chunks(papers, **engine):
        yield from chunk.lines
        if progress is not None:
            progress(len(chunk.lines))


def extract_records(papers: Iterable[Paper], *, progress: ProgressCallback | None = None,
                    **engine: Any) -> Iterator[PaperRecord]:
    """Run extraction and normalisation over ``papers``, one ``PaperRecord`` per paper."""
    for line in extract_lines(papers, progress=progress, **engine):
        yield PaperRecord.from_dict(json.loads(line))


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    input_format: str | None = None,
    skip_bad: bool = False,
    formats: Sequence[str] | None = None,
    model: str | Path | None = "auto",
    batch_size: int = 64,
    export_options: dict[str, dict[str, Any]] | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    update: bool = False,
    stream: bool | None = None,
    shard_bytes: int | None = None,
    rdf_store: bool | None = None,
    min_confidence: float | None = None,
    force: bool = False,
    max_text_length: int = MAX_TEXT_LENGTH,
    allow_empty: bool = False,
) -> BuildSummary:
    """Read ``inputs``, extract, build the graph and write ``papers.jsonl`` + ``formats``.

    ``workers``, ``engine``, ``scheduler`` and ``chunk_size`` choose where extraction runs
    (see ``extracted_chunks``); the outputs are the same bytes on every engine.  With
    ``update`` the papers are added to the build already in ``out_dir`` (papers whose id it
    holds are not extracted again), and ``formats``/``export_options`` default to that
    build's.  ``stream`` forces (True) or forbids (False) the streamed outputs; None streams
    above ``STREAM_THRESHOLD`` papers.  ``shard_bytes`` caps the size of one N-Triples file
    of a streamed build.  ``rdf_store`` False skips loading the triples into the store's
    Oxigraph database (``kg query`` then reads an export); None keeps the build's choice
    (True for a new build).  ``min_confidence`` keeps only entities at least that confident
    (default: the node-worthiness model's threshold).  ``max_text_length`` caps titles and
    abstracts (``kg.io``).  Inputs with no paper raise ``kg.io.EmptyInputError`` unless
    ``allow_empty``.

    The outputs are written into a staging directory and switched into ``out_dir`` when all
    are written, under a lock (``kg.build.outdir``): a failed or killed build leaves the earlier
    one whole.  ``out_dir`` must be empty or an earlier build unless ``force``.

    Returns a ``BuildSummary``; raises ``kg.errors.KGError`` subclasses on bad input.
    """
    summary = BuildSummary()
    with BuildDirectory(out_dir, inputs=[Path(p) for p in inputs], update=update,
                        force=force) as target:
        summary.notes.extend(target.notes)
        staged = target.staging
        store = (BuildStore.open_copy(target.out / STORE_DIRNAME, staged / STORE_DIRNAME) if update
                 else BuildStore.create(staged / STORE_DIRNAME))
        try:
            settings = store.settings()
            chosen = tuple(formats if formats is not None else settings.get("formats", DEFAULT_FORMATS))
            options = export_options if export_options is not None else settings.get("export_options", {})
            load_rdf = rdf_store if rdf_store is not None else settings.get("rdf_store", True)
            ids = _BuildIds(store)
            with open_engine(engine, workers=workers, scheduler=scheduler,
                             warm=partial(warm_pipeline, model)) as running:
                if len(store):  # an update: the papers the store holds are not extracted again
                    papers = read_corpus(inputs, input_format, skip_bad=skip_bad, stats=summary.read, seen=ids,
                                         seen_texts=store.texts, max_text_length=max_text_length,
                                         allow_empty=allow_empty)
                    _extract_into(store, ids, papers, summary, progress, running, model=model,
                                  batch_size=batch_size, chunk_size=chunk_size, min_confidence=min_confidence)
                else:
                    # Workers that see this machine's files read the JSON Lines files themselves.
                    corpus = CorpusParts(inputs, input_format, size=chunk_size, skip_bad=skip_bad,
                                         max_text_length=max_text_length, split=running.shares_files)
                    _extract_parts_into(store, ids, corpus, summary, progress, running, model=model,
                                        batch_size=batch_size, min_confidence=min_confidence, skip_bad=skip_bad,
                                        max_text_length=max_text_length, allow_empty=allow_empty)
                store.commit({"formats": list(chosen), "export_options": options, "rdf_store": load_rdf})
                streamed = stream if stream is not None else len(store) > STREAM_THRESHOLD
                if streamed:
                    # Workers on this machine write the partitions' texts into part files here.
                    on_disk = running.where == "workers" and running.shares_files
                    part_files = store.directory / "parts" if on_disk else None
                    try:
                        # The RDF store is loaded in a thread while the partitions are written.
                        with store.rdf_loader() if load_rdf else nullcontext() as loader:
                            ntriples = _write_streamed(store, running, staged, chosen, options, summary,
                                                       shard_bytes, chunk_size * PARTITION_CHUNKS, loader,
                                                       part_files)
                    finally:
                        if part_files is not None:
                            shutil.rmtree(part_files, ignore_errors=True)
                    if loader is not None:
                        summary.files.append(loader.path)
                        # The client waited for the loader when feeding it and at the end.
                        summary.seconds["rdf-store"] = summary.seconds.get("rdf-store", 0.0) + loader.waited
                        summary.background["rdf-store"] = loader.busy
                else:
                    ntriples = _write_in_memory(store, staged, chosen, options, summary, load_rdf)
            if load_rdf and not streamed:
                clock = StageClock()
                with clock.stage("rdf-store"):
                    summary.files.append(store.load_rdf(ntriples))
                summary.timed(clock, "rdf-store")
            elif not load_rdf:
                store.drop_rdf()
                summary.notes.append("rdf store: not loaded (--no-rdf-store); `kg query` reads an "
                                     "export of this build (graph.ttl or graph.nt) instead")
            _remove_scratch(store.directory, ntriples)
        finally:
            store.close()
        target.commit()
        summary.files = [target.final(path) for path in summary.files]
    return summary


def load_store(out_dir: str | Path) -> Path:
    """Load the RDF store of the build in ``out_dir`` from its N-Triples or Turtle export
    (``kg store OUT``): the separate step of a build made with ``--no-rdf-store``, run when
    and where it suits; later ``--update`` builds then load it again.  Returns its path."""
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError("no such build directory; give the OUT of a `kg build`", str(out))
    with DirectoryLock(out):
        store = BuildStore.open(out / STORE_DIRNAME)
        try:
            path = store.load_rdf_from_exports(out)
            store.commit({**store.settings(), "rdf_store": True})
        finally:
            store.close()
    return path


def graph_counts(graph: nx.MultiDiGraph) -> tuple[Counter[str], Counter[str]]:
    """(nodes per type, edges per relation) of a graph."""
    nodes = Counter(data["type"] for _, data in graph.nodes(data=True))
    edges = Counter(key for _, _, key in graph.edges(keys=True))
    return nodes, edges


# -- the stages of build -------------------------------------------------------------------

class _BuildIds:
    """The ids of the papers this build has read (``kg.io.corpus.PaperIds``), kept in the
    store rather than in memory: those stored since the build began, plus, in memory, those
    read and not stored: the chunks in flight (a bounded set) and, in an update, papers the
    store held before the build."""

    def __init__(self, store: BuildStore) -> None:
        self._store = store
        self._before = store.last_position()
        self._pending: set[str] = set()

    def __contains__(self, paper_id: object) -> bool:
        if paper_id in self._pending:
            return True
        position = self._store.position(paper_id)
        return position is not None and position > self._before

    def add(self, paper_id: str) -> None:
        self._pending.add(paper_id)

    def stored(self, paper_ids: Iterable[str]) -> None:
        """Forget ``paper_ids`` as pending: the store has them now."""
        self._pending.difference_update(paper_ids)


def _extract_into(store: BuildStore, ids: _BuildIds, papers: Iterable[Paper], summary: BuildSummary,
                  progress: ProgressCallback | None, running: Engine, *, model: str | Path | None,
                  batch_size: int, chunk_size: int, min_confidence: float | None) -> None:
    """Extract the papers the store lacks into it on ``running``, and merge their entity
    tables into the store's (a reduction on the engine); time reading, extracting, storing."""
    clock = StageClock()

    def timed_new_papers() -> Iterator[Paper]:
        for paper in clock.timed(papers, "read"):
            if paper.id in store:
                summary.known += 1
            else:
                yield paper

    def stored_tables() -> Iterator[dict[str, dict]]:
        for chunk in running.map(extract_chunk, chunks(timed_new_papers(), chunk_size), model,
                                 batch_size, min_confidence):
            with clock.stage("store"):
                store.add(chunk.ids, chunk.lines)
                ids.stored(chunk.ids)
            summary.worker_seconds.update(chunk.seconds)
            if progress is not None:
                progress(len(chunk.ids))
            yield chunk.entities

    clock.switch("extract")
    table = running.reduce(merge_tables, stored_tables(), {})
    clock.switch("store")
    store.add_entities(table)
    clock.switch(None)
    summary.timed(clock, "read", "extract", "store")
    summary.where.update({"read": "client", "store": "client", "extract": running.where})


def _extract_parts_into(store: BuildStore, ids: _BuildIds, parts: CorpusParts, summary: BuildSummary,
                        progress: ProgressCallback | None, running: Engine, *, model: str | Path | None,
                        batch_size: int, min_confidence: float | None, skip_bad: bool,
                        max_text_length: int, allow_empty: bool) -> None:
    """Read and extract ``parts`` on ``running`` (a new build: the store is empty), keep the
    papers that do not repeat one before them (``kg.io.Repeats``, in input order) in the
    store, and merge their entity tables (a reduction on the engine; a part that had repeats
    has the table of the others made again there)."""
    clock = StageClock()
    repeats = Repeats(ids, store.texts)
    read = 0  # papers read, repeats too

    def stored_tables() -> Iterator[Any]:
        nonlocal read
        # "read": cutting the files that can be cut, reading the others.
        for result in running.map(extract_part, clock.timed(parts, "read"), model, batch_size, min_confidence,
                                  skip_bad, max_text_length):
            chunk = result.chunk
            with clock.stage("store"):
                summary.read.add(result.stats)
                read += len(chunk.ids)
                kept_ids, kept_lines = [], []
                for paper_id, key, line in zip(chunk.ids, result.keys, chunk.lines, strict=True):
                    if repeats.repeated(paper_id, key):
                        summary.read.duplicates += 1
                    else:
                        summary.read.papers += 1
                        kept_ids.append(paper_id)
                        kept_lines.append(line)
                store.add(kept_ids, kept_lines)
                ids.stored(kept_ids)
            summary.worker_seconds.update(chunk.seconds)
            if progress is not None:
                progress(len(chunk.ids))
            yield (chunk.entities if len(kept_ids) == len(chunk.ids)
                   else running.submit(records_table, kept_lines))

    clock.switch("extract")
    table = running.reduce(merge_tables, stored_tables(), {})
    clock.switch(None)
    if not read and not allow_empty:
        raise EmptyInputError(summary.read, parts.files[0] if len(parts.files) == 1 else None)
    with clock.stage("store"):
        store.add_entities(table)
    summary.timed(clock, "read", "extract", "store")
    summary.where.update({"read": "client", "store": "client", "extract": running.where})


def _write_in_memory(store: BuildStore, out: Path, formats: Sequence[str], options: dict[str, dict[str, Any]],
                     summary: BuildSummary, load_rdf: bool) -> list[Path]:
    """The whole graph in memory, every format exact; returns N-Triples for the RDF store
    (none when it is not loaded and ``formats`` do not include nt)."""
    from kg.export.rdf import write_ntriples

    builder = GraphBuilder(keep_records=False)
    builder.entities = store.entities
    clock = StageClock()
    with clock.stage("graph"):
        graph = builder.graph(store.records())
    summary.timed(clock, "graph")
    summary.nodes, summary.edges = graph_counts(graph)

    with clock.stage("records"):
        records_path = out / "papers.jsonl"
        write_records((builder.resolve(r) for r in store.records()), records_path)
        summary.files.append(records_path)
    summary.timed(clock, "records")

    for name in formats:
        with clock.stage(name):
            summary.add(EXPORTERS[name].write(graph, out, **options.get(name, {})))
        summary.timed(clock, name)
    if "nt" in formats:
        return [out / EXPORTERS["nt"].filename]
    if not load_rdf:
        return []
    return [write_ntriples(graph, store.directory / "graph.nt", base_iri=_base_iri(options))]


def _write_streamed(store: BuildStore, running: Engine, out: Path, formats: Sequence[str],
                    options: dict[str, dict[str, Any]], summary: BuildSummary, shard_bytes: int | None,
                    partition_size: int, rdf: RdfLoader | None, parts: Path | None) -> list[Path]:
    """Records, N-Triples and Turtle by partitions on the engine (the merged entity table
    broadcast), written in order by the client, the N-Triples also given to ``rdf``; views
    of the aggregated graph.  With ``parts`` the workers write the partitions' texts into
    part files there, which the client copies into place."""

    base_iri = _base_iri(options)
    links_path = store.directory / "links.jsonl"
    clock = StageClock()
    clock.switch("broadcast")
    entities = store.entities
    if parts is not None:
        parts.mkdir()
    shared = running.broadcast(Broadcast(entities.node_of(), entities.nodes(), base_iri, "report" in formats,
                                         "ttl" in formats, str(parts) if parts is not None else None))
    clock.switch("partitions")
    # The report is filled in the same pass: it is the report of an in-memory build.
    report = ReportCollector(papers_in_graph=False) if "report" in formats else None
    batches = _batches(store.lines(), partition_size)
    partitions = (running.map(partition_files, enumerate(batches), shared) if parts is not None
                  else running.map(partition_outputs, batches, shared))
    worker_seconds: Counter[str] = Counter()

    def counted(results: Iterable[Partition]) -> Iterator[Partition]:
        for part in results:
            worker_seconds.update(part.seconds)
            yield part

    def shared_parts(nodes: list[tuple[str, dict]]) -> Iterator[Partition]:
        """The shared nodes' triples, piece by piece on the engine."""
        pieces = _batches(nodes, SHARED_PIECE)
        if parts is not None:
            return counted(running.map(shared_files, enumerate(pieces), shared))
        return counted(running.map(shared_outputs, pieces, shared))

    streamed = write_streamed(
        counted(partitions), records_path=out / "papers.jsonl",
        triples_dir=out if "nt" in formats else None,
        links_path=links_path, base_iri=base_iri, shard_bytes=shard_bytes or SHARD_BYTES,
        turtle_path=out / EXPORTERS["ttl"].filename if "ttl" in formats else None,
        triples_sink=rdf.add if rdf is not None else None,
        triples_file_sink=rdf.add_file if rdf is not None else None, report=report,
        shared_parts=shared_parts,
    )
    clock.switch(None)
    summary.timed(clock, "broadcast")
    # The partitions' time is what remains of the pass besides the client's writing.
    summary.seconds["partitions"] = clock.seconds["partitions"] - sum(streamed.seconds.values())
    summary.cpu["partitions"] = clock.cpu["partitions"] - sum(streamed.cpu.values())
    summary.where["partitions"] = summary.where["shared"] = running.where
    summary.seconds.update(streamed.seconds)
    summary.cpu.update(streamed.cpu)
    summary.worker_seconds.update(worker_seconds)
    summary.nodes, summary.edges = streamed.nodes, streamed.edges
    summary.files.append(out / "papers.jsonl")
    if "nt" in formats:
        summary.files.extend(streamed.ntriples)
    if "ttl" in formats:
        summary.files.append(out / EXPORTERS["ttl"].filename)
    if "jsonld" in formats:
        summary.notes.append(
            f"jsonld not written: JSON-LD needs the whole graph in memory and this build of "
            f"{len(store)} papers is streamed; use the nt or ttl output (or --no-stream)")
    if report is not None:
        with clock.stage("report"):
            summary.add(EXPORTERS["report"].write(report.report(), out))
        summary.timed(clock, "report")
    views = [name for name in formats if name not in (*_RDF_FORMATS, "report")]
    if views:
        html = dict(options.get("html", {}))
        with clock.stage("aggregate"):
            graph, left_out = _aggregated(running, links_path, streamed, int(html.get("max_nodes", 1000)))
        summary.timed(clock, "aggregate")
        summary.where["aggregate"] = running.where if streamed.links_parts and running.keeps_results else "client"
        summary.notes.append(_aggregate_note(views, graph, left_out, streamed))
        graphs = dict.fromkeys(views, graph)
        if html.get("view") == "method-dataset":
            # The aggregated graph has no papers: its method-dataset view is its Method/Dataset part.
            kept = [n for n, kind in graph.nodes(data="type") if kind in (schema.METHOD, schema.DATASET)]
            graphs["html"] = nx.MultiDiGraph(graph.subgraph(kept))
            options = {**options, "html": {**html, "view": "full"}}
        for name in views:
            with clock.stage(name):
                summary.add(EXPORTERS[name].write(graphs[name], out, **options.get(name, {})))
            summary.timed(clock, name)
    links_path.unlink()
    return streamed.ntriples


def _aggregated(running: Engine, links_path: Path, streamed: StreamedGraph,
                max_nodes: int) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """``kg.build.writers.aggregated_graph`` of the streamed graph: its pairs counted on the
    engine, partition by partition, and merged by a reduction there when the partitions'
    links lie in part files and the engine keeps the partial counts on its workers (Dask);
    counted here from the links (``links_path``, then the part files) when not."""
    if not (streamed.links_parts and running.keeps_results):
        return aggregated_graph([links_path, *streamed.links_parts], streamed.entities, max_nodes)
    kept, left_out = kept_entities(streamed.entities, max_nodes)
    shared = running.broadcast(kept)
    counted = (running.submit(part_link_pairs, str(path), shared) for path in streamed.links_parts)
    pairs = running.reduce(merge_pairs, counted, ({}, {}))
    return pairs_graph(pairs, streamed.entities, kept, max_nodes), left_out


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _aggregate_note(views: list[str], graph: nx.MultiDiGraph, left_out: dict[str, int],
                    streamed: StreamedGraph) -> str:
    """What the aggregated views show and what they leave out, for the summary."""
    repositories = streamed.nodes.get(schema.REPOSITORY, 0)
    entities_left = sum(left_out.values())
    return (
        f"{', '.join(views)}: aggregated graph of the {graph.number_of_nodes()} entities in most papers "
        f"and {graph.number_of_edges()} links between them weighted by papers; left out "
        f"{streamed.nodes.get(schema.PAPER, 0)} papers, {streamed.nodes.get(schema.RESULT, 0)} results, "
        f"{repositories} repositories, {graph.graph.get('links_left_out', 0)} weaker links "
        f"and {entities_left} less frequent entities"
        + (f" ({', '.join(f'{n} {kind}' for kind, n in left_out.items())}); raise --max-nodes to keep more"
           if left_out else "")
    )


def _base_iri(options: dict[str, dict[str, Any]]) -> str:
    """The base IRI the RDF outputs were asked for (they all share one)."""
    for name in _RDF_FORMATS:
        if options.get(name, {}).get("base_iri"):
            return str(options[name]["base_iri"])
    return DEFAULT_BASE_IRI


def _remove_scratch(directory: Path, paths: Iterable[Path]) -> None:
    """Delete the scratch N-Triples written inside the store directory."""
    for path in paths:
        if path.is_relative_to(directory):
            path.unlink()
