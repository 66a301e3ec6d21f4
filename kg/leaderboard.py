"""Leaderboards: per (task, dataset, metric), the methods' results ranked by the metric's direction.

The ranking is the SPARQL library's ``leaderboard`` query (``schemas/queries/leaderboard.rq``)
run over a build directory (its RDF store, else its ``graph.ttl``/``graph.nt``) or an RDF
file; this module groups its rows into boards, numbers the ranks and formats them.  Only
absolute results of a named method, dataset and metric are ranked: relative claims ("+1.3%",
"2.4x faster") stay in the records and the graph, never on a board.

>>> boards = leaderboards("outputs", dataset="ImageNet", metric="top-1 accuracy")  # doctest: +SKIP
>>> print(format_leaderboards(boards, "md"))                                    # doctest: +SKIP
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.errors import InputError, QueryError
from kg.normalize.metrics import canonical_metric
from kg.query import QueryResult, format_result, load_query, run_query
from kg.build.store import open_rdf_store

__all__ = ["FORMATS", "Board", "Entry", "format_leaderboards", "graph_source", "leaderboards"]

FORMATS = ("table", "csv", "json", "md")
_DIRECTION = {"true": "higher", "false": "lower", None: "unknown"}
_ENTRY_COLUMNS = ("rank", "method", "value", "unit", "setting", "title", "year", "paper",
                  "repository", "sentence", "confidence")
_TABLE_COLUMNS = ("rank", "method", "value", "unit", "setting", "title", "year", "repository")


@dataclass(frozen=True, slots=True)
class Entry:
    """One ranked result: rank 1 is the best; equal values share a rank."""

    rank: int
    method: str
    value: float
    unit: str | None
    setting: str | None
    title: str
    year: int | None
    paper: str
    repository: str | None
    sentence: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Board:
    """The ranked results of one (task, dataset, metric); ``task`` is None for papers that
    name no task, ``direction`` is "higher", "lower" or "unknown" (ranked as higher)."""

    task: str | None
    dataset: str
    metric: str
    direction: str
    entries: tuple[Entry, ...]


def graph_source(path: str | Path) -> Path:
    """What to query for ``path``: an RDF file as it is; for a build directory its RDF store,
    else its ``graph.ttl`` or ``graph.nt``."""
    path = Path(path)
    if not path.is_dir():
        if not path.exists():
            raise InputError("no such build directory or RDF file", str(path))
        return path
    try:
        open_rdf_store(path)
        return path
    except InputError:
        for name in ("graph.ttl", "graph.nt"):
            if (path / name).is_file():
                return path / name
    raise InputError("no RDF here: expected a build directory (store/rdf/, graph.ttl or "
                     "graph.nt) or an RDF file", str(path))


def leaderboards(path: str | Path, *, task: str | None = None, dataset: str | None = None,
                 metric: str | None = None) -> list[Board]:
    """The boards of a build directory or RDF file, narrowed to a task, dataset and metric
    (names or aliases, any case) when given, in the order of the query.

    ``metric`` is read as a metric name is in papers: "top-1" is top-1 accuracy, and
    "ImageNet top-1" also picks the dataset ImageNet when ``dataset`` is not given.
    """
    if metric is not None:
        name = canonical_metric(metric, dataset)
        metric, dataset = name.canonical, dataset or name.dataset
    params = {name: value for name, value in
              (("task", task), ("dataset", dataset), ("metric", metric)) if value is not None}
    result = run_query(graph_source(path), load_query("leaderboard"), params=params)
    return _boards(result)


def _boards(result: QueryResult) -> list[Board]:
    boards: list[Board] = []
    current: list[dict] = []
    key = None
    for row in map(lambda cells: dict(zip(result.columns, cells)), result.rows):
        row_key = (row["task"], row["dataset"], row["metric"])
        if row_key != key and current:
            boards.append(_board(current))
            current = []
        key = row_key
        current.append(row)
    if current:
        boards.append(_board(current))
    return boards


def _board(rows: list[dict]) -> Board:
    first = rows[0]
    direction = _DIRECTION.get(first["higherIsBetter"], "unknown")
    entries = []
    for position, row in enumerate(rows, start=1):
        value = float(row["value"])
        rank = entries[-1].rank if entries and entries[-1].value == value else position
        entries.append(Entry(
            rank=rank, method=row["methodName"], value=value, unit=row["unit"],
            setting=row["setting"], title=row["title"],
            year=int(row["year"]) if row["year"] else None, paper=row["paperId"],
            repository=row["repository"], sentence=row["sentence"],
            confidence=float(row["confidence"]),
        ))
    return Board(first["taskName"] or None, first["datasetName"], first["metricName"], direction,
                 tuple(entries))


# -- output ------------------------------------------------------------------------------

def format_leaderboards(boards: list[Board], fmt: str = "table") -> str:
    """``boards`` as text tables (one per board), one CSV, JSON or Markdown tables."""
    if fmt == "json":
        return json.dumps([{**{k: v for k, v in asdict(board).items() if k != "entries"},
                            "entries": [_plain(entry) for entry in board.entries]}
                           for board in boards], ensure_ascii=False, indent=2)
    if fmt == "csv":
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(("task", "dataset", "metric", "direction", *_ENTRY_COLUMNS))
        for board in boards:
            for entry in board.entries:
                writer.writerow((board.task or "", board.dataset, board.metric, board.direction,
                                 *("" if v is None else v for v in _cells(entry, _ENTRY_COLUMNS))))
        return output.getvalue()
    if fmt == "table":
        return "\n\n".join(
            f"{_heading(board)}\n" + format_result(QueryResult(
                list(_TABLE_COLUMNS), [_cells(e, _TABLE_COLUMNS) for e in board.entries]), "table")
            for board in boards) or "(no leaderboard)"
    if fmt == "md":
        return "\n\n".join(_markdown(board) for board in boards) or "(no leaderboard)"
    raise QueryError(f"unknown leaderboard format {fmt!r}: expected {', '.join(FORMATS)}")


def _heading(board: Board) -> str:
    better = {"higher": "higher is better", "lower": "lower is better"}.get(
        board.direction, "direction unknown, ranked as higher is better")
    return f"{board.task or '(no task)'} / {board.dataset} / {board.metric} ({better})"


def _markdown(board: Board) -> str:
    lines = [f"**{_heading(board)}**", "",
             "| rank | method | value | unit | setting | paper | year | code |",
             "|---:|---|---:|---|---|---|---:|---|"]
    for entry in board.entries:
        cells = _cells(entry, _TABLE_COLUMNS)
        lines.append("| " + " | ".join((cell or "").replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def _cells(entry: Entry, columns: tuple[str, ...]) -> tuple[str | None, ...]:
    plain = _plain(entry)
    return tuple(None if plain[c] is None else _text(plain[c]) for c in columns)


def _plain(entry: Entry) -> dict:
    data = asdict(entry)
    data["value"] = int(entry.value) if entry.value.is_integer() else entry.value
    return data


def _text(value: object) -> str:
    return format(value, "g") if isinstance(value, float) else str(value)
