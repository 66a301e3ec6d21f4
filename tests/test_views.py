"""Tests of the subgraph views and the deterministic layout."""
from __future__ import annotations

import networkx as nx
import pytest

from graph_fixtures import small_graph
from kg.errors import KGError
from kg.graph import schema
from kg.graph.layout import (
    RELATION_COLORS,
    RELATION_FAMILIES,
    layout_positions,
    node_sizes,
    packed_positions,
    place_around,
)
from kg.graph.views import (
    APPLIED_TO,
    EVALUATED_ON,
    SCORED_WITH,
    entity_map,
    find_node,
    focus_view,
    method_dataset_view,
    select_view,
    top_nodes,
)
from kg.records import Evidence


def hand_graph() -> nx.MultiDiGraph:
    """Two papers using one method on two datasets; a third ties a method by a result only."""
    graph = nx.MultiDiGraph()
    for paper in ("p1", "p2", "p3"):
        graph.add_node(f"paper/{paper}", type=schema.PAPER, name=f"Title {paper}", title=f"Title {paper}")
    graph.add_node("method/bert", type=schema.METHOD, name="BERT", aliases=["Bidirectional Encoder"], papers=3)
    graph.add_node("method/gpt", type=schema.METHOD, name="GPT", aliases=[], papers=1)
    graph.add_node("dataset/squad", type=schema.DATASET, name="SQuAD", aliases=["SQuAD 1.1"], papers=2)
    graph.add_node("dataset/glue", type=schema.DATASET, name="GLUE", aliases=[], papers=1)
    graph.add_node("result/r1", type=schema.RESULT, name="90.1", value=90.1, unit=None, text="90.1",
                   paper="paper/p3", method="method/gpt", dataset="dataset/glue", metric=None)

    def link(source, target, relation, confidence=0.9):
        evidence = [Evidence("x", "abstract", 0, 1, "x.", 0, "test")]
        graph.add_edge(source, target, key=relation, relation=relation, confidence=confidence,
                       extractor="test", evidence=evidence)

    link("paper/p1", "method/bert", schema.PROPOSES)
    link("paper/p1", "dataset/squad", schema.EVALUATES_ON, 0.6)
    link("paper/p2", "method/bert", schema.USES)
    link("paper/p2", "dataset/squad", schema.INTRODUCES)
    link("paper/p2", "dataset/glue", schema.EVALUATES_ON)
    link("paper/p3", "method/gpt", schema.USES)
    link("paper/p3", "result/r1", schema.REPORTS_RESULT)
    link("result/r1", "method/gpt", schema.RESULT_METHOD, 0.7)
    link("result/r1", "dataset/glue", schema.RESULT_DATASET, 0.7)
    return graph


def test_method_dataset_view_counts_papers_per_pair():
    view = method_dataset_view(hand_graph())
    edges = {(u, v): d for u, v, d in view.edges(data=True)}
    assert {pair: d["weight"] for pair, d in edges.items()} == {
        ("method/bert", "dataset/squad"): 2,
        ("method/bert", "dataset/glue"): 1,
        ("method/gpt", "dataset/glue"): 1,
    }
    assert edges["method/bert", "dataset/squad"]["papers"] == ["paper/p1", "paper/p2"]
    assert edges["method/gpt", "dataset/glue"]["confidence"] == 0.7
    assert all(d["relation"] == EVALUATED_ON and d["evidence"] for d in edges.values())
    assert {d["type"] for _, d in view.nodes(data=True)} == {schema.METHOD, schema.DATASET}
    assert view.nodes["method/bert"]["aliases"] == ["Bidirectional Encoder"]


