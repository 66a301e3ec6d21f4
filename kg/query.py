"""SPARQL over kg exports: the query library in ``schemas/queries`` and a runner for two engines.

>>> from kg.query import load_query, run_query, format_result
>>> result = run_query("outputs/graph.ttl", load_query("methods-on-dataset"),
...                    params={"dataset": "ImageNet"})          # doctest: +SKIP
>>> print(format_result(result, "table"))                      # doctest: +SKIP

Parameters are bound by name: each value is matched (case-insensitively) against the
names, aliases, titles and ids of the graph's resources, through a fixed lookup query to
which the value is passed as an engine binding, never spliced into text.  The matching IRIs
are then bound to the query variable of the same name with a trailing ``VALUES`` clause.

kg's prefixes (``PREFIXES``: kg, schema, dcterms, skos, prov, mls, oa, rdf, rdfs, xsd) are
declared for every query, as SPARQL tools do; a query may declare them again.  A query is
parsed before any graph is read, and a syntax error names the query (its file, or
``query`` for text) with line and column.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
import rdflib

from kg.errors import InputError, QueryError
from kg.export.iri import node_iri
from kg.export.rdf import NAMESPACES, RESOURCE_PREFIXES, SCHEMAS_DIR, to_rdflib

__all__ = ["PREFIXES", "QUERIES_DIR", "QueryInfo", "QueryResult", "format_result", "list_queries",
           "load_query", "read_query", "run_query"]

QUERIES_DIR = SCHEMAS_DIR / "queries"
Engine = Literal["oxigraph", "rdflib"]
# Declared for every query.  One line, so an error's line number is the query's own plus one.
PREFIXES: dict[str, str] = dict(NAMESPACES)
_PROLOGUE = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items()) + "\n"

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
# One paper and its id tell the graph's base IRI (``--base-iri``), hence which IRIs are kg's.
_A_PAPER = f"""
SELECT ?paper ?id WHERE {{ ?paper a <{NAMESPACES['kg']}Paper> ;
                                 <{NAMESPACES['dcterms']}identifier> ?id }} LIMIT 1
"""
_XSD = NAMESPACES["xsd"]
_INTEGER_TYPES = frozenset(_XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))
_DECIMAL_TYPES = frozenset(_XSD + name for name in ("decimal", "double", "float"))
_OXIGRAPH_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.S)

Cell = str | None
# What a cell holds: "resource" (an IRI of kg's graph: a paper, entity, result ...), "iri"
# (any other IRI), "blank", "integer", "decimal", "boolean", "literal"; None when unbound.
Kind = Literal["resource", "iri", "blank", "integer", "decimal", "boolean", "literal"] | None


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

    ``kinds`` parallels ``rows`` with what each cell is (``Kind``), so JSON keeps numbers as
    numbers and tables can leave out kg's resource IRIs; empty when not known.
    ASK answers one column ``ask``; CONSTRUCT and DESCRIBE answer ``subject predicate object``.
    """

    columns: list[str]
    rows: list[tuple[Cell, ...]]
    kinds: list[tuple[Kind, ...]] = field(default_factory=list)


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
    return read_query(name_or_path_or_text)[0]


def read_query(name_or_path_or_text: str) -> tuple[str, str]:
    """(SPARQL text, where it comes from) of a library query name, a query file, or SPARQL
    text itself; "where" is the file's path, or ``query`` for text, to name in errors.

    >>> read_query("SELECT * WHERE { ?s ?p ?o }")
    ('SELECT * WHERE { ?s ?p ?o }', 'query')
    """
    query = name_or_path_or_text
    if re.search(r"[\s{]", query):
        return query, "query"
    path = Path(query)
    library = QUERIES_DIR / f"{query}.rq"
    for candidate in (path, library):
        if candidate.is_file():
            try:
                return candidate.read_text(encoding="utf-8"), str(candidate)
            except (OSError, UnicodeDecodeError) as error:
                raise InputError(f"cannot read the query: {error}", str(candidate)) from None
    names = ", ".join(info.name for info in list_queries())
    raise QueryError(f"unknown query {query!r}: not a file, and the library has: {names}")


# -- running -----------------------------------------------------------------------------

