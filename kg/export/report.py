"""Write the offline report: what a corpus holds, read at a glance, in one HTML file.

Format
------
``report.html`` is one self-contained page (no script, no request: its Content-Security-Policy
forbids both) rendered from the Jinja2 templates in ``report_templates/``: corpus counts, the
top methods, datasets, tasks and metrics by papers, inline-SVG charts (papers per year, the
most used datasets), a results table per dataset and metric, and the papers with code.  Every
entity and paper links to ``graph.html#focus=<node id>``, the graph page focused on it.

The report is filled paper by paper (``ReportCollector``), so an in-memory build and a
streamed one (``kg.build.writers``) write the same report.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import networkx as nx

from kg.export.html import one_line, safe_url
from kg.graph import schema

__all__ = [
    "EntityCount",
    "PaperCode",
    "ReportCollector",
    "ReportData",
    "ResultRow",
    "generate_report",
    "report_data",
    "results_table",
    "write_report",
]

TOP_ENTITIES = 15
CHART_DATASETS = 10
TABLE_DATASETS = 20
TABLE_ROWS = 12
# Rows kept per (dataset, metric) while collecting: bounds memory on streamed corpora.
_ROWS_KEPT = 50
PAPERS_WITH_CODE = 200
_TITLE_LENGTH = 90
_GRAPH_PAGE = "graph.html"


@dataclass(frozen=True)
class EntityCount:
    """An entity (or repository) and its number of papers."""

    id: str
    name: str
    type: str
    papers: int


@dataclass(frozen=True)
class ResultRow:
    """One reported number: value of a method (if known) on a dataset for a metric (if known)."""

    dataset: str
    metric: str | None
    method: str | None
    value: float
    text: str
    paper: str
    title: str


@dataclass(frozen=True)
class PaperCode:
    """A paper and its code repositories (their URLs)."""

    paper: str
    title: str
    year: int | None
    repositories: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows; ``names`` maps node ids to display names."""

    counts: dict[str, int]
    top: dict[str, list[EntityCount]]
    years: list[tuple[int, int]]
    rows: dict[tuple[str, str | None], list[ResultRow]]
    rows_left_out: int
    code: list[PaperCode]
    names: dict[str, str]
    papers_in_graph: bool = True
    directions: dict[str, str] = field(default_factory=dict)


@dataclass
class ReportCollector:
    """Fills a ``ReportData`` one paper at a time.

    ``add_paper(graph, paper)`` reads the paper node and what its edges reach (the whole
    graph, or the one-paper graph of a streamed build); ``add_entity`` gives the entities
    and repositories with their final ``papers`` counts.

    >>> collector = ReportCollector()
    >>> collector.report().counts["Papers"]
    0
    """

    papers_in_graph: bool = True
    papers: int = 0
    results: int = 0
    years: Counter[int] = field(default_factory=Counter)
    rows: dict[tuple[str, str | None], list[ResultRow]] = field(default_factory=lambda: defaultdict(list))
    rows_left_out: int = 0
    code: list[PaperCode] = field(default_factory=list)
    code_total: int = 0
    entities: dict[str, EntityCount] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    directions: dict[str, str] = field(default_factory=dict)

    def add_paper(self, graph: nx.MultiDiGraph, paper: str) -> None:
        data = graph.nodes[paper]
        title = one_line(data.get("title") or data.get("name") or paper)
        self.papers += 1
        if data.get("year"):
            self.years[int(data["year"])] += 1
        repositories = []
        for _, target, relation in sorted(graph.out_edges(paper, data="relation")):
            target_data = graph.nodes[target]
            if relation == schema.HAS_CODE and safe_url(target_data.get("url")):
                repositories.append(target_data["url"])
            elif relation == schema.REPORTS_RESULT:
                self.results += 1
                self._add_result(graph, target_data, paper, title)
        if repositories:
            self.code_total += 1
            if len(self.code) < PAPERS_WITH_CODE:
                self.code.append(PaperCode(paper, title, data.get("year"), tuple(repositories)))

    def _add_result(self, graph: nx.MultiDiGraph, result: dict, paper: str, title: str) -> None:
        # A relative claim ("+1.3%", "2.4x faster") is not a score to rank.
        if not result.get("dataset") or result.get("kind") == "relative":
            return
        if result.get("metric"):
            self.directions.setdefault(result["metric"],
                                       str(graph.nodes[result["metric"]].get("direction") or "unknown"))
        for end in (result.get("dataset"), result.get("metric"), result.get("method")):
            if end:
                self.names.setdefault(end, one_line(graph.nodes[end].get("name") or end))
        rows = self.rows[result["dataset"], result.get("metric")]
        if len(rows) >= _ROWS_KEPT:
            self.rows_left_out += 1
            return
        rows.append(ResultRow(result["dataset"], result.get("metric"), result.get("method"),
                              float(result["value"]), str(result.get("text") or result["value"]), paper, title))

    def add_entity(self, node: str, data: Mapping[str, object]) -> None:
        if data["type"] in (*schema.ENTITY_NODE_TYPES, schema.REPOSITORY):
            name = one_line(str(data.get("name") or node))
            self.entities[node] = EntityCount(node, name, str(data["type"]), int(data.get("papers") or 0))  # type: ignore[call-overload]
            self.names[node] = name

    def report(self) -> ReportData:
        by_type: dict[str, list[EntityCount]] = defaultdict(list)
        for entity in self.entities.values():
            by_type[entity.type].append(entity)
        for entities in by_type.values():
            entities.sort(key=lambda e: (-e.papers, e.name.casefold(), e.id))
        counts = {"Papers": self.papers}
        counts.update({f"{kind}s": len(by_type[kind]) for kind in schema.ENTITY_NODE_TYPES})
        counts.update({"Results": self.results, "Repositories": len(by_type[schema.REPOSITORY]),
                       "Papers with code": self.code_total})
        return ReportData(
            counts=counts,
            top={kind: by_type[kind] for kind in (*schema.ENTITY_NODE_TYPES, schema.REPOSITORY)},
            years=sorted(self.years.items()),
            rows=dict(self.rows),
            rows_left_out=self.rows_left_out,
            code=list(self.code),
            names=dict(self.names),
            papers_in_graph=self.papers_in_graph,
            directions=dict(self.directions),
        )


