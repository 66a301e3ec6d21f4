"""Tests of the Neo4j import files: header rules, CSV escaping, and a real Cypher engine.

No Neo4j server runs here, so the CSVs are loaded into ladybug (the maintained fork of the
embedded Kùzu engine), and the README's Cypher queries must answer what the SPARQL library
answers on the Turtle export of the same graph.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest

from graph_fixtures import hostile_graph, small_graph
from kg.export.neo4j import (
    ARRAY_DELIMITER,
    NODE_PROPERTIES,
    node_file,
    relationship_file,
    relationship_type,
    write_neo4j,
)
from kg.graph import schema
from kg.records import Evidence

QUERIES = Path(__file__).parent / "data" / "neo4j"
_HEADER = re.compile(
    r"^(?:(?P<id>\w*):ID\((?P<space>\w+)\)|:LABEL|:TYPE|:START_ID\((?P<start>\w+)\)|:END_ID\((?P<end>\w+)\)"
    r"|(?P<name>\w+)(?::(?P<kind>int|float|string\[\]))?)$"
)
_LADYBUG_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE"}


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def array_graph() -> nx.MultiDiGraph:
    """One paper and one method whose texts hold the CSV and array delimiters."""
    graph = nx.MultiDiGraph()
    graph.add_node("paper/p1", type=schema.PAPER, name='Say "hi";\nnow', title='Say "hi";\nnow',
                   abstract="A, B; C", authors=["Doe; Jane", 'O"Neil'], year=2024, date=None,
                   doi=None, arxiv_id=None, url=None, source="jsonl", source_file="x.jsonl",
                   source_line=1)
    graph.add_node("method/m", type=schema.METHOD, name="M;1", aliases=["a;b", "c"], papers=1)
    evidence = Evidence("M;1", "abstract", 3, 6, 'Is "M;1",\r\nok', 0, "ner")
    graph.add_edge("paper/p1", "method/m", key=schema.USES, relation=schema.USES,
                   confidence=0.5, extractor="ner", evidence=[evidence])
    return graph


@pytest.mark.parametrize("make_graph", [small_graph, hostile_graph, array_graph])
def test_headers_follow_the_import_tool_rules(tmp_path, make_graph):
    directory = write_neo4j(make_graph(), tmp_path)
    for label in schema.NODE_TYPES:
        header = read_rows(directory / node_file(label))[0]
        assert header[:2] == [f"id:ID({label})", ":LABEL"]
        assert all(_HEADER.match(cell) for cell in header), header
    for relation, (source, target) in schema.RELATIONS.items():
        header = read_rows(directory / relationship_file(relation))[0]
        assert header[:3] == [f":START_ID({source})", f":END_ID({target})", ":TYPE"]
        assert "confidence:float" in header and "start:int" in header and "sentence" in header


@pytest.mark.parametrize("make_graph", [small_graph, hostile_graph, array_graph])
def test_csv_rows_round_trip_every_node_and_edge(tmp_path, make_graph):
    graph = make_graph()
    directory = write_neo4j(graph, tmp_path)
    for label in schema.NODE_TYPES:
        header, *rows = read_rows(directory / node_file(label))
        expected = {n: d for n, d in graph.nodes(data=True) if d["type"] == label}
        assert sorted(row[0] for row in rows) == sorted(expected)
        for row in rows:
            assert len(row) == len(header) and row[1] == label
            assert row[header.index("name")] == str(expected[row[0]]["name"])
    for relation in schema.RELATIONS:
        header, *rows = read_rows(directory / relationship_file(relation))
        expected = sorted((u, v) for u, v, r in graph.edges(data="relation") if r == relation)
        assert sorted((row[0], row[1]) for row in rows) == expected
        assert all(row[2] == relationship_type(relation) for row in rows)


def test_quotes_newlines_and_array_delimiters_survive(tmp_path):
    directory = write_neo4j(array_graph(), tmp_path)
    header, row = read_rows(directory / node_file(schema.PAPER))
    assert row[header.index("title")] == 'Say "hi";\nnow'
    assert row[header.index("authors:string[]")].split(ARRAY_DELIMITER) == ["Doe\uff1b Jane", 'O"Neil']
    header, row = read_rows(directory / node_file(schema.METHOD))
    assert row[header.index("aliases:string[]")].split(ARRAY_DELIMITER) == ["a\uff1bb", "c"]
    header, row = read_rows(directory / relationship_file(schema.USES))
    assert row[header.index("sentence")] == 'Is "M;1",\r\nok'
    assert (row[header.index("start:int")], row[header.index("end:int")]) == ("3", "6")


def test_missing_values_are_empty_unquoted_fields(tmp_path):
    directory = write_neo4j(array_graph(), tmp_path)
    line = (directory / node_file(schema.PAPER)).read_text(encoding="utf-8").splitlines()[-1]
    # date, doi, arxiv_id and url are None: bare empty fields, never "" (an empty string)
    assert ',2024,,,,,"jsonl"' in line


@pytest.mark.parametrize("relation, expected", [
    (schema.EVALUATES_ON, "EVALUATES_ON"),
    (schema.HAS_CODE, "HAS_CODE"),
    (schema.PROPOSES, "PROPOSES"),
    (schema.RESULT_METRIC, "RESULT_METRIC"),
])
def test_relationship_types_are_upper_snake_case(relation, expected):
    assert relationship_type(relation) == expected


def test_import_script_names_every_file_and_the_delimiters(tmp_path):
    directory = write_neo4j(small_graph(), tmp_path)
    script = (directory / "import.sh").read_text()
    assert "neo4j-admin database import full" in script
    assert '--array-delimiter=";"' in script and "--multiline-fields=true" in script
    files = sorted(p.name for p in directory.glob("*.csv"))
    assert sorted(re.findall(r"--(?:nodes|relationships)=(\S+)", script)) == files
    assert (directory / "import.sh").stat().st_mode & 0o111


def test_load_cypher_merges_every_file_with_constraints(tmp_path):
    directory = write_neo4j(small_graph(), tmp_path)
    cypher = (directory / "load.cypher").read_text()
    loaded = sorted(re.findall(r"LOAD CSV WITH HEADERS FROM 'file:///(\S+)'", cypher))
    assert loaded == sorted(p.name for p in directory.glob("*.csv"))
    for label in schema.NODE_TYPES:
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in cypher
    assert "n.aliases = split(row.`aliases:string[]`, ';')" in cypher
    assert "MERGE (a)-[r:EVALUATES_ON]->(b)" in cypher


def test_output_is_deterministic(tmp_path):
    first = write_neo4j(small_graph(), tmp_path / "a")
    second = write_neo4j(small_graph(), tmp_path / "b")
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes()


# -- a real Cypher engine ---------------------------------------------------------------------

def load_into_ladybug(directory: Path, database: Path):
    """Create one table per CSV from its header, bulk-load it, and return a connection.

    ``string[]`` columns are loaded as text and split on the array delimiter, as the import
    tool does (an empty field leaves the property unset).
    """
    ladybug = pytest.importorskip("ladybug")
    connection = ladybug.Connection(ladybug.Database(str(database)))
    arrays: dict[str, list[str]] = {}
    for path in sorted(directory.glob("nodes_*.csv")):
        header = read_rows(path)[0]
        label = _HEADER.match(header[0]).group("space")
        columns = [f"{_HEADER.match(header[0]).group('id')} STRING PRIMARY KEY", "node_label STRING"]
        for cell in header[2:]:
            match = _HEADER.match(cell)
            kind = match.group("kind") or "string"
            if kind == "string[]":
                arrays.setdefault(label, []).append(match.group("name"))
                columns.append(f"{match.group('name')}_text STRING")
            else:
                columns.append(f"`{match.group('name')}` {_LADYBUG_TYPES[kind]}")
        connection.execute(f"CREATE NODE TABLE {label}({', '.join(columns)})")
        connection.execute(f"COPY {label} FROM '{path}' (HEADER=true, PARALLEL=false)")
    for path in sorted(directory.glob("rels_*.csv")):
        header = read_rows(path)[0]
        start, end = _HEADER.match(header[0]).group("start"), _HEADER.match(header[1]).group("end")
        properties = ["rel_type STRING"] + [
            f"`{m.group('name')}` {_LADYBUG_TYPES[m.group('kind') or 'string']}"
            for m in map(_HEADER.match, header[3:])
        ]
        name = path.stem.removeprefix("rels_")
        connection.execute(f"CREATE REL TABLE {name}(FROM {start} TO {end}, {', '.join(properties)})")
        connection.execute(f"COPY {name} FROM '{path}' (HEADER=true, PARALLEL=false)")
    for label, names in arrays.items():
        for array in names:
            connection.execute(f"ALTER TABLE {label} ADD {array} STRING[]")
            connection.execute(
                f"MATCH (n:{label}) WHERE n.{array}_text IS NOT NULL "
                f"SET n.{array} = string_split(n.{array}_text, '{ARRAY_DELIMITER}')"
            )
    return connection


def cypher(connection, query: str, **parameters) -> list[tuple]:
    result = connection.execute(query, parameters)
    rows = []
    while result.has_next():
        rows.append(tuple(result.get_next()))
    return rows


@pytest.mark.parametrize("make_graph", [small_graph, hostile_graph, array_graph])
def test_ladybug_loads_every_node_and_relationship_intact(tmp_path, make_graph):
    graph = make_graph()
    connection = load_into_ladybug(write_neo4j(graph, tmp_path), tmp_path / "db")
    for label in schema.NODE_TYPES:
        rows = cypher(connection, f"MATCH (n:{label}) RETURN n.id, n.name")
        expected = {(n, str(d["name"])) for n, d in graph.nodes(data=True) if d["type"] == label}
        assert set(rows) == expected
    for relation in schema.RELATIONS:
        rows = cypher(connection, f"MATCH (a)-[r:{relationship_type(relation)}]->(b) "
                                  "RETURN a.id, b.id, r.confidence, r.sentence")
        expected = {(u, v, d["confidence"], d["evidence"][0].sentence)
                    for u, v, d in graph.edges(data=True) if d["relation"] == relation}
        assert set(rows) == expected


def test_ladybug_reads_arrays_split_on_the_delimiter(tmp_path):
    connection = load_into_ladybug(write_neo4j(array_graph(), tmp_path), tmp_path / "db")
    assert cypher(connection, "MATCH (m:Method) RETURN m.aliases") == [(["a\uff1bb", "c"],)]
    assert cypher(connection, "MATCH (p:Paper) RETURN p.authors, p.year") == [
        (["Doe\uff1b Jane", 'O"Neil'], 2024)
    ]


def sparql_rows(graph: nx.MultiDiGraph, tmp_path: Path, name: str, **params) -> list[tuple]:
    rdf = pytest.importorskip("kg.export.rdf", reason="the RDF export is not written yet")
    query = pytest.importorskip("kg.query", reason="the SPARQL query library is not written yet")
    turtle = tmp_path / "graph.ttl"
    rdf.write_turtle(graph, turtle)
    result = query.run_query(turtle, query.load_query(name), params=params)
    return [dict(zip(result.columns, row)) for row in result.rows]


@pytest.mark.parametrize("dataset", ["ImageNet", "imagenet", "COCO", "CIFAR-10", "No Such Set"])
def test_methods_on_dataset_matches_the_sparql_library(tmp_path, dataset):
    graph = small_graph()
    connection = load_into_ladybug(write_neo4j(graph, tmp_path), tmp_path / "db")
    rows = cypher(connection, (QUERIES / "methods-on-dataset.cypher").read_text(), dataset=dataset)
    expected = sparql_rows(graph, tmp_path, "methods-on-dataset", dataset=dataset)
    assert sorted((method, papers) for _, method, papers in rows) == sorted(
        (row["methodName"], int(row["papers"])) for row in expected
    )
    if dataset != "No Such Set":
        assert rows


@pytest.mark.parametrize("task", ["Image Classification", "image classification", "Question Answering"])
def test_papers_with_code_for_task_matches_the_sparql_library(tmp_path, task):
    graph = small_graph()
    connection = load_into_ladybug(write_neo4j(graph, tmp_path), tmp_path / "db")
    rows = cypher(connection, (QUERIES / "papers-with-code-for-task.cypher").read_text(), task=task)
    expected = sparql_rows(graph, tmp_path, "papers-with-code-for-task", task=task)
    assert sorted((title, url) for _, title, url in rows) == sorted(
        (row["title"], row["repository"]) for row in expected
    )
    if task.lower() == "image classification":
        assert len(rows) == 2
