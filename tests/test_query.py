"""SPARQL query library and runner: exact answers, parameters, both engines, errors, output."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_fixtures import hostile_graph, small_graph
from kg.errors import InputError, QueryError
from kg.export.iri import DEFAULT_BASE_IRI
from kg.export.rdf import write_jsonld, write_ntriples, write_turtle
from kg.export.rdf import NAMESPACES
from kg.query import PREFIXES, format_result, list_queries, load_query, read_query, run_query
from test_rdf import papers_graph

LIBRARY = {"methods-on-dataset": ("dataset",), "datasets-for-method": ("method",),
           "papers-with-code-for-task": ("task",), "best-result": ("dataset", "metric"),
           "proposed-methods": (), "papers-comparing-method": ("method",),
           "dataset-co-usage": (), "evidence": ("paper", "entity"),
           "leaderboard": ("task", "dataset", "metric")}
ENGINES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("rdf")
    graph = papers_graph()
    return {"ttl": write_turtle(graph, directory / "g.ttl"),
            "nt": write_ntriples(graph, directory / "g.nt"),
            "jsonld": write_jsonld(graph, directory / "g.jsonld")}


def ask(path: Path, name: str, engine: str = "oxigraph", **params: str) -> set[tuple]:
    return set(run_query(path, load_query(name), params=params, engine=engine).rows)


def names(rows: set[tuple], *columns: int) -> set[tuple]:
    return {tuple(row[i] for i in columns) for row in rows}


def test_the_library_lists_every_query_with_its_parameters() -> None:
    infos = {info.name: info for info in list_queries()}
    assert {name: info.parameters for name, info in infos.items()} == LIBRARY
    assert all(info.description and info.path.is_file() for info in infos.values())


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_methods_on_dataset_matches_names_and_aliases_in_any_case(exports, fmt: str, engine: str) -> None:
    # "Vision Transformer (ViT)" in one paper and a gazetteer's "ViT" in another are one method.
    expected = {("ResNet", "2"), ("ResNeXt-Lite", "1"), ("ViT", "2")}
    for value in ("ImageNet", "imagenet", "ILSVRC-2012"):
        assert names(ask(exports[fmt], "methods-on-dataset", engine, dataset=value), 3, 4) == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_each_library_query_gives_the_exact_answer(exports, engine: str) -> None:
    path = exports["ttl"]
    assert names(ask(path, "datasets-for-method", engine, method="resnet"), 3, 4) == {
        ("ImageNet", "2"), ("CIFAR-10", "1")}
    assert names(ask(path, "papers-with-code-for-task", engine, task="image classification"), 3, 4) == {
        ("ResNeXt-Lite: Efficient Residual Networks for Image Classification",
         "https://github.com/example/resnext-lite"),
        ("Vision Transformer for Image Classification", "https://github.com/example/vit")}
    assert names(ask(path, "best-result", engine), 1, 3, 4, 5, 7) == {
        ("ImageNet", "Top-1 Accuracy", "84.2", "%", "ViT"),
        ("CIFAR-10", "Top-1 Accuracy", "98.1", "%", "ViT"),
        ("QA-Bench", "F1", "71.3", None, "BERT")}
    assert names(ask(path, "best-result", engine, dataset="cifar-10"), 4) == {("98.1",)}
    assert names(ask(path, "proposed-methods", engine), 1, 3) == {
        ("ResNeXt-Lite: Efficient Residual Networks for Image Classification", "ResNeXt-Lite"),
        ("Vision Transformer for Image Classification", "ViT")}
    assert names(ask(path, "papers-comparing-method", engine, method="ResNet"), 3) == {
        ("ResNeXt-Lite: Efficient Residual Networks for Image Classification",),
        ("Revisiting ResNet Baselines on ImageNet",)}
    assert ask(path, "papers-comparing-method", engine, method="ResNeXt-Lite") == set()
    assert names(ask(path, "dataset-co-usage", engine), 1, 3, 4) == {("CIFAR-10", "ImageNet", "2")}


@pytest.mark.parametrize("engine", ENGINES)
def test_evidence_gives_text_field_offsets_extractor_and_confidence(exports, engine: str) -> None:
    rows = ask(exports["ttl"], "evidence", engine, paper="arxiv:2401.00002", entity="ResNet")
    assert names(rows, 1, 4, 5, 6, 7, 9, 10) == {
        ("uses", "ResNet", "title", "11", "17", "gazetteer", "0.9"),
        ("resultMethod", "79.1%", "abstract", "93", "98", "results", "0.8")}
    by_paper = ask(exports["ttl"], "evidence", engine, paper="Revisiting ResNet Baselines on ImageNet")
    assert rows < by_paper and {row[0] for row in by_paper} == {DEFAULT_BASE_IRI + "paper/arxiv:2401.00002"}


@pytest.mark.parametrize("make_graph", [papers_graph, small_graph, hostile_graph])
def test_both_engines_agree_on_every_library_query(make_graph, tmp_path: Path) -> None:
    path = write_turtle(make_graph(), tmp_path / "g.ttl")
    for info in list_queries():
        oxigraph = run_query(path, load_query(info.name), engine="oxigraph")
        rdflib_result = run_query(path, load_query(info.name), engine="rdflib")
        assert oxigraph.columns == rdflib_result.columns, info.name
        assert sorted(oxigraph.rows, key=repr) == sorted(rdflib_result.rows, key=repr), info.name


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("value", ['ImageNet" } ?s ?p ?o {', "ImageNet\\u0022", "<urn:kg:no-match>", "", "\n"])
def test_parameter_values_are_bound_not_spliced(exports, engine: str, value: str) -> None:
    assert ask(exports["ttl"], "methods-on-dataset", engine, dataset=value) == set()


def test_a_pyoxigraph_store_directory_can_be_queried(exports, tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(exports["nt"]), format=ox.RdfFormat.N_TRIPLES)
    del store
    for engine in ENGINES:
        assert names(ask(tmp_path / "store", "datasets-for-method", engine, method="BERT"), 3) == {("QA-Bench",)}


@pytest.mark.parametrize("engine", ENGINES)
def test_ask_and_construct_queries_give_tables(exports, engine: str) -> None:
    asked = run_query(exports["ttl"], "ASK { ?p a <https://w3id.org/kg/ontology#Paper> }", engine=engine)
    assert (asked.columns, asked.rows) == (["ask"], [("true",)])
    built = run_query(exports["ttl"], "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c FILTER(?c = <http://www.w3.org/ns/mls#Task>) }",
                      engine=engine)
    assert built.columns == ["subject", "predicate", "object"] and len(built.rows) == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_kgs_prefixes_need_no_declaration_and_may_be_declared_again(exports, engine: str) -> None:
    body = ("SELECT ?name ?title WHERE { ?paper kg:proposes ?method ; dcterms:title ?title . "
            "?method skos:prefLabel ?name ; a mls:Algorithm . FILTER(?title != \"\"^^xsd:string) }")
    declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items()) + body
    bare = run_query(exports["ttl"], body, engine=engine)
    assert set(bare.rows) == set(run_query(exports["ttl"], declared, engine=engine).rows) == {
        ("ResNeXt-Lite", "ResNeXt-Lite: Efficient Residual Networks for Image Classification"),
        ("ViT", "Vision Transformer for Image Classification")}
    assert set(PREFIXES) >= {"kg", "schema", "dcterms", "skos", "prov", "oa", "mls", "xsd", "rdfs"}
    assert {prefix for prefix, iri in PREFIXES.items()} == set(NAMESPACES)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("text", "expected", "then"), [
    ("SELECT ?m\nWHERE {\n  ?p nope:proposes ?m\n}\n", "mine.rq:3:6: unknown prefix 'nope:' (kg declares kg:, ", ""),
    ("SELECT ?m WHERE { ?p kg:proposes ?m } ORDER ?m", "mine.rq:1:", "after '"),
    ("SELECT ?x WHERE { ?x ?y }", "mine.rq:1:26: syntax error at the end of the query, after '", "?x ?y }'"),
    ("PREFIX ex: <http://example.org/>\nSELECT ?x\nWHERE { ?x ex:p ?y }\nLIMT 5",
     "mine.rq:4:7: syntax error at the end of the query, after '", "ex:p ?y } LIMT 5' (expected one of HAVING, "),
    ("SELECT ?x WHERE {\n ?x ?p\n}\nLIMIT 3", "mine.rq:4:1: syntax error after '", "WHERE { ?x ?p }' (expected OPTIONAL)"),
])
def test_a_syntax_error_names_the_query_file_line_and_column(exports, tmp_path: Path, engine: str,
                                                              text: str, expected: str, then: str) -> None:
    query = tmp_path / "mine.rq"
    query.write_text(text, encoding="utf-8")
    sparql, source = read_query(str(query))
    with pytest.raises(QueryError) as raised:
        run_query(exports["ttl"], sparql, engine=engine, source=source)
    message = str(raised.value)
    assert message.startswith(str(query)[:-len("mine.rq")] + expected) and then in message, message
    assert "\n" not in message and "\\u{" not in message and len(message) - len(str(tmp_path)) < 200, message
    with pytest.raises(QueryError, match=r"^query:1:26: "):
        run_query(exports["ttl"], "SELECT ?x WHERE { ?x ?y }", engine=engine)


def test_a_syntax_error_stops_before_the_graph_is_read(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="unknown prefix 'nope:'"):
        run_query(tmp_path / "missing.ttl", "SELECT * WHERE { ?s nope:p ?o }")


def test_unknown_names_and_parameters_are_query_errors(exports) -> None:
    with pytest.raises(QueryError, match="methods-on-dataset"):
        load_query("methods-on-datset")
    with pytest.raises(QueryError, match="parameters are: dataset"):
        run_query(exports["ttl"], load_query("methods-on-dataset"), params={"datset": "ImageNet"})
    with pytest.raises(QueryError, match="engine"):
        run_query(exports["ttl"], load_query("proposed-methods"), engine="jena")  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ENGINES)
def test_unreadable_graphs_are_input_errors(tmp_path: Path, engine: str) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    for path in (broken, tmp_path / "missing.ttl", tmp_path / "graph.xml"):
        with pytest.raises(InputError, match=path.name):
            run_query(path, "SELECT * WHERE { ?s ?p ?o }", engine=engine)


def test_load_query_reads_files_and_passes_text_through(tmp_path: Path) -> None:
    query = tmp_path / "mine.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    assert load_query(str(query)) == load_query("SELECT * WHERE { ?s ?p ?o }") == query.read_text()


def test_results_format_as_table_csv_and_json(exports) -> None:
    result = run_query(exports["ttl"], load_query("best-result"), params={"dataset": "QA-Bench"})
    table = format_result(result, "table").splitlines()
    assert table[0].split() == result.columns and table[-1] == "(1 row)"
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == result.columns and rows[1][result.columns.index("unit")] == ""
    document = json.loads(format_result(result, "json"))
    assert document["columns"] == result.columns
    assert document["rows"][0]["value"] == 71.3 and document["rows"][0]["unit"] is None
    with pytest.raises(QueryError):
        format_result(result, "xml")  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ENGINES)
def test_json_keeps_numbers_and_booleans_typed_on_both_engines(exports, engine: str) -> None:
    result = run_query(exports["ttl"], 'SELECT ?n ?d ?f ?b ?s ?bad ?unbound WHERE { '
                       'VALUES (?n ?d ?f ?b ?s ?bad) { (4 1.5 2e0 true "7" "x"^^xsd:integer) } '
                       'OPTIONAL { ?n kg:nothing ?unbound } }', engine=engine)
    assert json.loads(format_result(result, "json"))["rows"] == [
        {"n": 4, "d": 1.5, "f": 2.0, "b": True, "s": "7", "bad": "x", "unbound": None}]
    counts = json.loads(format_result(run_query(exports["ttl"], load_query("methods-on-dataset"),
                                                params={"dataset": "ImageNet"}, engine=engine), "json"))
    assert {row["methodName"]: row["papers"] for row in counts["rows"]} == {
        "ResNet": 2, "ResNeXt-Lite": 1, "ViT": 2}


@pytest.mark.parametrize("base", [DEFAULT_BASE_IRI, "https://example.org/graph#"])
def test_tables_leave_out_kgs_resource_iris_unless_asked(tmp_path: Path, base: str) -> None:
    path = write_turtle(papers_graph(), tmp_path / "g.ttl", base_iri=base)
    result = run_query(path, load_query("papers-with-code-for-task"), params={"task": "image classification"})
    assert result.columns == ["task", "taskName", "paper", "title", "repository"]
    short = format_result(result, "table", iris=False).splitlines()
    assert short[0].split() == ["taskName", "title", "repository"] and base not in "".join(short)
    assert "https://github.com/example/vit" in "".join(short)  # a repository URL is data
    assert format_result(result, "table").splitlines()[0].split() == result.columns
    assert format_result(result, "csv", iris=False) == format_result(result, "csv")
    # Only resource IRIs: nothing else to show, so they stay.
    only = run_query(path, "SELECT ?method WHERE { ?paper kg:proposes ?method }")
    assert format_result(only, "table", iris=False) == format_result(only, "table")
    # Other IRIs (kg's vocabulary) and columns with unbound cells stay.
    mixed = run_query(path, "SELECT ?paper ?class ?missing WHERE { ?paper a ?class ; a kg:Paper "
                            "OPTIONAL { ?paper kg:nothing ?missing } }")
    assert format_result(mixed, "table", iris=False).splitlines()[0].split() == ["class", "missing"]
