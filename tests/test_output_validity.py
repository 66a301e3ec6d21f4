"""Every output is valid, and carries the same text, for any id and text a reader yields:
Turtle, N-Triples and JSON-LD parse in rdflib and pyoxigraph, GEXF and GraphML in lxml,
the Neo4j CSVs in Python's csv; no output holds a control character."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from graph_fixtures import mention
from kg.export import EXPORTERS
from kg.graph import build_graph
from kg.io import read_papers
from kg.normalize import normalize
from kg.records import PaperMentions

RDF_FORMATS = {"ttl": ("turtle", ox.RdfFormat.TURTLE), "nt": ("nt", ox.RdfFormat.N_TRIPLES),
               "jsonld": ("json-ld", ox.RdfFormat.JSON_LD)}
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Any character JSON can carry: lone surrogates, NUL and other controls, combining marks.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=30)


def _graph(tmp_path: Path, record: dict[str, object]):
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [paper] = read_papers(path, "jsonl")
    method = mention(paper, paper.title, "Method", role="proposed")
    return paper, build_graph([normalize(PaperMentions(paper=paper, mentions=(method,)))])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source_id=TEXT, title=TEXT, author=TEXT, doi=st.none() | TEXT, url=st.none() | TEXT)
@example(source_id=".", title="0", author="0", doi=None, url=None)  # Turtle's paper:jsonl:\.
@example(source_id="a b<>\"{}|\\^`\ud800\x00", title="T\x00i\x1ftle \ud800 e\u0301",
         author="=cmd|' /C calc'!A0", doi='10.1/x">y', url="javascript:alert(1)")
def test_every_output_is_valid_for_any_id_and_text(tmp_path, source_id, title, author, doi, url):
    record = {"id": source_id, "title": f"M{title}", "abstract": f"About {title}.",
              "authors": [author], "doi": doi, "url": url}
    paper, graph = _graph(tmp_path, record)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    for name in ("ttl", "nt", "jsonld", "gexf", "graphml", "neo4j"):
        EXPORTERS[name].write(graph, out)
    for path in out.rglob("*"):
        if path.is_file():
            assert not _CONTROL_BYTES.search(path.read_bytes()), path

    titles = set()
    for name, (rdflib_format, oxigraph_format) in RDF_FORMATS.items():
        path = out / EXPORTERS[name].filename
        parsed = rdflib.Graph().parse(path, format=rdflib_format)
        triples = list(ox.parse(path=str(path), format=oxigraph_format))
        assert len(parsed) == len(set(triples)), name
        titles |= {str(o) for o in parsed.objects(predicate=rdflib.DCTERMS.title)}
    assert titles == {paper.title}

    for name in ("gexf", "graphml"):
        tree = etree.parse(str(out / EXPORTERS[name].filename))
        assert paper.title in {node.text for node in tree.iter() if node.text} | {
            value for node in tree.iter() for value in node.attrib.values()}, name
    cells = set()
    for path in (out / "neo4j").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len({len(row) for row in rows}) == 1, path
        cells |= {cell for row in rows for cell in row}
    # Lists are one cell, ";"-separated (Neo4j's array delimiter, made full-width inside one).
    assert {paper.title, ";".join(a.replace(";", "\uff1b") for a in paper.authors)} <= cells
    assert any(paper.id in cell for cell in cells)
