"""SPARQL over kg exports: the query library in ``schemas/queries`` and a runner for two engines.

>>> from kg.query import load_query, run_query, format_result
>>> result = run_query("outputs/graph.ttl", load_query("methods-on-dataset"),
...                    params={"dataset": "ImageNet"})          # doctest: +SKIP
>>> print(format_result(result, "table"))                      # doctest: +SKIP

Parameters are bound by name: each value is matched (case-insensitively) against the
names, aliases, titles and ids of the graph's resources, through a fixed lookup query to
which the value is passed as an engine binding, never spliced into text.  The matching IRIs
are then bound to the query variable of the same name with a trailing ``VALUES`` clause.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
import rdflib

from kg.errors import InputError, QueryError
from kg.export.rdf import SCHEMAS_DIR, to_rdflib

__all__ = ["QUERIES_DIR", "QueryInfo", "QueryResult", "format_result", "list_queries", "load_query",
           "run_query"]

QUERIES_DIR = SCHEMAS_DIR / "queries"
Engine = Literal["oxigraph", "rdflib"]

_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    ".ttl": (ox.RdfFormat.TURTLE, "turtle"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "nt"),
    ".jsonld": (ox.RdfFormat.JSON_LD, "json-ld"),
}
_PARAMETER_LINE = re.compile(r"#\s*Parameter\s+(\w+)\s*:")
# A parameter value names a resource by any of these, compared after LCASE on both sides.
_LOOKUP = """
SELECT DISTINCT ?node ?key WHERE {
  ?node <http://www.w3.org/2000/01/rdf-schema#label>
      | <http://www.w3.org/2004/02/skos/core#altLabel>
      | <http://purl.org/dc/terms/title>
      | <http://purl.org/dc/terms/identifier> ?label .
  FILTER(LCASE(STR(?label)) = LCASE(?key) || STR(?node) = ?key)
}
"""
# rdflib cannot evaluate an empty VALUES block, so a value that matches nothing is bound to
# an IRI that no export contains: the query then returns no rows on both engines.
_NO_MATCH = "urn:kg:no-match"

Cell = str | None


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """A library query: its name, what it answers, its parameter names and its file."""

    name: str
    description: str
    parameters: tuple[str, ...]
    path: Path


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A SPARQL answer as text: column names and rows (IRIs and literal values; None if unbound).

    ASK answers one column ``ask``; CONSTRUCT and DESCRIBE answer ``subject predicate object``.
    """

    columns: list[str]
    rows: list[tuple[Cell, ...]]


# -- the library -------------------------------------------------------------------------

def list_queries() -> list[QueryInfo]:
    """Every query of ``schemas/queries``, sorted by name."""
    return [_query_info(path) for path in sorted(QUERIES_DIR.glob("*.rq"))]


def _query_info(path: Path) -> QueryInfo:
    header = list(itertools.takewhile(lambda line: line.startswith("#"),
                                      path.read_text(encoding="utf-8").splitlines()))
    parameters = tuple(m.group(1) for m in map(_PARAMETER_LINE.match, header) if m)
    description = " ".join(line.lstrip("# ").strip() for line in header
                           if not _PARAMETER_LINE.match(line))
    return QueryInfo(path.stem, description, parameters, path)


def load_query(name_or_path_or_text: str) -> str:
    """The SPARQL text of a library query name, a query file, or SPARQL text itself.

    >>> "SELECT" in load_query("proposed-methods")
    True
    """
    query = name_or_path_or_text
    if re.search(r"[\s{]", query):
        return query
    path = Path(query)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    library = QUERIES_DIR / f"{query}.rq"
    if library.is_file():
        return library.read_text(encoding="utf-8")
    names = ", ".join(info.name for info in list_queries())
    raise QueryError(f"unknown query {query!r}: not a file, and the library has: {names}")


# -- running -----------------------------------------------------------------------------

def run_query(
    graph_path: str | Path,
    sparql: str,
    *,
    params: dict[str, str] | None = None,
    engine: Engine = "oxigraph",
) -> QueryResult:
    """Run ``sparql`` over an export (.ttl, .nt, .jsonld) or a pyoxigraph store directory.

    ``params`` maps a query variable name to a name, alias, title or id; the variable is
    bound to every resource that answers to it (case-insensitively).
    """
    if engine not in ("oxigraph", "rdflib"):
        raise QueryError(f"unknown engine {engine!r}: expected oxigraph or rdflib")
    params = params or {}
    _check_parameters(sparql, params)
    run = _run_oxigraph if engine == "oxigraph" else _run_rdflib
    data = _load_oxigraph(Path(graph_path)) if engine == "oxigraph" else _load_rdflib(Path(graph_path))
    bound = {name: [row[0] for row in run(data, _LOOKUP, {"key": value}).rows] or [_NO_MATCH]
             for name, value in sorted(params.items())}
    return run(data, sparql + _values_clause(bound), {})


