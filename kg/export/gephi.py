"""Write the graph for Gephi and other graph tools: GEXF 1.3 (with viz data) and GraphML.

Format
------
GEXF 1.3 (https://gexf.net/schema.html): one ``<node>`` per node with its attributes,
``viz:color`` per node type, ``viz:size`` by degree and ``viz:position`` from
``kg.graph.layout``; one directed ``<edge>`` per edge whose ``label`` and ``kind`` are its
relation, ``weight`` its paper count.  GraphML (http://graphml.graphdrawing.org/) carries
the same attributes.  Lists are joined with ``"; "``; an edge's evidence is its primary
sentence; characters XML cannot hold become U+FFFD.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from kg.graph.layout import NODE_COLORS, RELATION_COLORS, layout_positions, node_sizes

__all__ = [
    "EDGE_ATTRIBUTES",
    "GEXF_NAMESPACE",
    "NODE_ATTRIBUTES",
    "VIZ_NAMESPACE",
    "generate_gexf",
    "write_gexf",
    "write_graphml",
]

GEXF_NAMESPACE = "http://gexf.net/1.3"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"

# attribute -> GEXF type; GraphML spells "integer" as "int".
NODE_ATTRIBUTES: dict[str, str] = {
    "type": "string",
    "name": "string",
    "aliases": "string",
    "papers": "integer",
    "title": "string",
    "year": "integer",
    "authors": "string",
    "doi": "string",
    "arxiv_id": "string",
    "url": "string",
    "host": "string",
    "value": "double",
    "unit": "string",
    "text": "string",
}
EDGE_ATTRIBUTES: dict[str, str] = {
    "relation": "string",
    "confidence": "double",
    "extractor": "string",
    "evidence": "string",
    "field": "string",
    "weight": "integer",
}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_gexf(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``graph`` as GEXF 1.3 for Gephi.

    >>> write_gexf(graph, "outputs/graph.gexf")   # doctest: +SKIP
    """
    tree = ET.ElementTree(generate_gexf(graph))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def generate_gexf(graph: nx.MultiDiGraph) -> ET.Element:
    """The GEXF 1.3 document of ``graph`` as an ElementTree element."""
    ET.register_namespace("", GEXF_NAMESPACE)
    ET.register_namespace("viz", VIZ_NAMESPACE)
    root = ET.Element(_gexf("gexf"), version="1.3")
    meta = ET.SubElement(root, _gexf("meta"))
    ET.SubElement(meta, _gexf("creator")).text = "kg"
    ET.SubElement(meta, _gexf("description")).text = "Knowledge graph of methods, datasets, metrics, tasks, code and results"
    body = ET.SubElement(root, _gexf("graph"), defaultedgetype="directed", idtype="string")
    for kind, columns in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        declared = ET.SubElement(body, _gexf("attributes"), {"class": kind})
        for name, value_type in columns.items():
            ET.SubElement(declared, _gexf("attribute"), id=name, title=name, type=value_type)

    positions = layout_positions(graph)
    sizes = node_sizes(graph)
    nodes = ET.SubElement(body, _gexf("nodes"), count=str(graph.number_of_nodes()))
    for node in sorted(graph):
        data = graph.nodes[node]
        element = ET.SubElement(nodes, _gexf("node"), id=_xml_text(node),
                                label=_xml_text(" ".join(str(data.get("name") or node).split())))
        _add_attvalues(element, node_values(data))
        ET.SubElement(element, _viz("color"), _rgb(NODE_COLORS.get(data["type"], "#888888")))
        x, y = positions[node]
        ET.SubElement(element, _viz("position"), x=repr(x), y=repr(-y), z="0.0")
        ET.SubElement(element, _viz("size"), value=repr(sizes[node]))

    edges = ET.SubElement(body, _gexf("edges"), count=str(graph.number_of_edges()))
    for index, (source, target, data) in enumerate(_sorted_edges(graph)):
        values = edge_values(data)
        element = ET.SubElement(
            edges, _gexf("edge"), id=str(index), source=_xml_text(source), target=_xml_text(target),
            label=values["relation"], kind=values["relation"], weight=f"{values['weight']:.1f}",
        )
        _add_attvalues(element, values)
        ET.SubElement(element, _viz("color"), _rgb(RELATION_COLORS.get(values["relation"], "#888888")))
    return root


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``graph`` as GraphML with the attributes of the GEXF file (lists as strings).

    >>> write_graphml(graph, "outputs/graph.graphml")   # doctest: +SKIP
    """
    flat = nx.MultiDiGraph()
    for node in sorted(graph):
        flat.add_node(_xml_text(node), **node_values(graph.nodes[node]))
    for source, target, data in _sorted_edges(graph):
        flat.add_edge(_xml_text(source), _xml_text(target), key=data["relation"], **edge_values(data))
    nx.write_graphml_xml(flat, path, named_key_ids=True)


def node_values(data: dict) -> dict[str, str | int | float]:
    """A node's exported attributes: lists joined with "; ", None left out, XML-safe text."""
    values = {}
    for name in NODE_ATTRIBUTES:
        value = data.get(name)
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(item) for item in value) or None
        if value is not None:
            values[name] = _xml_text(value) if isinstance(value, str) else value
    return values


def edge_values(data: dict) -> dict[str, str | int | float]:
    """An edge's exported attributes: its primary evidence sentence and field, and weight."""
    evidence = data.get("evidence") or []
    values = {
        "relation": data["relation"],
        "confidence": float(data.get("confidence", 1.0)),
        "extractor": _xml_text(data.get("extractor") or ""),
        "weight": int(data.get("weight", 1)),
    }
    if evidence:
        values["evidence"] = _xml_text(evidence[0].sentence)
        values["field"] = evidence[0].field
    return values


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict]]:
    return sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2]["relation"]))


def _add_attvalues(element: ET.Element, values: dict[str, str | int | float]) -> None:
    attvalues = ET.SubElement(element, _gexf("attvalues"))
    for name, value in values.items():
        ET.SubElement(attvalues, _gexf("attvalue"), {"for": name, "value": str(value)})


def _xml_text(value: object) -> str:
    """``value`` as text XML 1.0 can hold (other characters become U+FFFD)."""
    return _NOT_XML.sub("\ufffd", str(value))


def _rgb(color: str) -> dict[str, str]:
    return {channel: str(int(color[i : i + 2], 16)) for channel, i in zip("rgb", (1, 3, 5))}


def _gexf(tag: str) -> str:
    return f"{{{GEXF_NAMESPACE}}}{tag}"


def _viz(tag: str) -> str:
    return f"{{{VIZ_NAMESPACE}}}{tag}"