def run_query(
    graph_path: str | Path,
    sparql: str,
    *,
    params: dict[str, str] | None = None,
    engine: Engine = "oxigraph",
    source: str = "query",
) -> QueryResult:
    """Run ``sparql`` over an export (.ttl, .nt, .jsonld) or a pyoxigraph store directory.

    ``params`` maps a query variable name to a name, alias, title or id; the variable is
    bound to every resource that answers to it (case-insensitively).  ``source`` names the
    query in errors (``read_query`` gives it); kg's ``PREFIXES`` need no declaration.
    """
    if engine not in ("oxigraph", "rdflib"):
        raise QueryError(f"unknown engine {engine!r}: expected oxigraph or rdflib")
    params = params or {}
    _check_syntax(sparql, source)
    _check_parameters(sparql, params)
    run = _run_oxigraph if engine == "oxigraph" else _run_rdflib
    data = _load_oxigraph(Path(graph_path)) if engine == "oxigraph" else _load_rdflib(Path(graph_path))
    bound = {name: [row[0] for row in run(data, _LOOKUP, {"key": value}).rows] or [_NO_MATCH]
             for name, value in sorted(params.items())}
    result = run(data, _PROLOGUE + sparql + _values_clause(bound), {})
    return _mark_resources(result, _base_iri(run(data, _A_PAPER, {})))


def _check_syntax(sparql: str, source: str) -> None:
    """Parse ``sparql`` (with kg's prefixes) on an empty store: a syntax error becomes a
    ``QueryError`` naming ``source``, the line and column, and what was wrong, in one line."""
    try:
        ox.Store().query(_PROLOGUE + sparql)
    except SyntaxError as error:
        raise QueryError(_syntax_message(sparql, source, str(error))) from None
    except (ValueError, OSError):
        return  # not a syntax error: the run reports it with the data