def _check_parameters(sparql: str, params: dict[str, str]) -> None:
    for name in params:
        if not re.fullmatch(r"\w+", name) or not re.search(rf"[?$]{name}\b", sparql):
            declared = [m.group(1) for m in _PARAMETER_LINE.finditer(sparql)]
            raise QueryError(f"the query has no parameter {name!r}; its parameters are: "
                             f"{', '.join(declared) or 'none'}")


def _values_clause(bound: dict[str, list[str]]) -> str:
    """A trailing VALUES clause binding each variable to its IRIs (taken from the data)."""
    if not bound:
        return ""
    names = list(bound)
    rows = itertools.product(*(bound[name] for name in names))
    body = " ".join("(" + " ".join(f"<{iri}>" for iri in row) + ")" for row in rows)
    return f"\nVALUES ({' '.join('?' + name for name in names)}) {{ {body} }}\n"


def _load_oxigraph(path: Path) -> ox.Store:
    if path.is_dir():
        # a build directory, its store/ or any pyoxigraph store directory
        from kg.build.store import open_rdf_store

        try:
            return open_rdf_store(path)
        except OSError as error:
            raise InputError(f"not a pyoxigraph store: {error}", str(path)) from None
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=_format(path)[0])
    except (SyntaxError, ValueError) as error:
        raise InputError(f"cannot read as {_format(path)[1]}: {error}", str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error}", str(path)) from None
    return store


def _load_rdflib(path: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    if path.is_dir():
        for quad in _load_oxigraph(path):
            graph.add(to_rdflib(quad.triple))
        return graph
    fmt = _format(path)[1]
    try:
        graph.parse(str(path), format=fmt)
    except OSError as error:
        raise InputError(f"cannot read: {error}", str(path)) from None
    except Exception as error:  # rdflib's parsers raise many unrelated exception types
        raise InputError(f"cannot read as {fmt}: {error}", str(path)) from None
    return graph


def _format(path: Path) -> tuple[ox.RdfFormat, str]:
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"cannot query this file: expected {', '.join(_FORMATS)} "
                         "or a pyoxigraph store directory", str(path)) from None


def _run_oxigraph(store: ox.Store, sparql: str, bindings: dict[str, str]) -> QueryResult:
    substitutions = {ox.Variable(name): ox.Literal(value) for name, value in bindings.items()}
    try:
        answer = store.query(sparql, substitutions=substitutions)
    except (SyntaxError, ValueError, OSError) as error:
        raise QueryError(f"oxigraph: {error}") from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(["ask"], [(str(bool(answer)).lower(),)])
    if isinstance(answer, ox.QueryTriples):
        return _triples_result((t.subject, t.predicate, t.object) for t in answer)
    columns = [variable.value for variable in answer.variables]
    try:
        rows = [tuple(_cell(solution[name]) for name in columns) for solution in answer]
    except (ValueError, OSError) as error:
        raise QueryError(f"oxigraph: {error}") from None
    return QueryResult(columns, rows)


def _run_rdflib(graph: rdflib.Graph, sparql: str, bindings: dict[str, str]) -> QueryResult:
    try:
        answer = graph.query(sparql, initBindings={name: rdflib.Literal(value)
                                                   for name, value in bindings.items()})
        if answer.type == "ASK":
            return QueryResult(["ask"], [(str(bool(answer.askAnswer)).lower(),)])
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            return _triples_result(answer.graph)
        columns = [str(variable) for variable in answer.vars]
        rows = [tuple(_cell(term) for term in row) for row in answer]
    except Exception as error:  # rdflib raises plain Exception for unknown prefixes and more
        raise QueryError(f"rdflib: {error}") from None
    return QueryResult(columns, rows)


def _triples_result(triples: Iterable[tuple[object, object, object]]) -> QueryResult:
    rows = sorted(tuple(_cell(term) for term in triple) for triple in triples)
    return QueryResult(["subject", "predicate", "object"], rows)


def _cell(term: object) -> Cell:
    """A term as text: the IRI, the literal's lexical form, ``_:id`` for a blank node."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    if isinstance(term, (ox.BlankNode, rdflib.BNode)):
        return f"_:{term.value if isinstance(term, ox.BlankNode) else term}"
    return str(term)


# -- output ------------------------------------------------------------------------------

def format_result(result: QueryResult, fmt: Literal["table", "csv", "json"] = "table") -> str:
    """``result`` as an aligned text table, CSV (with a header row) or JSON.

    JSON is ``{"columns": [...], "rows": [{column: value}, ...]}``; unbound cells are
    empty in the table and CSV and ``null`` in JSON.
    """
    if fmt == "json":
        rows = [dict(zip(result.columns, row)) for row in result.rows]
        return json.dumps({"columns": result.columns, "rows": rows}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(["" if cell is None else cell for cell in row] for row in result.rows)
        return output.getvalue()
    if fmt == "table":
        return _table(result)
    raise QueryError(f"unknown result format {fmt!r}: expected table, csv or json")


def _table(result: QueryResult) -> str:
    cells = [[" ".join((cell or "").split()) for cell in row] for row in result.rows]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(result.columns, widths)).rstrip(),
             "  ".join("-" * width for width in widths)]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)
