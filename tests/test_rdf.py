"""RDF export: the one mapping, the three writers, IRIs, typing, determinism and hostile text."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph_fixtures import hostile_graph, small_graph
from kg.errors import ExportError
from kg.export.iri import DEFAULT_BASE_IRI, external_iri, node_iri
from kg.export.rdf import (
    graph_to_triples,
    iter_ntriples,
    split_triples,
    to_rdflib,
    write_jsonld,
    write_ntriples,
    write_turtle,
)
from kg.graph import schema
from kg.graph.build import build_graph
from kg.records import Evidence, PaperRecord

DATA = Path(__file__).resolve().parent / "data" / "rdf"
WRITERS = {"ttl": write_turtle, "nt": write_ntriples, "jsonld": write_jsonld}
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
KG = rdflib.Namespace("https://w3id.org/kg/ontology#")
MLS = rdflib.Namespace("http://www.w3.org/ns/mls#")
SCHEMA = rdflib.Namespace("http://schema.org/")
ID = rdflib.Namespace(DEFAULT_BASE_IRI)


def papers_graph() -> nx.MultiDiGraph:
    """Four hand-written papers (tests/data/rdf/papers.jsonl) built into a graph."""
    lines = (DATA / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    return build_graph(PaperRecord.from_dict(json.loads(line)) for line in lines)


def read_back(path: Path, fmt: str) -> tuple[set[ox.Triple], rdflib.Graph]:
    """The triples of a written file, as parsed by pyoxigraph and by rdflib."""
    oxigraph = {quad.triple for quad in ox.parse(path=str(path), format=OX_FORMATS[fmt])}
    return oxigraph, rdflib.Graph().parse(path, format=RDFLIB_FORMATS[fmt])


def assert_round_trip(graph: nx.MultiDiGraph, directory: Path, base_iri: str = DEFAULT_BASE_IRI) -> None:
    expected = set(graph_to_triples(graph, base_iri))
    for fmt, write in WRITERS.items():
        path = directory / f"graph.{fmt}"
        write(graph, path, base_iri=base_iri)
        oxigraph, rdflib_graph = read_back(path, fmt)
        assert oxigraph == expected, fmt
        assert set(rdflib_graph) == {to_rdflib(t) for t in expected}, fmt


@pytest.mark.parametrize("make_graph", [papers_graph, small_graph, hostile_graph])
def test_every_format_reads_back_to_the_mapped_triples(make_graph, tmp_path: Path) -> None:
    assert_round_trip(make_graph(), tmp_path)


def test_a_user_base_iri_prefixes_every_resource(tmp_path: Path) -> None:
    base = "https://example.org/my kg/".replace(" ", "-")
    assert_round_trip(papers_graph(), tmp_path, base)
    subjects = {t.subject.value for t in graph_to_triples(papers_graph(), base)}
    assert subjects and all(s.startswith(base) for s in subjects)


@pytest.mark.parametrize("base", ["https://example.org/kg", "not an iri/", "relative/path/"])
def test_a_bad_base_iri_is_an_export_error(base: str, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="base IRI"):
        write_turtle(papers_graph(), tmp_path / "g.ttl", base_iri=base)


@pytest.mark.parametrize("fmt", WRITERS)
def test_output_is_byte_identical_across_runs(fmt: str, tmp_path: Path) -> None:
    WRITERS[fmt](papers_graph(), tmp_path / f"a.{fmt}")
    WRITERS[fmt](papers_graph(), tmp_path / f"b.{fmt}")
    assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()


def test_iter_ntriples_streams_the_same_triples_as_the_writer(tmp_path: Path) -> None:
    graph = papers_graph()
    shard = tmp_path / "shard.nt"
    shard.write_text("".join(iter_ntriples(graph)), encoding="utf-8")
    assert {q.triple for q in ox.parse(path=str(shard))} == set(graph_to_triples(graph))


@pytest.mark.parametrize("skip", ["none", "entities", "papers", "every other node"])
def test_split_triples_leave_out_the_skipped_nodes_subjects_and_keep_the_order(skip: str) -> None:
    graph = papers_graph()
    nodes = sorted(graph.nodes)
    entity_types = (schema.METHOD, schema.DATASET, schema.METRIC, schema.TASK)
    skipped = {"none": set(), "entities": {n for n in nodes if graph.nodes[n]["type"] in entity_types},
               "papers": {n for n in nodes if n.startswith("paper/")},
               "every other node": set(nodes[::2])}[skip]
    skipped_iris = {node_iri(node) for node in skipped}
    extractor = f"{DEFAULT_BASE_IRI}extractor/"
    expected = [t for t in graph_to_triples(graph) if t.subject.value not in skipped_iris]
    own, extractors = split_triples(graph, DEFAULT_BASE_IRI, skipped)
    assert own == [t for t in expected if not t.subject.value.startswith(extractor)]
    assert extractors == [t for t in expected if t.subject.value.startswith(extractor)] and extractors
    assert (skip == "none") == (len(own) + len(extractors) == len(list(graph_to_triples(graph))))


def test_turtle_file_is_prefixed(tmp_path: Path) -> None:
    path = write_turtle(papers_graph(), tmp_path / "g.ttl")
    text = path.read_text(encoding="utf-8")
    assert "@prefix kg: <https://w3id.org/kg/ontology#>" in text
    assert "method:resnet a kg:Method" in text


def test_nodes_carry_the_aligned_types_and_typed_values() -> None:
    rdf = rdflib.Graph()
    for triple in graph_to_triples(papers_graph()):
        rdf.add(to_rdflib(triple))
    types = lambda node: set(rdf.objects(ID[node], rdflib.RDF.type))  # noqa: E731
    assert {KG.Method, MLS.Algorithm, SCHEMA.DefinedTerm} <= types("method/resnet")
    assert {KG.Dataset, SCHEMA.Dataset, MLS.Dataset} <= types("dataset/imagenet")
    assert MLS.EvaluationMeasure in types("metric/f1")
    assert {KG.Result, MLS.ModelEvaluation} <= types("result/c3")
    assert {KG.Paper, SCHEMA.ScholarlyArticle} <= types("paper/arxiv:2401.00001")
    value = rdf.value(ID["result/c3"], MLS.hasValue)
    assert (value.datatype, str(value)) == (rdflib.XSD.decimal, "84.2")
    assert str(rdf.value(ID["result/c3"], KG.unit)) == "%"
    assert rdf.value(ID["result/d5"], KG.unit) is None
    repo = ID["repo/github.com/example/vit"]
    assert (ID["paper/doi:10.1000/vit-3"], KG.hasCode, repo) in rdf
    assert rdf.value(repo, SCHEMA.codeRepository) == rdflib.URIRef("https://github.com/example/vit")
    assert {str(a) for a in rdf.objects(ID["dataset/imagenet"], rdflib.SKOS.altLabel)} == {"ILSVRC-2012"}


def test_every_edge_has_a_link_with_its_evidence_spans() -> None:
    graph = papers_graph()
    rdf = rdflib.Graph()
    for triple in graph_to_triples(graph):
        rdf.add(to_rdflib(triple))
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    links = set(rdf.subjects(rdflib.RDF.type, KG.Link))
    assert len(links) == graph.number_of_edges()
    paper, method = ID["paper/arxiv:2401.00001"], ID["method/resnet"]
    (link,) = [x for x in links if rdf.value(x, KG.subject) == paper and rdf.value(x, oa.hasBody) == method]
    assert rdf.value(link, KG.relation) == KG.uses
    assert (paper, KG.uses, method) in rdf
    edge = graph.edges["paper/arxiv:2401.00001", "method/resnet", "uses"]
    assert float(rdf.value(link, KG.confidence)) == edge["confidence"]
    spans = set()
    for target in rdf.objects(link, oa.hasTarget):
        assert rdf.value(target, oa.hasSource) == paper
        selectors = {rdf.value(s, rdflib.RDF.type): s for s in rdf.objects(target, oa.hasSelector)}
        position = selectors[oa.TextPositionSelector]
        spans.add((str(rdf.value(target, KG.field)), int(rdf.value(position, oa.start)),
                   int(rdf.value(position, oa.end)), str(rdf.value(selectors[oa.TextQuoteSelector], oa.exact))))
    assert spans == {(e.field, e.start, e.end, e.text) for e in edge["evidence"]}


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_result_value_that_is_not_a_decimal_is_an_export_error(value: float, tmp_path: Path) -> None:
    graph = papers_graph()
    graph.nodes["result/c3"]["value"] = value
    with pytest.raises(ExportError, match="result/c3"):
        write_turtle(graph, tmp_path / "g.ttl")


def test_unencodable_text_is_replaced_not_fatal(tmp_path: Path) -> None:
    graph = papers_graph()
    graph.nodes["method/resnet"]["name"] = "Res\ud800Net"
    assert_round_trip(graph, tmp_path)
    assert any(t.object.value == "Res\ufffdNet" for t in graph_to_triples(graph) if isinstance(t.object, ox.Literal))


# -- IRIs ---------------------------------------------------------------------------------

def test_node_iris_are_stable_readable_and_distinct() -> None:
    assert node_iri("paper/arxiv:2401.00001") == DEFAULT_BASE_IRI + "paper/arxiv:2401.00001"
    assert node_iri("dataset/a b") != node_iri("dataset/a%20b")
    assert node_iri("method/..") == DEFAULT_BASE_IRI + "method/%2E%2E"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_node_id_gives_a_valid_iri_that_survives_both_parsers(node_id: str) -> None:
    node_id = node_id.encode("utf-8", "replace").decode("utf-8")
    iri = node_iri(node_id)
    triple = ox.Triple(ox.NamedNode(iri), ox.NamedNode(iri), ox.NamedNode(iri))
    text = ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES).decode()
    assert [q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)] == [triple]
    assert list(rdflib.Graph().parse(data=text, format="nt")) == [to_rdflib(triple)]
    assert iri.isascii() and not set(iri) & set(' <>"{}|^`\\')


@settings(max_examples=200, deadline=None)
@given(st.text())
@example("##")
@example("a#b#c")
def test_external_urls_become_valid_iris_or_none(url: str) -> None:
    iri = external_iri("https://github.com/" + url)
    assert iri is not None and ox.NamedNode(iri).value == iri
    assert external_iri(url) is None or ox.NamedNode(external_iri(url))


# -- hostile text, property-based ---------------------------------------------------------

SPECIALS = ['"""', "\\", "\\u0022", "<script>", "</script><script>alert(1)</script>", "\n", "\r",
            "\x00", "\x01", "\x7f", "'", "@prefix", "_:b0", "é", "数据", "🧪", " ", "#", "%zz", "x" * 3000]
