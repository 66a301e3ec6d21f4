"""RDF export of the kg graph: one mapping (``graph_to_triples``) and Turtle/N-Triples/JSON-LD writers.

Format
------
The vocabulary is ``schemas/kg.ttl`` (prefix ``kg:`` = ``https://w3id.org/kg/ontology#``),
aligned with schema.org, DCTERMS, SKOS, PROV-O, ML Schema (``mls:``) and the Web Annotation
vocabulary (``oa:``).  Every node of the graph becomes a resource ``<base_iri><node id>``
(see ``kg.export.iri.node_iri``).  Every edge becomes

* the direct triple ``<source> kg:<relation> <target>`` (for simple queries), and
* a link annotation ``<base_iri>link/<hash>`` (``kg:Link``, an ``oa:Annotation``) with
  ``kg:subject <source>``, ``kg:relation kg:<relation>``, ``oa:hasBody <target>``,
  ``kg:confidence``, ``prov:wasGeneratedBy <extractor>``, ``prov:wasDerivedFrom <paper>``
  and one ``oa:hasTarget`` per
  evidence: an ``oa:SpecificResource`` whose ``oa:hasSource`` is the paper, with ``kg:field``,
  ``kg:sentence``, an ``oa:TextQuoteSelector`` (``oa:exact``) and an
  ``oa:TextPositionSelector`` (``oa:start``/``oa:end``, offsets into the field).

No blank nodes are written: every resource has a stable IRI, so two exports of the same
graph are equal triple for triple, and query answers are the same on every engine.

>>> from kg.export.rdf import write_turtle
>>> write_turtle(graph, "outputs/graph.ttl")          # doctest: +SKIP
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import rdflib

from kg.errors import ExportError
from kg.export.iri import DEFAULT_BASE_IRI, ONTOLOGY_IRI, check_base_iri, external_iri, node_iri
from kg.graph import schema
from kg.records import Evidence

__all__ = [
    "CONTEXT_PATH",
    "NAMESPACES",
    "RESOURCE_PREFIXES",
    "graph_to_triples",
    "iter_ntriples",
    "prefixes",
    "split_triples",
    "to_rdflib",
    "write_jsonld",
    "write_ntriples",
    "write_turtle",
]

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
CONTEXT_PATH = SCHEMAS_DIR / "context.jsonld"

NAMESPACES: dict[str, str] = {
    "kg": ONTOLOGY_IRI,
    "schema": "http://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "mls": "http://www.w3.org/ns/mls#",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# Resource IRIs under the base, one prefix per kind so Turtle reads ``method:evoprompt``.
RESOURCE_PREFIXES = ("paper", "method", "dataset", "metric", "task", "repo", "result",
                      "link", "evidence", "selector", "extractor")


@lru_cache(maxsize=None)
def _term(prefix: str, local: str) -> ox.NamedNode:
    """The vocabulary term ``prefix:local`` (terms are immutable, so each is made once)."""
    return ox.NamedNode(NAMESPACES[prefix] + local)


RDF_TYPE = _term("rdf", "type")
RDFS_LABEL = _term("rdfs", "label")
XSD_STRING = _term("xsd", "string")
XSD_DECIMAL = _term("xsd", "decimal")
XSD_INTEGER = _term("xsd", "integer")
XSD_DATE = _term("xsd", "date")
XSD_BOOLEAN = _term("xsd", "boolean")
XSD_ANY_URI = _term("xsd", "anyURI")

_NODE_CLASSES: dict[str, tuple[ox.NamedNode, ...]] = {
    schema.PAPER: (_term("kg", "Paper"), _term("schema", "ScholarlyArticle")),
    schema.METHOD: (_term("kg", "Method"), _term("mls", "Algorithm"), _term("schema", "DefinedTerm")),
    schema.DATASET: (_term("kg", "Dataset"), _term("schema", "Dataset"), _term("mls", "Dataset")),
    schema.METRIC: (_term("kg", "Metric"), _term("mls", "EvaluationMeasure"),
                    _term("schema", "DefinedTerm")),
    schema.TASK: (_term("kg", "Task"), _term("mls", "Task"), _term("schema", "DefinedTerm")),
    schema.REPOSITORY: (_term("kg", "Repository"), _term("schema", "SoftwareSourceCode")),
    schema.RESULT: (_term("kg", "Result"), _term("mls", "ModelEvaluation")),
}
_LINK_CLASSES = (_term("kg", "Link"), _term("oa", "Annotation"))
_EVIDENCE_CLASSES = (_term("kg", "Evidence"), _term("oa", "SpecificResource"))


def prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The prefixes used in Turtle output and queries: vocabularies plus resource kinds."""
    check_base_iri(base_iri)
    return {**NAMESPACES, **{name: f"{base_iri}{name}/" for name in RESOURCE_PREFIXES}}