def report_data(graph: nx.MultiDiGraph) -> ReportData:
    """The report of a whole in-memory graph."""
    collector = ReportCollector()
    for node, data in sorted(graph.nodes(data=True)):
        if data["type"] == schema.PAPER:
            collector.add_paper(graph, node)
        else:
            collector.add_entity(node, data)
    return collector.report()


def results_table(data: ReportData) -> list[tuple[EntityCount, list[tuple[str | None, list[ResultRow]]]]]:
    """The leaderboards: results grouped by dataset (the ``TABLE_DATASETS`` in most papers)
    and metric, each metric's rows best first by the metric's direction (lowest first for a
    lower-is-better metric such as FID or error), at most ``TABLE_ROWS``; relative claims are
    not collected."""
    datasets = {entity.id: entity for entity in data.top.get(schema.DATASET, [])}
    by_dataset: dict[str, list[tuple[str | None, list[ResultRow]]]] = defaultdict(list)
    for (dataset, metric), rows in data.rows.items():
        sign = 1.0 if data.directions.get(metric or "") == "lower" else -1.0
        ranked = sorted(rows, key=lambda r: (sign * r.value, r.paper, r.text))[:TABLE_ROWS]
        by_dataset[dataset].append((metric, ranked))
    chosen = sorted(by_dataset, key=lambda d: (-(datasets[d].papers if d in datasets else 0), d))
    table = []
    for dataset in chosen[:TABLE_DATASETS]:
        entity = datasets.get(dataset) or EntityCount(dataset, data.names.get(dataset, dataset), schema.DATASET, 0)
        metrics = sorted(by_dataset[dataset], key=lambda item: (-len(item[1]), data.names.get(item[0] or "", "~")))
        table.append((entity, metrics))
    return table


def generate_report(source: nx.MultiDiGraph | ReportData) -> str:
    """The report's HTML, from a graph or from the ``ReportData`` a streamed build collected."""
    import jinja2  # only builds that write the report need it

    data = source if isinstance(source, ReportData) else report_data(source)
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.export", "report_templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["focus"] = _focus_link
    environment.filters["short"] = _short
    template = environment.get_template("report.html.j2")
    datasets = data.top.get(schema.DATASET, [])[:CHART_DATASETS]
    return template.render(
        data=data,
        top={kind: data.top.get(kind, [])[:TOP_ENTITIES] for kind in schema.ENTITY_NODE_TYPES},
        years_chart=_column_chart(data.years),
        datasets_chart=_bar_chart([(d, d.papers) for d in datasets]),
        results=results_table(data),
        code_shown=len(data.code),
    )


def write_report(source: nx.MultiDiGraph | ReportData, path: str | Path) -> Path:
    """Write ``report.html`` of ``source`` (a graph, or a streamed build's ``ReportData``).

    >>> write_report(graph, "outputs/report.html")   # doctest: +SKIP
    """
    target = Path(path)
    target.write_text(generate_report(source), encoding="utf-8")
    return target


# -- charts: geometry here, drawing in the template -------------------------------------------

@dataclass(frozen=True)
class Bar:
    """One bar of an inline SVG chart, in the chart's pixel coordinates."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    href: str | None = None


def _column_chart(values: Iterable[tuple[int, int]], height: float = 120.0, width: float = 28.0) -> list[Bar]:
    """Vertical bars, one per (year, papers), scaled to ``height``."""
    items = list(values)
    top = max((count for _, count in items), default=0) or 1
    return [Bar(str(year), count, index * (width + 6), height - height * count / top,
                width, height * count / top) for index, (year, count) in enumerate(items)]


def _bar_chart(values: Iterable[tuple[EntityCount, int]], width: float = 320.0, height: float = 18.0) -> list[Bar]:
    """Horizontal bars, one per (entity, papers), scaled to ``width``."""
    items = list(values)
    top = max((count for _, count in items), default=0) or 1
    return [Bar(entity.name, count, 0.0, index * (height + 6), width * count / top, height, _focus_link(entity.id))
            for index, (entity, count) in enumerate(items)]


def _focus_link(node: str) -> str:
    """The graph page focused on ``node``."""
    return f"{_GRAPH_PAGE}#focus={quote(node, safe='')}"


def _short(text: str, length: int = _TITLE_LENGTH) -> str:
    """``text`` cut to ``length`` characters with an ellipsis (the template shows the whole
    text on hover)."""
    return text if len(text) <= length else text[: length - 1] + "\u2026"