hostile_text = st.lists(st.one_of(st.sampled_from(SPECIALS), st.text(max_size=20)), max_size=4).map("".join)


def hostile_graph_of(name: str, title: str, slug: str, url: str) -> nx.MultiDiGraph:
    """A paper proposing one method, with hostile text everywhere the schema allows text."""
    graph = nx.MultiDiGraph()
    paper, method, repo = f"paper/{slug}", f"method/{slug}", f"repo/github.com/{slug}"
    graph.add_node(paper, type="Paper", name=title, title=title, abstract=name, authors=[name, title],
                   year=2024, date=name, doi=name, arxiv_id=None, url=url, source=name,
                   source_file="", source_line=1)
    graph.add_node(method, type="Method", name=name, aliases=sorted({title, url} - {name}), papers=1)
    graph.add_node(repo, type="Repository", name=url, url=url, host=name, papers=1)
    evidence = Evidence(name, "abstract", 0, max(len(name), 1), title, 0, name)
    for target, relation in ((method, "proposes"), (repo, "hasCode")):
        graph.add_edge(paper, target, key=relation, relation=relation, confidence=0.5,
                       extractor=name, evidence=[evidence])
    return graph


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text, title=hostile_text, slug=hostile_text, url=hostile_text)
def test_hostile_text_gives_files_both_parsers_read_back(name, title, slug, url, tmp_path: Path) -> None:
    assert_round_trip(hostile_graph_of(name, title, slug, url), tmp_path)