def entity_map_graph() -> nx.MultiDiGraph:
    """The hand graph plus a task of paper p1 and a metric of the result of paper p3."""
    graph = hand_graph()
    graph.add_node("task/qa", type=schema.TASK, name="QA", aliases=[], papers=1)
    graph.add_node("metric/f1", type=schema.METRIC, name="F1", aliases=[], papers=1)
    evidence = [Evidence("x", "abstract", 0, 1, "x.", 0, "test")]
    graph.add_edge("paper/p1", "task/qa", key=schema.ADDRESSES_TASK, relation=schema.ADDRESSES_TASK,
                   confidence=0.8, extractor="test", evidence=evidence)
    graph.add_edge("result/r1", "metric/f1", key=schema.RESULT_METRIC, relation=schema.RESULT_METRIC,
                   confidence=0.7, extractor="test", evidence=evidence)
    graph.nodes["result/r1"]["metric"] = "metric/f1"
    return graph


def test_entity_map_links_the_entities_papers_use_together():
    view = entity_map(entity_map_graph())
    weights = {(u, v, k): d["weight"] for u, v, k, d in view.edges(keys=True, data=True)}
    assert weights == {
        ("method/bert", "dataset/squad", EVALUATED_ON): 2,
        ("method/bert", "dataset/glue", EVALUATED_ON): 1,
        ("method/gpt", "dataset/glue", EVALUATED_ON): 1,
        ("method/bert", "task/qa", APPLIED_TO): 1,
        ("dataset/glue", "metric/f1", SCORED_WITH): 1,
    }
    assert {d["type"] for _, d in view.nodes(data=True)} == set(schema.ENTITY_NODE_TYPES)
    assert view.edges["dataset/glue", "metric/f1", SCORED_WITH]["papers"] == ["paper/p3"]


def test_entity_map_keeps_the_links_of_an_aggregated_graph():
    aggregated = entity_map(entity_map_graph())
    again = entity_map(nx.MultiDiGraph(aggregated))
    assert nx.utils.edges_equal(sorted(again.edges(keys=True)), sorted(aggregated.edges(keys=True)))


def test_method_dataset_view_of_the_fixture_ties_resnet_to_imagenet_twice():
    graph = small_graph()
    view = method_dataset_view(graph)
    resnet, imagenet = find_node(graph, "ResNet-50"), find_node(graph, "ImageNet")
    assert view.edges[resnet, imagenet, EVALUATED_ON]["weight"] == 2


@pytest.mark.parametrize("query, expected", [
    ("BERT", "method/bert"),
    ("bert", "method/bert"),
    ("bidirectional ENCODER", "method/bert"),
    ("squad 1.1", "dataset/squad"),
    ("title p2", "paper/p2"),
    ("dataset/glue", "dataset/glue"),
])
def test_find_node_matches_ids_names_aliases_and_titles(query, expected):
    assert find_node(hand_graph(), query) == expected


def test_unknown_name_lists_close_matches():
    with pytest.raises(KGError, match="'SQuAD'"):
        find_node(hand_graph(), "SQuaD2")
    with pytest.raises(KGError, match="no paper or entity named 'zzz'"):
        find_node(hand_graph(), "zzz")


@pytest.mark.parametrize("depth, expected", [
    (0, {"dataset/glue"}),
    (1, {"dataset/glue", "paper/p2", "result/r1"}),
    (2, {"dataset/glue", "paper/p2", "result/r1", "paper/p3", "method/gpt", "method/bert", "dataset/squad"}),
])
def test_focus_view_keeps_nodes_within_depth(depth, expected):
    view = focus_view(hand_graph(), "GLUE", depth)
    assert set(view) == expected
    assert all(view.has_edge(u, v, k) for u, v, k in hand_graph().subgraph(expected).edges(keys=True))


def test_top_nodes_keeps_the_best_connected_and_counts_the_rest():
    kept, left_out = top_nodes(hand_graph(), 3)
    # degrees: p2 and r1 have 3 links; the rest 2, ties broken by id
    assert set(kept) == {"paper/p2", "result/r1", "dataset/glue"}
    assert kept.has_edge("result/r1", "dataset/glue", schema.RESULT_DATASET)
    assert left_out == {"Dataset": 1, "Method": 2, "Paper": 2}
    assert top_nodes(hand_graph(), 100)[1] == {}
    with pytest.raises(KGError, match="at least 1"):
        top_nodes(hand_graph(), 0)


