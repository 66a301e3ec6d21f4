"""The bundled sample, built through the library: its exports conform and both engines agree."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ModelError
from kg.query import list_queries, load_query, run_query
from kg.validate import validate


@pytest.fixture(scope="module")
def sample_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from kg.build import build
    from kg.sample import SAMPLE_PATH

    directory = tmp_path_factory.mktemp("sample")
    try:
        build([SAMPLE_PATH], directory, formats=("ttl", "nt", "jsonld"))
    except ModelError as error:
        pytest.skip(f"no extraction model: {error}")
    return {fmt: directory / f"graph.{fmt}" for fmt in ("ttl", "nt", "jsonld")}


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_the_sample_exports_conform_to_the_shapes(sample_exports, fmt: str) -> None:
    report = validate(sample_exports[fmt])
    assert report.conforms, report.violations[:10]


def test_every_library_query_answers_the_same_on_both_engines(sample_exports) -> None:
    for info in list_queries():
        oxigraph = run_query(sample_exports["ttl"], load_query(info.name), engine="oxigraph")
        rdflib_result = run_query(sample_exports["nt"], load_query(info.name), engine="rdflib")
        assert oxigraph.rows, info.name
        assert sorted(oxigraph.rows, key=repr) == sorted(rdflib_result.rows, key=repr), info.name
