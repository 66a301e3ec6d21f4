"""Exporters: one module per format, each with ``write_<fmt>(graph, path)``.

``EXPORTERS`` maps the names accepted by ``kg build --formats`` to the writer and the file
(or directory) it writes inside the output directory.  Modules are imported only when their
format is asked for, so a Turtle-only build never imports pyvis.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.errors import ExportError, UsageError


@dataclass(frozen=True)
class Exporter:
    """A graph writer: ``module:function`` writing ``filename`` in the output directory."""

    name: str
    module: str
    function: str
    filename: str
    description: str

    def load(self) -> Callable[..., object]:
        return getattr(importlib.import_module(self.module), self.function)

    def write(self, graph: nx.MultiDiGraph, directory: Path, **options: object) -> Written:
        """Write ``graph`` into ``directory``; the note says what a view left out, if anything."""
        target = directory / self.filename
        try:
            returned = self.load()(graph, target, **options)
        except OSError as error:
            raise ExportError(f"cannot write {target}: {error.strerror or error}") from None
        describe = getattr(returned, "describe", None)
        return Written(target, describe() if callable(describe) else None)


@dataclass(frozen=True)
class Written:
    """A file (or directory) an exporter wrote, and its note for the build summary."""

    path: Path
    note: str | None = None


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("ttl", "kg.export.rdf", "write_turtle", "graph.ttl", "RDF Turtle"),
        Exporter("nt", "kg.export.rdf", "write_ntriples", "graph.nt", "RDF N-Triples"),
        Exporter("jsonld", "kg.export.rdf", "write_jsonld", "graph.jsonld", "JSON-LD"),
        Exporter("html", "kg.export.html", "write_html", "graph.html", "interactive HTML view"),
        Exporter("report", "kg.export.report", "write_report", "report.html", "offline HTML report"),
        Exporter("gexf", "kg.export.gephi", "write_gexf", "graph.gexf", "Gephi GEXF 1.3"),
        Exporter("graphml", "kg.export.gephi", "write_graphml", "graph.graphml", "GraphML"),
        Exporter("neo4j", "kg.export.neo4j", "write_neo4j", "neo4j", "Neo4j import CSVs"),
    )
}
DEFAULT_FORMATS: tuple[str, ...] = ("ttl", "html", "report")


def parse_formats(value: str) -> tuple[str, ...]:
    """``"ttl,html"`` -> ``("ttl", "html")``; ``"all"`` -> every format; unknown names fail."""
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    if names == ["all"]:
        return tuple(EXPORTERS)
    unknown = [n for n in names if n not in EXPORTERS]
    if unknown:
        raise UsageError(
            f"unknown output format {', '.join(unknown)}; choose from {', '.join(EXPORTERS)} or all"
        )
    return tuple(dict.fromkeys(names))