# -- literals ----------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str) -> ox.Literal:
    """A plain string literal; lone surrogates (unencodable in UTF-8) become U+FFFD."""
    return ox.Literal(_SURROGATE.sub("\ufffd", value))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=XSD_INTEGER)


def _decimal(value: float, where: str) -> ox.Literal:
    """``value`` as an ``xsd:decimal`` in canonical form (as stores normalise it: 1.0 -> "1")."""
    if not math.isfinite(value):
        raise ExportError(f"{where}: {value!r} is not a finite number, expected a decimal value")
    number = Decimal(repr(float(value))).normalize()
    return ox.Literal("0" if number == 0 else format(number, "f"), datatype=XSD_DECIMAL)


def _boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=XSD_BOOLEAN)


def _date(value: str) -> ox.Literal:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return _text(value)
    return ox.Literal(value, datatype=XSD_DATE) if len(value) == 10 else _text(value)


def _url(url: str) -> ox.NamedNode | ox.Literal:
    iri = external_iri(url)
    return ox.NamedNode(iri) if iri is not None else ox.Literal(_text(url).value, datatype=XSD_ANY_URI)


# -- the mapping -------------------------------------------------------------------------

def graph_to_triples(graph: nx.MultiDiGraph, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[ox.Triple]:
    """Every RDF triple of ``graph``, in a deterministic order (the one mapping to RDF).

    Nodes come in sorted id order, each followed by its outgoing direct triples; then one
    link annotation per edge, sorted by (source, relation, target); then the extractors.
    An invalid ``base_iri`` raises ``ExportError`` at the call, before any file is opened.
    """
    return _triples(graph, check_base_iri(base_iri))


def _triples(graph: nx.MultiDiGraph, base_iri: str) -> Iterator[ox.Triple]:
    extractors: set[str] = set()
    yield from _resource_triples(graph, base_iri, frozenset(), extractors)
    yield from _extractor_triples(base_iri, extractors)


def split_triples(graph: nx.MultiDiGraph, base_iri: str, skip: Iterable[str] = ()
                  ) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """The triples of ``graph_to_triples`` less those whose subject is a node of ``skip``, in
    the same order, as (the resources' triples, the extractors' triples): a streamed build
    writes the nodes in ``skip`` once for all papers, and each extractor once."""
    extractors: set[str] = set()
    own = list(_resource_triples(graph, check_base_iri(base_iri), frozenset(skip), extractors))
    return own, list(_extractor_triples(base_iri, extractors))


def _resource_triples(graph: nx.MultiDiGraph, base_iri: str, skip: frozenset[str],
                      extractors: set[str]) -> Iterator[ox.Triple]:
    """The triples of the nodes (less ``skip``) and of the links; adds the links' extractors."""
    iri_of = {node: ox.NamedNode(node_iri(node, base_iri)) for node in graph.nodes}
    for node in sorted(graph.nodes):
        if node in skip:
            continue
        yield from _node_triples(iri_of[node], graph.nodes[node], node)
        for _, target, relation in sorted(graph.out_edges(node, keys=True), key=lambda e: (e[2], e[1])):
            yield ox.Triple(iri_of[node], _term("kg", relation), iri_of[target])
    for source, target, relation, data in sorted(
        graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])
    ):
        paper = source if graph.nodes[source]["type"] == schema.PAPER else graph.nodes[source]["paper"]
        yield from _link_triples(base_iri, iri_of, (source, relation, target), data, iri_of[paper])
        extractors.update(e.source for e in data["evidence"] if e.source)
        if data.get("extractor"):
            extractors.add(data["extractor"])


