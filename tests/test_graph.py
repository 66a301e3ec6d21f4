"""Graph building: node and edge kinds, merging across papers, determinism, id resolution."""
from __future__ import annotations

import random

import networkx as nx
import pytest

from graph_fixtures import PAPER_A, PAPER_B, PAPER_C, evidence, hostile_graph, small_graph, small_records
from kg.graph import GraphBuilder, build_graph, schema
from kg.normalize import normalize
from kg.records import Abbreviation, Mention, Paper, PaperMentions


def test_every_node_and_edge_follows_the_schema() -> None:
    graph = small_graph()
    for node, data in graph.nodes(data=True):
        assert data["type"] in schema.NODE_TYPES
        assert data["name"]
        assert node.startswith(schema.node_type_prefix(data["type"]) + "/")
    for source, target, key, data in graph.edges(keys=True, data=True):
        assert key == data["relation"] in schema.RELATIONS
        assert (graph.nodes[source]["type"], graph.nodes[target]["type"]) == schema.RELATIONS[key]
        assert 0.0 <= data["confidence"] <= 1.0
        assert data["evidence"], (source, target, key)
        for ev in data["evidence"]:
            paper = graph.nodes[source if source.startswith("paper/") else graph.nodes[source]["paper"]]
            assert paper[ev.field][ev.start:ev.end] == ev.text


def test_expected_links() -> None:
    graph = small_graph()
    a, b, c = (f"paper/{p.id}" for p in (PAPER_A, PAPER_B, PAPER_C))
    assert graph.has_edge(a, "method/sparsemixformer", key="proposes")
    assert graph.has_edge(a, "method/resnet-50", key="uses")
    assert not graph.has_edge(a, "method/sparsemixformer", key="uses")
    assert graph.has_edge(c, "dataset/audiocapsqa", key="introduces")
    assert graph.has_edge(b, "repo/gitlab.com/recipes/resnet-revisited", key="hasCode")
    assert graph.nodes["repo/github.com/vision-lab/sparsemixformer"]["url"] == (
        "https://github.com/vision-lab/sparsemixformer")
    assert graph.nodes["dataset/imagenet"]["papers"] == 3
    assert graph.nodes["method/resnet-50"]["papers"] == 2


def test_results_link_method_dataset_metric() -> None:
    graph = small_graph()
    results = [n for n, d in graph.nodes(data=True) if d["type"] == "Result"]
    assert len(results) == 4
    top = next(n for n in results if graph.nodes[n]["value"] == 84.1)
    targets = {key: target for _, target, key in graph.out_edges(top, keys=True)}
    assert targets == {"resultMethod": "method/sparsemixformer", "resultDataset": "dataset/imagenet",
                       "resultMetric": "metric/top-1-accuracy"}
    assert graph.nodes[top]["name"] == "84.1% top-1 accuracy on ImageNet"
    assert graph.nodes["metric/top-1-accuracy"]["direction"] == "higher"
    assert graph.nodes[top]["unit"] == "%"


def test_acronym_defined_in_one_paper_merges_bare_acronym_in_another() -> None:
    graph = small_graph()
    vit = [n for n, d in graph.nodes(data=True) if d["type"] == "Method" and "ViT" in
           [d["name"], *d["aliases"]]]
    assert vit == ["method/vision-transformer"]
    assert "ViT" in graph.nodes["method/vision-transformer"]["aliases"]
    assert graph.nodes["method/vision-transformer"]["papers"] == 2


def _paper(index: int, abstract: str) -> Paper:
    return Paper(id=f"t:{index}", title=f"Paper {index}", abstract=abstract, source="jsonl")


def _defining(index: int, short: str, long: str) -> PaperMentions:
    paper = _paper(index, f"We use {long} ({short}) here. {short} works.")
    return PaperMentions(
        paper,
        mentions=(Mention("Method", evidence(paper, long, "ner"), 0.8),
                  Mention("Method", evidence(paper, short, "ner", nth=1), 0.8)),
        abbreviations=(Abbreviation(short, long, evidence(paper, f"{long} ({short})")),),
    )


def _bare(index: int, short: str) -> PaperMentions:
    paper = _paper(index, f"Results with {short} are good.")
    return PaperMentions(paper, mentions=(Mention("Method", evidence(paper, short, "ner"), 0.7),))


