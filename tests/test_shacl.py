"""SHACL validation: every export conforms; broken exports name their violations."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph_fixtures import hostile_graph, small_graph
from kg.errors import InputError
from kg.export.rdf import write_jsonld, write_ntriples, write_turtle
from kg.validate import validate
from test_rdf import papers_graph

WRITERS = {"ttl": write_turtle, "nt": write_ntriples, "jsonld": write_jsonld}


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("make_graph", [papers_graph, small_graph, hostile_graph])
def test_every_export_conforms(make_graph, fmt: str, tmp_path: Path) -> None:
    report = validate(WRITERS[fmt](make_graph(), tmp_path / f"graph.{fmt}"))
    assert report.conforms, report.violations
    assert report.violations == []


@pytest.fixture(scope="module")
def turtle(tmp_path_factory: pytest.TempPathFactory) -> str:
    return write_turtle(papers_graph(), tmp_path_factory.mktemp("shacl") / "g.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("kg:confidence 0.9", "kg:confidence 1.5", "confidence, a decimal in [0, 1]"),
    ("kg:confidence 0.9", 'kg:confidence "high"', "confidence, a decimal in [0, 1]"),
    ("oa:end 17", "oa:end 11", "0 <= start < end"),
    ("oa:start 11", "oa:start -1", "0 <= start < end"),
    ('dcterms:title "Revisiting', 'dcterms:title "Second title" , "Revisiting', "exactly one dcterms:title"),
    ("mls:hasValue 79.1", 'mls:hasValue "79.1"', "xsd:decimal"),
    ('skos:prefLabel "ResNet" ;', "", "exactly one skos:prefLabel"),
])
def test_broken_exports_report_the_violated_shape(turtle: str, old: str, new: str, message: str,
                                                  tmp_path: Path) -> None:
    assert old in turtle
    path = tmp_path / "broken.ttl"
    path.write_text(turtle.replace(old, new, 1), encoding="utf-8")
    report = validate(path)
    assert not report.conforms
    assert any(message in line for line in report.violations), report.violations


def test_a_file_that_is_not_rdf_is_an_input_error(tmp_path: Path) -> None:
    for name, text in (("bad.ttl", "<a> <b> ."), ("graph.csv", "a,b")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=name):
            validate(tmp_path / name)