def _syntax_message(sparql: str, source: str, message: str) -> str:
    located = _OXIGRAPH_ERROR.match(message)
    if located is None:
        return f"{source}: {' '.join(message.split())}"
    line, column = int(located.group(1)) - 1, int(located.group(2))
    lines = sparql.splitlines() or [""]
    if line < 1:  # in kg's own prologue: cannot happen for well-formed prefixes
        return f"{source}: {' '.join(message.split())}"
    text = lines[line - 1] if line <= len(lines) else ""
    before, after = text[:column - 1], text[column - 1:]
    if "Prefix not found" in located.group(3):
        prefixed = re.search(r"([A-Za-z][\w.-]*)?:[^\s:]*$", before)
        name, start = (prefixed.group(1) or "", prefixed.start() + 1) if prefixed else ("", column)
        return (f"{source}:{line}:{start}: unknown prefix '{name}:' (kg declares "
                f"{', '.join(f'{p}:' for p in PREFIXES)}; add a PREFIX line for others)")
    # The parser stops where the query cannot go on: say what comes before that point.
    expected = " ".join(located.group(3).split()).removeprefix("expected ")
    read = " ".join(" ".join([*lines[:line - 1], before]).split())
    where = "at the end of the query, " if not " ".join([after, *lines[line:]]).strip() else ""
    what = f" (expected {expected})" if len(expected) <= 60 else ""
    return f"{source}:{line}:{column}: syntax error {where}after '{read[-30:]}'{what}"


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
        return _ask_result(bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return _triples_result((t.subject, t.predicate, t.object) for t in answer)
    columns = [variable.value for variable in answer.variables]
    try:
        return _result(columns, ([solution[name] for name in columns] for solution in answer))
    except (ValueError, OSError) as error:
        raise QueryError(f"oxigraph: {error}") from None


def _run_rdflib(graph: rdflib.Graph, sparql: str, bindings: dict[str, str]) -> QueryResult:
    try:
        answer = graph.query(sparql, initBindings={name: rdflib.Literal(value)
                                                   for name, value in bindings.items()})
        if answer.type == "ASK":
            return _ask_result(bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            return _triples_result(answer.graph)
        return _result([str(variable) for variable in answer.vars], answer)
    except Exception as error:  # rdflib raises plain Exception for unknown prefixes and more
        raise QueryError(f"rdflib: {error}") from None


def _ask_result(answer: bool) -> QueryResult:
    return QueryResult(["ask"], [(str(answer).lower(),)], [("boolean",)])


def _triples_result(triples: Iterable[Iterable[object]]) -> QueryResult:
    return _result(["subject", "predicate", "object"], triples, ordered=True)


def _result(columns: list[str], solutions: Iterable[Iterable[object]], *,
            ordered: bool = False) -> QueryResult:
    cells = [tuple(map(_cell, terms)) for terms in solutions]
    if ordered:
        cells.sort(key=lambda row: tuple(text or "" for text, _ in row))
    return QueryResult(columns, [tuple(text for text, _ in row) for row in cells],
                       [tuple(kind for _, kind in row) for row in cells])


def _cell(term: object) -> tuple[Cell, Kind]:
    """A term as text (the IRI, the literal's lexical form, ``_:id`` for a blank node) and
    its kind (``Kind``; "iri" for every IRI, kg's told apart by ``_mark_resources``)."""
    if term is None:
        return None, None
    if isinstance(term, (ox.NamedNode, rdflib.URIRef)):
        return str(term.value if isinstance(term, ox.NamedNode) else term), "iri"
    if isinstance(term, (ox.BlankNode, rdflib.BNode)):
        return f"_:{term.value if isinstance(term, ox.BlankNode) else term}", "blank"
    if isinstance(term, ox.Literal):
        return term.value, _literal_kind(term.datatype.value)
    if isinstance(term, rdflib.Literal):
        return str(term), _literal_kind(str(term.datatype or ""))
    return str(term), "literal"


def _literal_kind(datatype: str) -> Kind:
    if datatype in _INTEGER_TYPES:
        return "integer"
    if datatype in _DECIMAL_TYPES:
        return "decimal"
    return "boolean" if datatype == _XSD + "boolean" else "literal"


def _base_iri(papers: QueryResult) -> str | None:
    """The base of the graph's resource IRIs, from one paper's IRI and id (None: no paper)."""
    for paper, paper_id in papers.rows:
        suffix = node_iri(f"paper/{paper_id}", "")
        if paper is not None and paper.endswith(suffix):
            return paper[:-len(suffix)]
    return None


def _mark_resources(result: QueryResult, base_iri: str | None) -> QueryResult:
    """``result`` with the IRIs of kg's resources (under ``base_iri``) marked "resource"."""
    if base_iri is None:
        return result
    starts = tuple(f"{base_iri}{name}/" for name in RESOURCE_PREFIXES)
    kinds = [tuple("resource" if kind == "iri" and cell is not None and cell.startswith(starts)
                   else kind for cell, kind in zip(row, row_kinds))
             for row, row_kinds in zip(result.rows, result.kinds)]
    return QueryResult(result.columns, result.rows, kinds)


# -- output ------------------------------------------------------------------------------

def format_result(result: QueryResult, fmt: Literal["table", "csv", "json"] = "table", *,
                  iris: bool = True) -> str:
    """``result`` as an aligned text table, CSV (with a header row) or JSON.

    JSON is ``{"columns": [...], "rows": [{column: value}, ...]}`` with numbers and booleans
    as JSON numbers and booleans; unbound cells are empty in the table and CSV and ``null``
    in JSON.  Without ``iris`` the table leaves out the columns that hold only kg's resource
    IRIs (the names and titles beside them say the same), unless that would leave none.
    """
    if fmt == "json":
        kinds = result.kinds or [(None,) * len(result.columns)] * len(result.rows)
        rows = [{column: _json_value(cell, kind) for column, cell, kind in zip(result.columns, row, row_kinds)}
                for row, row_kinds in zip(result.rows, kinds)]
        return json.dumps({"columns": result.columns, "rows": rows}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(["" if cell is None else cell for cell in row] for row in result.rows)
        return output.getvalue()
    if fmt == "table":
        return _table(result if iris else _without_resource_columns(result))
    raise QueryError(f"unknown result format {fmt!r}: expected table, csv or json")


def _json_value(cell: Cell, kind: Kind) -> str | int | float | bool | None:
    """A cell as JSON: integers, decimals and booleans typed, everything else text."""
    if cell is None:
        return None
    try:
        if kind == "integer":
            return int(cell)
        if kind == "decimal" and math.isfinite(number := float(cell)):
            return number
    except ValueError:  # an ill-typed literal ("abc"^^xsd:integer) stays text
        return cell
    if kind == "boolean" and cell in ("true", "false", "1", "0"):
        return cell in ("true", "1")
    return cell


def _without_resource_columns(result: QueryResult) -> QueryResult:
    def resources_only(column: int) -> bool:
        kinds = {row_kinds[column] for row_kinds in result.kinds}
        return "resource" in kinds and kinds <= {"resource", None}

    kept = [i for i in range(len(result.columns)) if not resources_only(i)]
    if not kept or len(kept) == len(result.columns):
        return result
    return QueryResult([result.columns[i] for i in kept],
                       [tuple(row[i] for i in kept) for row in result.rows],
                       [tuple(kinds[i] for i in kept) for kinds in result.kinds])


def _table(result: QueryResult) -> str:
    cells = [[" ".join((cell or "").split()) for cell in row] for row in result.rows]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(result.columns, widths)).rstrip(),
             "  ".join("-" * width for width in widths)]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)
