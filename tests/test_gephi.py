"""Tests of the GEXF 1.3 and GraphML exports: schema validity and round trips."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph_fixtures import hostile_graph, small_graph
from kg.export.gephi import GEXF_NAMESPACE, VIZ_NAMESPACE, write_gexf, write_graphml
from kg.graph import schema
from kg.graph.layout import NODE_COLORS
from kg.graph.views import method_dataset_view

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GEXF_SCHEMA = SHARED / "formats" / "gexf-1.3" / "gexf.rng"
GRAPHS = [small_graph, hostile_graph, lambda: method_dataset_view(small_graph())]
GRAPH_IDS = ["small", "hostile", "method-dataset"]


def relax_ng():
    etree = pytest.importorskip("lxml.etree")
    if not GEXF_SCHEMA.exists():
        pytest.skip(f"GEXF schema not found at {GEXF_SCHEMA}")
    return etree.RelaxNG(etree.parse(str(GEXF_SCHEMA)))


@pytest.mark.parametrize("make_graph", GRAPHS, ids=GRAPH_IDS)
def test_gexf_is_valid_gexf_1_3(tmp_path, make_graph):
    from lxml import etree

    schema_ = relax_ng()
    path = tmp_path / "graph.gexf"
    write_gexf(make_graph(), path)
    document = etree.parse(str(path))
    assert schema_.validate(document), schema_.error_log
    assert document.getroot().tag == f"{{{GEXF_NAMESPACE}}}gexf"


def test_gexf_without_viz_namespace_fix_would_be_invalid(tmp_path):
    """The validator does reject what networkx's own 1.3 writer emits (so validity means something)."""
    from lxml import etree

    schema_ = relax_ng()
    path = tmp_path / "nx.gexf"
    nx.write_gexf(nx.path_graph(3), path, version="1.2draft")
    assert not schema_.validate(etree.parse(str(path)))


@pytest.mark.parametrize("make_graph", GRAPHS, ids=GRAPH_IDS)
def test_gexf_reads_back_with_networkx(tmp_path, make_graph):
    graph = make_graph()
    path = tmp_path / "graph.gexf"
    write_gexf(graph, path)
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for node, data in graph.nodes(data=True):
        assert back.nodes[node]["type"] == data["type"]
    relations = sorted(r for _, _, r in graph.edges(data="relation"))
    assert sorted(d["relation"] for _, _, d in back.edges(data=True)) == relations


def test_gexf_carries_viz_color_size_position_and_attributes(tmp_path):
    from lxml import etree

    graph = small_graph()
    path = tmp_path / "graph.gexf"
    write_gexf(graph, path)
    ns = {"g": GEXF_NAMESPACE, "viz": VIZ_NAMESPACE}
    root = etree.parse(str(path)).getroot()
    imagenet = next(n for n, d in graph.nodes(data=True) if d["name"] == "ImageNet")
    node = root.find(f".//g:node[@id='{imagenet}']", ns)
    color = node.find("viz:color", ns)
    assert "#{:02X}{:02X}{:02X}".format(*(int(color.get(c)) for c in "rgb")) == NODE_COLORS[schema.DATASET]
    values = {v.get("for"): v.get("value") for v in node.iterfind(".//g:attvalue", ns)}
    assert values["type"] == "Dataset" and values["papers"] == str(graph.nodes[imagenet]["papers"])
    sizes = {n.get("id"): float(n.find("viz:size", ns).get("value")) for n in root.iterfind(".//g:node", ns)}
    degrees = dict(graph.degree())
    top = max(degrees, key=degrees.get)
    assert sizes[top] == max(sizes.values())
    assert all(n.find("viz:position", ns) is not None for n in root.iterfind(".//g:node", ns))
    edge = root.find(".//g:edge", ns)
    assert edge.get("label") == edge.get("kind") and edge.get("label") in schema.RELATIONS


def test_gexf_joins_aliases_and_weights_aggregated_edges(tmp_path):
    view = method_dataset_view(small_graph())
    path = tmp_path / "view.gexf"
    write_gexf(view, path)
    back = nx.read_gexf(path)
    for source, target, data in view.edges(data=True):
        assert back.edges[source, target]["weight"] == data["weight"]
    for node, data in view.nodes(data=True):
        if data.get("aliases"):
            assert back.nodes[node]["aliases"] == "; ".join(data["aliases"])


def test_gexf_is_deterministic(tmp_path):
    write_gexf(small_graph(), tmp_path / "a.gexf")
    write_gexf(small_graph(), tmp_path / "b.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()


@pytest.mark.parametrize("make_graph", GRAPHS, ids=GRAPH_IDS)
def test_graphml_reads_back_with_networkx(tmp_path, make_graph):
    graph = make_graph()
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for source, target, data in graph.edges(data=True):
        edge = back.edges[source, target, data["relation"]]
        assert edge["relation"] == data["relation"]
        assert edge["confidence"] == pytest.approx(data["confidence"])
        # XML keeps every character but \x01 (made U+FFFD) and reads CRLF as LF
        sentence = data["evidence"][0].sentence.replace("\x01", "\ufffd").replace("\r\n", "\n")
        assert edge["evidence"] == sentence


def test_graphml_flattens_lists_and_keeps_types(tmp_path):
    graph = small_graph()
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path, force_multigraph=True)
    paper = next(n for n, d in graph.nodes(data=True) if d["type"] == schema.PAPER and d["authors"])
    assert back.nodes[paper]["authors"] == "; ".join(graph.nodes[paper]["authors"])
    assert back.nodes[paper]["year"] == graph.nodes[paper]["year"]


def test_igraph_reads_the_graphml(tmp_path):
    igraph = pytest.importorskip("igraph")
    graph = small_graph()
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    read = igraph.Graph.Read_GraphML(str(path))
    assert read.vcount() == graph.number_of_nodes()
    assert read.ecount() == graph.number_of_edges()
    assert sorted(read.vs["type"]) == sorted(t for _, t in graph.nodes(data="type"))
    assert sorted(read.es["relation"]) == sorted(r for _, _, r in graph.edges(data="relation"))
