"""The whole path as library calls: files -> papers -> records -> graph -> files.

The CLI is a thin shell over ``extract_records`` and ``build``; each stage they chain can
also be called on its own (``kg.io.read_corpus``, ``kg.extract.extract``,
``kg.normalize.normalize``, ``kg.graph.build_graph``, ``kg.export.*``).
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.export import DEFAULT_FORMATS, EXPORTERS
from kg.export.records import write_records
from kg.graph import GraphBuilder
from kg.graph import schema
from kg.io import ReadStats, read_corpus
from kg.normalize import normalize
from kg.records import Paper, PaperRecord

ProgressCallback = Callable[[int], None]


@dataclass
class BuildSummary:
    """What a build read, found and wrote, for the summary the CLI prints."""

    read: ReadStats = field(default_factory=ReadStats)
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def papers(self) -> int:
        return self.nodes.get(schema.PAPER, 0)

    def lines(self) -> list[str]:
        """The summary as lines of text."""
        read = self.read
        total = sum(self.seconds.values())
        rate = self.papers / total if total else 0.0
        out = [
            f"papers: {self.papers} from {read.files} file(s)"
            f" ({read.duplicates} duplicate(s) merged, {read.skipped} bad record(s) skipped)",
            "nodes: " + ", ".join(f"{t} {self.nodes.get(t, 0)}" for t in schema.NODE_TYPES),
            "edges: " + ", ".join(f"{r} {self.edges.get(r, 0)}" for r in schema.RELATIONS),
            "time: " + ", ".join(f"{stage} {s:.2f}s" for stage, s in self.seconds.items())
            + f" ({rate:.1f} papers/s)",
        ]
        out.extend(read.problems)
        out.extend(self.notes)
        out.extend(f"wrote {path}" for path in self.files)
        return out


def extract_records(
    papers: Iterable[Paper],
    *,
    model: str | Path | None = "auto",
    batch_size: int = 64,
    progress: ProgressCallback | None = None,
) -> Iterator[PaperRecord]:
    """Run extraction and normalisation over ``papers``, one ``PaperRecord`` per paper."""
    from kg.extract import extract, load_pipeline

    nlp = load_pipeline(model=model)
    for paper_mentions in extract(papers, nlp=nlp, batch_size=batch_size):
        if progress is not None:
            progress(1)
        yield normalize(paper_mentions)


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    input_format: str | None = None,
    skip_bad: bool = False,
    formats: Sequence[str] = DEFAULT_FORMATS,
    model: str | Path | None = "auto",
    batch_size: int = 64,
    export_options: dict[str, dict[str, object]] | None = None,
    progress: ProgressCallback | None = None,
) -> BuildSummary:
    """Read ``inputs``, extract, build the graph and write ``papers.jsonl`` + ``formats``.

    Returns a ``BuildSummary``; raises ``kg.errors.KGError`` subclasses on bad input.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = BuildSummary()
    builder = GraphBuilder()
    records: list[PaperRecord] = []

    started = time.perf_counter()
    papers = read_corpus(inputs, input_format, skip_bad=skip_bad, stats=summary.read)
    for record in extract_records(papers, model=model, batch_size=batch_size, progress=progress):
        builder.add(record)
        records.append(record)
    summary.seconds["read+extract"] = time.perf_counter() - started

    started = time.perf_counter()
    graph = builder.graph()
    summary.seconds["graph"] = time.perf_counter() - started
    summary.nodes, summary.edges = graph_counts(graph)

    started = time.perf_counter()
    records_path = out / "papers.jsonl"
    write_records((builder.resolve(r) for r in records), records_path)
    summary.files.append(records_path)
    summary.seconds["records"] = time.perf_counter() - started

    for name in formats:
        started = time.perf_counter()
        exporter = EXPORTERS[name]
        options = (export_options or {}).get(name, {})
        summary.files.append(exporter.write(graph, out, **options))
        summary.seconds[name] = time.perf_counter() - started
    return summary


def graph_counts(graph: nx.MultiDiGraph) -> tuple[Counter[str], Counter[str]]:
    """(nodes per type, edges per relation) of a graph."""
    nodes = Counter(data["type"] for _, data in graph.nodes(data=True))
    edges = Counter(key for _, _, key in graph.edges(keys=True))
    return nodes, edges