def test_ambiguous_acronym_keeps_long_forms_apart() -> None:
    # Merging is tested here, not node-worthiness: every candidate is kept.
    records = [normalize(pm, min_confidence=0.0) for pm in (
        _defining(1, "SR", "super resolution"), _defining(2, "SR", "symbolic regression"),
        _bare(3, "SR"))]
    graph = build_graph(records)
    methods = sorted(n for n, d in graph.nodes(data=True) if d["type"] == "Method")
    assert methods == ["method/sr", "method/super-resolution", "method/symbolic-regression"]


def test_unambiguous_acronym_joins_its_long_form() -> None:
    records = [normalize(pm, min_confidence=0.0)
               for pm in (_defining(1, "GNN", "graph neural network"), _bare(2, "GNNs"))]
    graph = build_graph(records)
    methods = [n for n, d in graph.nodes(data=True) if d["type"] == "Method"]
    assert methods == ["method/graph-neural-network"]
    assert graph.nodes["method/graph-neural-network"]["papers"] == 2


def test_build_is_independent_of_input_order() -> None:
    records = [normalize(pm) for pm in small_records()]
    expected = build_graph(records)
    for seed in range(3):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        graph = build_graph(shuffled)
        assert sorted(graph.nodes) == sorted(expected.nodes)
        assert sorted(graph.edges(keys=True)) == sorted(expected.edges(keys=True))
        assert nx.utils.graphs_equal(graph, expected) or all(
            graph.nodes[n] == expected.nodes[n] for n in graph.nodes)


def test_same_paper_twice_is_added_once() -> None:
    builder = GraphBuilder()
    record = normalize(small_records()[0])
    builder.add(record)
    builder.add(record)
    assert len(builder) == 1
    assert builder.graph().number_of_edges() == build_graph([record]).number_of_edges()


def test_resolve_rewrites_local_ids_to_node_ids() -> None:
    records = [normalize(pm) for pm in small_records()]
    builder = GraphBuilder()
    for record in records:
        builder.add(record)
    graph = builder.graph()
    resolved = builder.resolve(records[0])
    assert "method/vit" in {e.id for e in records[1].entities}
    assert "method/vision-transformer" in {e.id for e in builder.resolve(records[1]).entities}
    assert {e.id for e in resolved.entities} <= set(graph.nodes)
    for result in resolved.results:
        for end in (result.method, result.dataset, result.metric):
            assert end is None or end in graph


@pytest.mark.parametrize("make", [small_graph, hostile_graph])
def test_graph_has_papers_and_entities(make) -> None:
    graph = make()
    types = {d["type"] for _, d in graph.nodes(data=True)}
    assert {"Paper", "Method", "Dataset", "Metric"} <= types


def test_entity_tables_of_partitions_combine_to_the_whole() -> None:
    from kg.graph.build import EntityTable

    records = [normalize(pm) for pm in small_records()]
    whole = GraphBuilder()
    for record in records:
        whole.add(record)
    parts = []
    for chunk in (records[:1], records[1:]):
        builder = GraphBuilder()
        for record in chunk:
            builder.add(record)
        parts.append(EntityTable.from_dict(builder.entities.to_dict()))
    combined = EntityTable()
    for part in parts:
        combined.update(part)
    assert combined.to_dict() == whole.entities.to_dict()
    assert combined.node_of() == whole.entities.node_of()


def test_graph_from_records_passed_again_equals_kept_records() -> None:
    records = [normalize(pm) for pm in small_records()]
    kept, streamed = GraphBuilder(), GraphBuilder(keep_records=False)
    for record in records:
        kept.add(record)
        streamed.add(record)
    with pytest.raises(ValueError):
        streamed.graph()
    a, b = kept.graph(), streamed.graph(sorted(records, key=lambda r: r.paper.id))
    assert nx.utils.graphs_equal(a, b)


def test_acronym_defined_once_merges_with_gazetteer_entity_named_by_it() -> None:
    defining = _defining(1, "ViT", "Vision Transformer")
    paper = _paper(2, "We compare with ViT on ImageNet.")
    gazetteer = PaperMentions(paper, mentions=(
        Mention("Method", evidence(paper, "ViT", "gazetteer"), 0.9, "ViT"),))
    graph = build_graph([normalize(defining), normalize(gazetteer)])
    methods = [d for _, d in graph.nodes(data=True) if d["type"] == "Method"]
    assert len(methods) == 1
    assert {"ViT", "Vision Transformer"} <= {methods[0]["name"], *methods[0]["aliases"]}
