"""Streamed builds: the same records and triples as the in-memory build, sharded N-Triples,
and an aggregated entity graph for the whole-graph views."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.graph import schema
from kg.graph.views import EVALUATED_ON
from kg.sample import SAMPLE_PATH
from kg.build.writers import CO_OCCURS, aggregated_graph, kept_entities, link_pairs, merge_pairs, pairs_graph
from scale_support import build_rules


def triples(*paths: Path) -> set[ox.Triple]:
    found: set[ox.Triple] = set()
    for path in paths:
        fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
        found.update(ox.parse(path=str(path), format=fmt))
    return found


@pytest.fixture(scope="module")
def in_memory(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("memory")
    return out, build_rules([SAMPLE_PATH], out, stream=False)


def test_streamed_build_gives_the_in_memory_records_and_triples(tmp_path, in_memory):
    memory, memory_summary = in_memory
    summary = build_rules([SAMPLE_PATH], tmp_path, stream=True)
    assert (tmp_path / "papers.jsonl").read_bytes() == (memory / "papers.jsonl").read_bytes()
    expected = triples(memory / "graph.nt")
    assert len(expected) > 1000
    assert triples(tmp_path / "graph.nt") == expected
    assert triples(tmp_path / "graph.ttl") == expected
    assert (summary.nodes, summary.edges) == (memory_summary.nodes, memory_summary.edges)


def test_streamed_ntriples_are_sharded_past_the_size(tmp_path, in_memory):
    summary = build_rules([SAMPLE_PATH], tmp_path, stream=True, formats=("nt",), shard_bytes=500_000)
    shards = sorted(tmp_path.glob("graph-*.nt"))
    assert len(shards) > 5
    assert not (tmp_path / "graph.nt").exists()
    assert all(path.stat().st_size <= 500_000 for path in shards)
    assert [p for p in summary.files if p.suffix == ".nt"] == shards
    assert triples(*shards) == triples(in_memory[0] / "graph.nt")


def test_streamed_views_draw_the_aggregated_graph_and_say_what_is_left_out(tmp_path):
    summary = build_rules([SAMPLE_PATH], tmp_path, stream=True, formats=("gexf", "jsonld"),
                          export_options={"html": {"max_nodes": 30}})
    notes = "\n".join(summary.notes)
    assert "aggregated graph of the 30 entities" in notes
    assert "left out 40 papers" in notes
    assert "jsonld not written" in notes
    gexf = (tmp_path / "graph.gexf").read_text(encoding="utf-8")
    assert gexf.count("<node ") == 30
    assert not (tmp_path / "graph.jsonld").exists()


def test_store_of_a_streamed_build_holds_the_triples(tmp_path, in_memory):
    from kg.build.store import open_rdf_store

    build_rules([SAMPLE_PATH], tmp_path, stream=True, formats=("ttl",))
    assert not list(tmp_path.glob("*.nt"))
    assert len(open_rdf_store(tmp_path)) == len(triples(in_memory[0] / "graph.nt"))


def _entities(**papers: tuple[str, int]) -> dict[str, dict]:
    return {node: {"type": kind, "name": node, "aliases": [], "papers": count}
            for node, (kind, count) in papers.items()}


def test_aggregated_graph_weights_links_by_papers_among_top_entities(tmp_path):
    entities = _entities(**{
        "method/bert": (schema.METHOD, 3), "dataset/squad": (schema.DATASET, 2),
        "metric/f1": (schema.METRIC, 2), "task/qa": (schema.TASK, 1),
    })
    links = [
        [["dataset/squad", 0.8], ["method/bert", 0.9]],
        [["dataset/squad", 0.95], ["method/bert", 0.7], ["metric/f1", 0.9]],
        [["method/bert", 0.9], ["metric/f1", 0.6], ["task/qa", 0.9]],
    ]
    path = tmp_path / "links.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in links), encoding="utf-8")
    graph, left_out = aggregated_graph([path], entities, max_nodes=3)
    assert sorted(graph) == ["dataset/squad", "method/bert", "metric/f1"]
    assert left_out == {schema.TASK: 1}
    evaluated = graph.edges["method/bert", "dataset/squad", EVALUATED_ON]
    assert (evaluated["weight"], evaluated["confidence"]) == (2, 0.8)
    assert graph.edges["method/bert", "metric/f1", CO_OCCURS]["weight"] == 2
    assert graph.edges["dataset/squad", "metric/f1", CO_OCCURS]["weight"] == 1
    assert graph.number_of_edges() == 3


@pytest.mark.parametrize("cuts", [(0,), (1,), (1, 2), (0, 3)], ids=str)
def test_link_pairs_of_parts_merged_in_any_order_give_the_aggregated_graph(tmp_path, cuts):
    entities = _entities(**{
        "method/bert": (schema.METHOD, 3), "dataset/squad": (schema.DATASET, 2),
        "metric/f1": (schema.METRIC, 2), "task/qa": (schema.TASK, 1),
    })
    links = [
        json.dumps([["dataset/squad", 0.8], ["method/bert", 0.9]]) + "\n",
        json.dumps([["dataset/squad", 0.95], ["method/bert", 0.7], ["metric/f1", 0.9]]) + "\n",
        json.dumps([["method/bert", 0.9], ["metric/f1", 0.6], ["task/qa", 0.9]]) + "\n",
    ]
    path = tmp_path / "links.jsonl"
    path.write_text("".join(links), encoding="utf-8")
    whole, left_out = aggregated_graph([path], entities, max_nodes=3)
    kept, parts_left_out = kept_entities(entities, max_nodes=3)
    bounds = [0, *cuts, len(links)]
    pieces = [link_pairs(links[start:end], kept) for start, end in zip(bounds, bounds[1:])]
    for ordered in (pieces, pieces[::-1]):
        merged = ({}, {})
        for piece in ordered:
            merged = merge_pairs(piece, merged)
        graph = pairs_graph(merged, entities, kept, max_nodes=3)
        assert parts_left_out == left_out
        assert sorted(graph.edges(keys=True, data=True)) == sorted(whole.edges(keys=True, data=True))
        assert dict(graph.nodes(data=True)) == dict(whole.nodes(data=True))