def _extractor_triples(base_iri: str, extractors: Iterable[str]) -> Iterator[ox.Triple]:
    for name in sorted(extractors):
        extractor = _extractor_iri(base_iri, name)
        yield ox.Triple(extractor, RDF_TYPE, _term("kg", "Extractor"))
        yield ox.Triple(extractor, RDFS_LABEL, _text(name))


def _node_triples(subject: ox.NamedNode, data: dict[str, Any], node: str) -> Iterator[ox.Triple]:
    node_type = data["type"]
    for cls in _NODE_CLASSES[node_type]:
        yield ox.Triple(subject, RDF_TYPE, cls)
    yield ox.Triple(subject, RDFS_LABEL, _text(str(data["name"])))
    for predicate, value in _properties(node_type, data, node):
        yield ox.Triple(subject, predicate, value)


def _properties(node_type: str, data: dict[str, Any], node: str) -> Iterator[tuple[ox.NamedNode, Any]]:
    """(predicate, object) pairs of a node's attributes, per node type."""
    if node_type == schema.PAPER:
        yield _term("dcterms", "identifier"), _text(node.removeprefix("paper/"))
        yield _term("dcterms", "title"), _text(data["title"])
        if data.get("abstract"):
            yield _term("dcterms", "abstract"), _text(data["abstract"])
        for author in data.get("authors") or ():
            yield _term("dcterms", "creator"), _text(author)
        if data.get("date"):
            yield _term("dcterms", "date"), _date(data["date"])
        if data.get("year") is not None:
            yield _term("kg", "year"), _integer(data["year"])
        for key, predicate in (("doi", "doi"), ("arxiv_id", "arxivId"), ("source", "sourceFormat")):
            if data.get(key):
                yield _term("kg", predicate), _text(data[key])
        if data.get("url"):
            yield _term("schema", "url"), _url(data["url"])
    elif node_type == schema.REPOSITORY:
        yield _term("schema", "codeRepository"), _url(data["url"])
        yield _term("kg", "host"), _text(data["host"])
        yield _term("kg", "paperCount"), _integer(data.get("papers", 0))
    elif node_type == schema.RESULT:
        yield _term("mls", "hasValue"), _decimal(data["value"], f"result {node!r}")
        if data.get("unit"):
            yield _term("kg", "unit"), _text(data["unit"])
        yield _term("kg", "valueText"), _text(data["text"])
        yield _term("kg", "resultKind"), _text(data.get("kind") or "absolute")
        for key in ("setting", "baseline"):
            if data.get(key):
                yield _term("kg", key), _text(data[key])
    else:
        yield _term("skos", "prefLabel"), _text(str(data["name"]))
        for alias in data.get("aliases") or ():
            yield _term("skos", "altLabel"), _text(alias)
        yield _term("kg", "paperCount"), _integer(data.get("papers", 0))
        if node_type == schema.METRIC and data.get("direction") in ("higher", "lower"):
            yield _term("kg", "higherIsBetter"), _boolean(data["direction"] == "higher")