@pytest.mark.parametrize("view, focus, nodes", [
    ("full", None, 8),
    ("entity-map", None, 4),
    ("method-dataset", None, 4),
    ("method-dataset", "GPT", 2),
    ("paper", "Title p1", 3),
])
def test_select_view(view, focus, nodes):
    assert select_view(hand_graph(), view, focus).number_of_nodes() == nodes


@pytest.mark.parametrize("view, focus, message", [
    ("paper", None, "needs a focus"),
    ("nonsense", None, "unknown view"),
])
def test_select_view_rejects_bad_requests(view, focus, message):
    with pytest.raises(KGError, match=message):
        select_view(hand_graph(), view, focus)


def test_layout_is_deterministic_and_spreads_nodes():
    graph = nx.barabasi_albert_graph(300, 2, seed=3)
    first, second = layout_positions(graph), layout_positions(graph)
    assert first == second
    points = sorted(first.values())
    assert len(set(points)) == 300
    assert layout_positions(graph, seed=1) != first


def test_layout_pulls_linked_nodes_together():
    graph = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
    positions = layout_positions(graph)

    def distance(a, b):
        return ((positions[a][0] - positions[b][0]) ** 2 + (positions[a][1] - positions[b][1]) ** 2) ** 0.5

    within = max(distance(a, b) for a in range(6) for b in range(6))
    between = min(distance(a, b) for a in range(6) for b in range(6, 12))
    assert within < between


def test_node_sizes_grow_with_degree():
    sizes = node_sizes(nx.star_graph(4))
    assert sizes[0] == 50.0 and sizes[1] < sizes[0]
    assert node_sizes(nx.empty_graph(2)) == {0: 10.0, 1: 10.0}


def test_packed_components_keep_their_own_scale():
    star = nx.star_graph(12)
    pairs = nx.disjoint_union_all([star] + [nx.path_graph(2) for _ in range(20)])
    packed = packed_positions(pairs)
    alone = layout_positions(star)
    span = max(abs(x) for x, _ in packed.values()), max(abs(y) for _, y in packed.values())
    star_span = max(x for x, _ in alone.values()) - min(x for x, _ in alone.values())
    # laid out together the pairs fly far off; packed, the block is a few star widths wide
    assert max(span) < 3 * star_span
    assert len(set(packed.values())) == pairs.number_of_nodes()
    assert packed == packed_positions(pairs)


def test_place_around_puts_nodes_next_to_what_they_link_to():
    graph = nx.Graph([("hub", "a"), ("a", "b")])
    graph.add_node("lonely")
    placed = place_around(graph, {"hub": (100.0, 0.0)}, distance=40.0)
    assert set(placed) == {"a", "b", "lonely"}
    assert abs(((placed["a"][0] - 100) ** 2 + placed["a"][1] ** 2) ** 0.5 - 40) < 0.01
    assert ((placed["b"][0] - placed["a"][0]) ** 2 + (placed["b"][1] - placed["a"][1]) ** 2) ** 0.5 < 40.01
    assert (placed["lonely"][0] ** 2 + placed["lonely"][1] ** 2) ** 0.5 > 100


def test_every_relation_has_one_family_colour_and_families_differ():
    assert set(RELATION_COLORS) >= set(schema.RELATIONS)
    colours = [colour for colour, _ in RELATION_FAMILIES.values()]
    assert len(set(colours)) == len(colours)
    result_links = {RELATION_COLORS[r] for r in (schema.RESULT_METHOD, schema.RESULT_DATASET, schema.RESULT_METRIC)}
    assert len(result_links) == 1
