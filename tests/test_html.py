"""Tests of the HTML page as text: self-contained, escaped, deterministic, summarised."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest

from graph_fixtures import HOSTILE_NAMES, hostile_graph, small_graph
from kg.errors import KGError
from kg.export.html import OTHER_ENTITIES, generate_html, write_html
from kg.graph import schema
from kg.graph.views import entity_map
from kg.records import Evidence
from kg.sample import SAMPLE_PATH
from scale_support import build_rules


def page_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def synthetic_graph(papers: int, entities: int, links: int = 3, seed: int = 0) -> nx.MultiDiGraph:
    """A schema-shaped graph: ``papers`` papers, each linking to ``links`` random entities."""
    import random

    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    kinds = [(schema.METHOD, schema.USES), (schema.DATASET, schema.EVALUATES_ON),
             (schema.TASK, schema.ADDRESSES_TASK), (schema.METRIC, schema.REPORTS_METRIC)]
    for index in range(entities):
        kind = kinds[index % len(kinds)][0]
        graph.add_node(f"{kind.lower()}/e{index}", type=kind, name=f"{kind} {index}", aliases=[], papers=0)
    for index in range(papers):
        node = f"paper/p{index}"
        graph.add_node(node, type=schema.PAPER, name=f"Paper {index}", title=f"Paper {index}",
                       abstract="", authors=[], year=2024, url=f"https://arxiv.org/abs/{index}")
        for target in rng.sample(range(entities), links):
            relation = kinds[target % len(kinds)][1]
            graph.add_edge(node, f"{kinds[target % len(kinds)][0].lower()}/e{target}", key=relation,
                           relation=relation, confidence=0.9, extractor="test", evidence=[])
    return graph


def test_page_is_self_contained():
    page, _ = generate_html(small_graph())
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"https?://[^\"'\s]*(cdn|bootstrap)", page, re.I)
    assert "sourceMappingURL" not in page
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in page


def test_csp_allows_exactly_the_inline_scripts():
    page, _ = generate_html(small_graph())
    allowed = set(re.findall(r"'(sha256-[^']+)'", page))
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    hashes = {"sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert len(scripts) == 2 and hashes == allowed


@pytest.mark.parametrize("view", ["entity-map", "full"])
def test_data_block_holds_every_node_and_detail(view):
    graph = small_graph()
    data = page_data(generate_html(graph, view=view)[0])
    assert sorted(n["id"] for n in data["nodes"]) == sorted(graph)
    assert set(data["details"]) == set(graph)
    imagenet = next(n for n, d in graph.nodes(data=True) if d["name"] == "ImageNet")
    papers = data["details"][imagenet]["papers"]
    assert len(papers) == graph.nodes[imagenet]["papers"]
    assert any(text == "ImageNet" and marked for p in papers for e in p["evidence"] for text, marked in e["parts"])
    assert all(p["url"] is None or p["url"].startswith("https://") for p in papers)


def test_entity_map_draws_linked_entities_and_the_rest_on_demand():
    graph = small_graph()
    page, summary = generate_html(graph)
    data = page_data(page)
    linked = {n for n in entity_map(graph) if entity_map(graph).degree(n)}
    shown = {g["group"] for g in data["groups"] if g["shown"]}
    drawn = {n["id"] for n in data["nodes"] if n["group"] in shown}
    assert drawn == linked and shown == set(schema.ENTITY_NODE_TYPES)
    assert summary.nodes == len(drawn) and summary.total_nodes == graph.number_of_nodes()
    assert sum(summary.on_demand.values()) == graph.number_of_nodes() - len(drawn)
    assert {n["group"] for n in data["nodes"] if n["id"] not in drawn} <= {
        schema.PAPER, schema.RESULT, schema.REPOSITORY, OTHER_ENTITIES}
    assert "drawn on demand" in data["note"] and data["note"] == summary.describe()
    relations = {e["relation"] for e in data["edges"] if e["from"] in drawn and e["to"] in drawn}
    assert relations <= {"evaluatedOn", "appliedTo", "scoredWith"} and relations
    assert {g["group"]: g["total"] for g in data["groups"]}[schema.REPOSITORY] == 2


def test_entity_map_of_unlinked_entities_draws_them_all_the_same():
    graph = nx.MultiDiGraph()
    for index in range(3):
        graph.add_node(f"method/m{index}", type=schema.METHOD, name=f"M{index}", aliases=[], papers=1)
    _, summary = generate_html(graph)
    assert summary.nodes == 3 and not summary.on_demand


def test_legend_counts_every_link_once_per_family():
    data = page_data(generate_html(small_graph())[0])
    families = {f["family"]: f["total"] for f in data["families"]}
    assert sum(families.values()) == len(data["edges"])
    assert families["results"] == sum(1 for e in data["edges"] if e["relation"].startswith(("result", "reportsResult")))
    assert len({f["color"] for f in data["families"]}) == len(families)


def test_entity_map_keeps_map_nodes_to_the_limit_and_says_so():
    graph = synthetic_graph(papers=300, entities=100)
    page, summary = generate_html(graph, map_nodes=20, max_nodes=50)
    data = page_data(page)
    assert summary.nodes == 20
    assert len(data["nodes"]) == 20 + 4 * 50
    assert sum(summary.left_out.values()) == 400 - 20 - 200
    assert "left out the 180 least-connected nodes" in data["note"]


def evidence_in(sentence: str, text: str, nth: int = 0, offset: int = 100) -> Evidence:
    start = [i for i in range(len(sentence)) if sentence.startswith(text, i)][nth]
    return Evidence(text, "abstract", offset + start, offset + start + len(text), sentence, offset, "test")


def test_each_sentence_is_shown_once_with_all_its_mentions_marked():
    sentence = "BERT beats GPT, and BERT is small."
    graph = nx.MultiDiGraph()
    graph.add_node("paper/p", type=schema.PAPER, name="P", title="P")
    graph.add_node("method/bert", type=schema.METHOD, name="BERT", aliases=[], papers=1)
    graph.add_edge("paper/p", "method/bert", key=schema.USES, relation=schema.USES, confidence=0.9,
                   extractor="test", evidence=[evidence_in(sentence, "BERT", 0), evidence_in(sentence, "BERT", 1),
                                               evidence_in("Other BERT.", "BERT", 0, offset=0)])
    data = page_data(generate_html(graph, view="full")[0])
    (paper,) = data["details"]["method/bert"]["papers"]
    assert [e["parts"] for e in paper["evidence"]] == [
        [["BERT", True], [" beats GPT, and ", False], ["BERT", True], [" is small.", False]],
        [["Other ", False], ["BERT", True], [".", False]],
    ]
    (link,) = data["details"]["paper/p"]["links"]
    assert [e["parts"] for e in link["evidence"]] == [e["parts"] for e in paper["evidence"]]


def test_an_entitys_papers_mark_only_that_entity():
    graph = small_graph()
    data = page_data(generate_html(graph)[0])
    checked = 0
    for node, details in data["details"].items():
        for paper in details["papers"]:
            if not graph.has_edge(paper["id"], node):
                continue
            (edge,) = graph.get_edge_data(paper["id"], node).values()
            marked = {text for e in paper["evidence"] for text, is_marked in e["parts"] if is_marked}
            assert marked and marked <= {e.text for e in edge["evidence"]}
            checked += 1
    assert checked > 10


def test_paper_links_fall_back_to_doi():
    graph = small_graph()
    data = page_data(generate_html(graph)[0])
    doi_paper = next(n for n, d in graph.nodes(data=True) if d.get("doi") and not d.get("url"))
    assert data["details"][doi_paper]["url"] == f"https://doi.org/{graph.nodes[doi_paper]['doi']}"


@pytest.mark.parametrize("payload", ["</script>", "<script>", "<img src=x", "<brackets>"])
def test_hostile_text_never_appears_raw(payload):
    page, _ = generate_html(hostile_graph())
    body = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert payload not in body
    assert "\u2028" not in body and "\u2029" not in body


def test_hostile_names_survive_as_data():
    graph = hostile_graph()
    data = page_data(generate_html(graph)[0])
    titles = {d["name"] for d in data["details"].values() if d["type"] == schema.PAPER}
    assert any("</script><script>window.__pwned=1</script>" in t for t in titles)
    assert any('<img src=x onerror="window.__pwned=1">' in t for t in titles)
    assert len(titles) == len(HOSTILE_NAMES)


def test_javascript_urls_are_never_links():
    graph = nx.MultiDiGraph()
    graph.add_node("paper/x", type=schema.PAPER, name="X", title="X", url="javascript:alert(1)",
                   doi=None, arxiv_id=None)
    graph.add_node("repo/x", type=schema.REPOSITORY, name="x", url="javascript:alert(1)", host="x", papers=1)
    data = page_data(generate_html(graph)[0])
    assert data["details"]["paper/x"]["url"] is None and data["details"]["repo/x"]["url"] is None


def test_output_is_deterministic(tmp_path):
    write_html(small_graph(), tmp_path / "a.html")
    write_html(small_graph(), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_max_nodes_keeps_the_best_connected_and_says_what_was_left_out():
    graph = synthetic_graph(papers=300, entities=100)
    page, summary = generate_html(graph, view="full", max_nodes=150)
    data = page_data(page)
    # entities whose papers were cut link to nothing left: they are drawn on demand
    assert summary.nodes + summary.on_demand.get(OTHER_ENTITIES, 0) == len(data["nodes"]) == 150
    assert summary.total_nodes == 400
    assert sum(summary.left_out.values()) == 250
    assert "left out the 250 least-connected nodes" in summary.describe()
    assert data["note"] == summary.describe()


def test_views_draw_unlinked_entities_on_demand():
    graph = small_graph()
    graph.add_node("method/alone", type=schema.METHOD, name="Alone", aliases=[], papers=0)
    page, summary = generate_html(graph, view="method-dataset")
    data = page_data(page)
    groups = {n["id"]: n["group"] for n in data["nodes"]}
    assert groups["method/alone"] == OTHER_ENTITIES and summary.on_demand[OTHER_ENTITIES] >= 1
    assert {g["group"] for g in data["groups"] if not g["shown"]} == {OTHER_ENTITIES}


def test_positions_come_with_the_page_and_nothing_moves_them():
    page, _ = generate_html(small_graph())
    data = page_data(page)
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert "physics: { enabled: false }" in page


@pytest.mark.parametrize("view, focus, expected_types", [
    ("entity-map", "ImageNet", {"Method", "Dataset", "Metric"}),
    ("method-dataset", None, {"Method", "Dataset"}),
    ("paper", "ImageNet", {"Dataset", "Paper", "Result"}),
])
def test_views(view, focus, expected_types):
    page, summary = generate_html(small_graph(), view=view, focus=focus)
    data = page_data(page)
    assert {n["type"] for n in data["nodes"]} == expected_types
    assert summary.view == view and view.replace("-", " ") in data["heading"].replace("-", " ")


def test_unknown_focus_lists_close_matches():
    with pytest.raises(KGError, match="close matches: 'ImageNet'"):
        generate_html(small_graph(), view="paper", focus="ImageNett")


def test_a_streamed_build_draws_its_aggregated_graph_as_the_entity_map(tmp_path):
    build_rules([SAMPLE_PATH], tmp_path, stream=True, formats=("html",))
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    data = page_data(page)
    assert data["heading"] == "kg: entity map"
    assert {n["type"] for n in data["nodes"]} <= set(schema.ENTITY_NODE_TYPES)
    shown = {g["group"] for g in data["groups"] if g["shown"]}
    drawn = {n["id"] for n in data["nodes"] if n["group"] in shown}
    assert len(drawn) > 30
    assert {e["relation"] for e in data["edges"]} <= {"evaluatedOn", "coOccursWith"}
    assert all(e["weight"] >= 1 for e in data["edges"])