def _link_triples(
    base_iri: str,
    iri_of: dict[str, ox.NamedNode],
    edge: tuple[str, str, str],
    data: dict[str, Any],
    paper: ox.NamedNode,
) -> Iterator[ox.Triple]:
    source, relation, target = edge
    digest = hashlib.sha256("\t".join(edge).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    link = ox.NamedNode(f"{base_iri}link/{digest}")
    for cls in _LINK_CLASSES:
        yield ox.Triple(link, RDF_TYPE, cls)
    yield ox.Triple(link, _term("oa", "motivatedBy"), _term("oa", "identifying"))
    yield ox.Triple(link, _term("kg", "subject"), iri_of[source])
    yield ox.Triple(link, _term("kg", "relation"), _term("kg", relation))
    yield ox.Triple(link, _term("oa", "hasBody"), iri_of[target])
    yield ox.Triple(link, _term("kg", "confidence"),
                    _decimal(data["confidence"], f"edge {source!r} -{relation}-> {target!r}"))
    if data.get("extractor"):
        yield ox.Triple(link, _term("prov", "wasGeneratedBy"), _extractor_iri(base_iri, data["extractor"]))
    yield ox.Triple(link, _term("prov", "wasDerivedFrom"), paper)
    for index, evidence in enumerate(data["evidence"]):
        yield from _evidence_triples(base_iri, f"{digest}-{index}", link, evidence, paper)


def _evidence_triples(
    base_iri: str, local: str, link: ox.NamedNode, evidence: Evidence, paper: ox.NamedNode
) -> Iterator[ox.Triple]:
    target = ox.NamedNode(f"{base_iri}evidence/{local}")
    quote = ox.NamedNode(f"{base_iri}selector/{local}-quote")
    position = ox.NamedNode(f"{base_iri}selector/{local}-position")
    yield ox.Triple(link, _term("oa", "hasTarget"), target)
    for cls in _EVIDENCE_CLASSES:
        yield ox.Triple(target, RDF_TYPE, cls)
    yield ox.Triple(target, _term("oa", "hasSource"), paper)
    yield ox.Triple(target, _term("kg", "field"), _text(evidence.field))
    yield ox.Triple(target, _term("kg", "sentence"), _text(evidence.sentence))
    yield ox.Triple(target, _term("kg", "sentenceStart"), _integer(evidence.sentence_start))
    if evidence.source:
        yield ox.Triple(target, _term("prov", "wasGeneratedBy"), _extractor_iri(base_iri, evidence.source))
    yield ox.Triple(target, _term("oa", "hasSelector"), quote)
    yield ox.Triple(target, _term("oa", "hasSelector"), position)
    yield ox.Triple(quote, RDF_TYPE, _term("oa", "TextQuoteSelector"))
    yield ox.Triple(quote, _term("oa", "exact"), _text(evidence.text))
    yield ox.Triple(position, RDF_TYPE, _term("oa", "TextPositionSelector"))
    yield ox.Triple(position, _term("oa", "start"), _integer(evidence.start))
    yield ox.Triple(position, _term("oa", "end"), _integer(evidence.end))


@lru_cache(maxsize=1024)
def _extractor_iri(base_iri: str, name: str) -> ox.NamedNode:
    """The extractor's IRI (a handful of extractors name every evidence: each is made once)."""
    return ox.NamedNode(node_iri(f"extractor/{name}", base_iri))


# -- writers -----------------------------------------------------------------------------

def iter_ntriples(graph: nx.MultiDiGraph, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[str]:
    """The graph as N-Triples lines (each ending in a newline), for sharded or streamed output."""
    for triple in graph_to_triples(graph, base_iri):
        yield f"{triple} .\n"


def write_ntriples(graph: nx.MultiDiGraph, path: str | Path, *, base_iri: str = DEFAULT_BASE_IRI) -> Path:
    """Write ``graph`` as N-Triples, streamed triple by triple (constant memory per triple)."""
    return _serialize(graph_to_triples(graph, base_iri), path, ox.RdfFormat.N_TRIPLES)


def write_turtle(graph: nx.MultiDiGraph, path: str | Path, *, base_iri: str = DEFAULT_BASE_IRI) -> Path:
    """Write ``graph`` as prefixed Turtle through pyoxigraph's streaming serializer."""
    return _serialize(graph_to_triples(graph, base_iri), path, ox.RdfFormat.TURTLE, prefixes(base_iri))


def write_jsonld(graph: nx.MultiDiGraph, path: str | Path, *, base_iri: str = DEFAULT_BASE_IRI) -> Path:
    """Write ``graph`` as compact JSON-LD: one node object per resource, sorted by IRI.

    The context of ``schemas/context.jsonld`` (plus the resource prefixes of ``base_iri``) is
    embedded, not referenced, so the file reads back without network access.  Values whose
    type the context coerces are written as bare strings, others as explicit value objects.
    """
    context = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    context.update({name: f"{base_iri}{name}/" for name in RESOURCE_PREFIXES})
    compactor = _Compactor(context)
    nodes: dict[str, dict[str, list[Any]]] = {}
    for triple in graph_to_triples(graph, base_iri):
        node = nodes.setdefault(triple.subject.value, {})
        key, value = compactor.entry(triple.predicate, triple.object)
        node.setdefault(key, []).append(value)
    document = {
        "@context": context,
        "@graph": [{"@id": compactor.iri(subject), **{key: _one_or_sorted(values) for key, values
                                                         in sorted(nodes[subject].items())}}
                   for subject in sorted(nodes)],
    }
    return _write_text(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


class _Compactor:
    """Writes IRIs and values in the compact form a JSON-LD context defines."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(((ns, name) for name, ns in context.items()
                                if isinstance(ns, str) and ns.endswith(("/", "#"))), reverse=True)
        self.terms: dict[str, tuple[str, str | None]] = {}
        for name, definition in context.items():
            curie, coercion = ((definition, None) if isinstance(definition, str)
                               else (definition["@id"], definition.get("@type")))
            if not curie.endswith(("/", "#")):
                self.terms[self._expand(curie, context)] = (name, coercion and self._expand(coercion, context))

    @staticmethod
    def _expand(curie: str, context: dict[str, Any]) -> str:
        prefix, _, local = curie.partition(":")
        return context[prefix] + local if isinstance(context.get(prefix), str) else curie

    def iri(self, iri: str) -> str:
        """``prefix:local`` under the longest matching prefix, else the IRI itself."""
        for namespace, name in self.prefixes:
            if iri.startswith(namespace) and not iri[len(namespace):].startswith("//"):
                return f"{name}:{iri[len(namespace):]}"
        return iri

    def entry(self, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal) -> tuple[str, Any]:
        """The (key, value) of one triple in its subject's node object."""
        if predicate == RDF_TYPE:
            return "@type", self.iri(obj.value)
        key, coercion = self.terms.get(predicate.value, (self.iri(predicate.value), None))
        if isinstance(obj, ox.NamedNode):
            return key, self.iri(obj.value) if coercion == "@id" else {"@id": self.iri(obj.value)}
        if obj.datatype == XSD_STRING:
            return key, obj.value if coercion is None else {"@value": obj.value}
        if obj.datatype.value == coercion:
            return key, obj.value
        return key, {"@value": obj.value, "@type": self.iri(obj.datatype.value)}


def _one_or_sorted(values: list[Any]) -> Any:
    """A single value as itself, several as a sorted array (JSON-LD arrays are unordered sets)."""
    if len(values) == 1:
        return values[0]
    return sorted(values, key=lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True))


def to_rdflib(triple: ox.Triple) -> tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]:
    """The same triple as rdflib terms (exports have no blank nodes and no language tags)."""
    return (_rdflib_term(triple.subject), _rdflib_term(triple.predicate), _rdflib_term(triple.object))


def _rdflib_term(term: ox.NamedNode | ox.Literal) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if term.datatype == XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _serialize(
    triples: Iterable[ox.Triple], path: str | Path, fmt: ox.RdfFormat, prefix_map: dict[str, str] | None = None
) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as output:
            ox.serialize(triples, output, fmt, prefixes=prefix_map)
    except OSError as error:
        raise ExportError(f"{path}: cannot write {fmt.name}: {error}") from None
    return path


def _write_text(path: str | Path, text: str) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error}") from None
    return path
