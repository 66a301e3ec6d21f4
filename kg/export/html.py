"""Write the graph as one self-contained interactive HTML page that works offline.

The page draws the graph with vis-network, inlined from pyvis's own package files (pyvis's
templates fetch Bootstrap and vis from CDNs, so they are not used).  Graph data travels as
JSON in a ``<script type="application/json">`` block and is rendered with ``textContent``
only; a Content-Security-Policy allows nothing but the page's own (hashed) scripts and
forbids every network request.

Format
------
Open ``graph.html`` in any browser.  The default view is the entity map: methods, datasets,
tasks and metrics sized by their number of papers and linked by the papers that use them
together.  Papers, results, repositories and the entities off the map are in the page too,
drawn on demand: a legend checkbox per group (with drawn/total counts), the search box
(which reaches every node in the page) and the side panel (each node's papers, links and
evidence sentences) bring them in.  ``graph.html#focus=<node id>`` opens focused on a node.
Positions are computed here, so nothing drifts; labels are drawn at a bounded screen size,
most important first, and a label that would overlap one already drawn is left out.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx

from kg.errors import ExportError, KGError
from kg.graph import schema
from kg.graph.layout import (
    NODE_COLORS,
    RELATION_FAMILIES,
    RELATION_FAMILY,
    layout_positions,
    node_sizes,
    packed_positions,
    place_around,
)
from kg.graph.views import entity_map, select_view, top_nodes
from kg.records import Evidence

__all__ = ["DEFAULT_VIEW", "NODE_SHAPES", "HtmlSummary", "generate_html", "one_line", "safe_url", "write_html"]

DEFAULT_VIEW = "entity-map"
# vis-network shape and the legend's matching glyph, per node type.
NODE_SHAPES: dict[str, tuple[str, str]] = {
    schema.PAPER: ("square", "\u25a0"),
    schema.METHOD: ("dot", "\u25cf"),
    schema.DATASET: ("diamond", "\u25c6"),
    schema.METRIC: ("triangle", "\u25b2"),
    schema.TASK: ("star", "\u2605"),
    schema.REPOSITORY: ("hexagon", "\u2b22"),
    schema.RESULT: ("triangleDown", "\u25bc"),
}
# The group of the entities a view does not draw at opening (linked to nothing in the view,
# or past map_nodes): drawn on demand like the entity map's papers, results and repositories.
OTHER_ENTITIES = "Other entities"
# The entity map draws at most this many entities at opening (those in most papers): more
# make a hairball whose labels cannot be read.
MAP_NODES = 150
# Papers, results, repositories and other entities travel in the page (searchable, drawn on
# demand) up to this many times max_nodes.
_ON_DEMAND_FACTOR = 4
_LABEL_LENGTH = 28
_PANEL_PAPERS = 50
_PANEL_LINKS = 30
_PANEL_EVIDENCE = 3
_VIS_DIRECTORY = "templates/lib/vis-9.1.2"


@dataclass(frozen=True)
class HtmlSummary:
    """What a written page shows: the CLI prints ``describe()``."""

    view: str
    nodes: int
    edges: int
    total_nodes: int
    left_out: dict[str, int] = field(default_factory=dict)
    on_demand: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        """One line: what is drawn, what is drawn on demand and what was left out.

        >>> HtmlSummary("full", 2, 1, 5, {"Paper": 3}).describe()
        'full view: 2 of 5 nodes drawn, 1 links; left out the 3 least-connected nodes (3 Paper); raise max_nodes to draw them'
        >>> HtmlSummary("entity-map", 2, 1, 9, {}, {"Paper": 7}).describe()
        'entity-map view: 2 of 9 nodes drawn, 1 links; 7 Paper drawn on demand (tick them in the legend, search, or open them from the panel)'
        """
        text = f"{self.view} view: {self.nodes} of {self.total_nodes} nodes drawn, {self.edges} links"
        if self.on_demand:
            groups = ", ".join(f"{n} {group}" for group, n in self.on_demand.items())
            text += f"; {groups} drawn on demand (tick them in the legend, search, or open them from the panel)"
        if self.left_out:
            count = sum(self.left_out.values())
            kinds = ", ".join(f"{n} {kind}" for kind, n in self.left_out.items())
            text += f"; left out the {count} least-connected nodes ({kinds}); raise max_nodes to draw them"
        return text


@dataclass(frozen=True)
class _Page:
    """What the page holds: its nodes (in label priority order) and links, each node's
    legend group, the groups drawn at opening, positions and sizes."""

    graph: nx.MultiDiGraph
    order: list[str]
    groups: dict[str, str]
    shown: frozenset[str]
    positions: dict[str, tuple[float, float]]
    sizes: dict[str, float]
    left_out: dict[str, int]
    total_nodes: int


def write_html(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    view: str = DEFAULT_VIEW,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int = 1000,
    map_nodes: int = MAP_NODES,
) -> HtmlSummary:
    """Write ``graph`` (or one of its views) as a self-contained ``graph.html``.

    ``view`` is ``entity-map`` (methods, datasets, tasks and metrics linked by the papers
    that use them together; papers, results and repositories drawn on demand), ``full``,
    ``method-dataset`` or ``paper`` (which needs ``focus``); ``focus`` narrows a view to
    ``depth`` links around one paper or entity.  At most ``max_nodes`` nodes are drawn
    (those with the most links; the entity map opens with its ``map_nodes`` entities in most
    papers and holds ``4 * max_nodes`` more on demand); the summary says what was left out.

    >>> summary = write_html(graph, "outputs/graph.html")   # doctest: +SKIP
    >>> print(summary.describe())                           # doctest: +SKIP
    """
    page, summary = generate_html(graph, view=view, focus=focus, depth=depth, max_nodes=max_nodes,
                                  map_nodes=map_nodes)
    Path(path).write_text(page, encoding="utf-8")
    return summary


def generate_html(
    graph: nx.MultiDiGraph,
    *,
    view: str = DEFAULT_VIEW,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int = 1000,
    map_nodes: int = MAP_NODES,
) -> tuple[str, HtmlSummary]:
    """The page's text and its summary (see ``write_html``)."""
    if view == DEFAULT_VIEW and focus is None:
        if max_nodes < 1:
            raise KGError(f"max_nodes must be at least 1, got {max_nodes}")
        page = _entity_map_page(graph, max_nodes, min(map_nodes, max_nodes))
    else:
        page = _view_page(select_view(graph, view, focus, depth), max_nodes)
    drawn = [node for node in page.order if page.groups[node] in page.shown]
    drawn_set = set(drawn)
    drawn_edges = sum(1 for u, v in page.graph.edges() if u in drawn_set and v in drawn_set)
    on_demand = Counter(page.groups[node] for node in page.order if node not in drawn_set)
    summary = HtmlSummary(view, len(drawn), drawn_edges, page.total_nodes, page.left_out,
                          {group: on_demand[group] for group in _group_order(page) if on_demand[group]})
    heading = "kg: entity map" if view == DEFAULT_VIEW else f"kg: {view} view"
    data = {
        "heading": heading + (f" around {one_line(focus)}" if focus else ""),
        "note": summary.describe(),
        "types": [
            {"type": kind, "color": NODE_COLORS[kind], "shape": NODE_SHAPES[kind][0],
             "glyph": NODE_SHAPES[kind][1]}
            for kind in schema.NODE_TYPES
        ],
        "groups": [
            {"group": group, "type": _group_type(group), "shown": group in page.shown,
             "total": sum(1 for n in page.order if page.groups[n] == group)}
            for group in _group_order(page)
        ],
        "families": _family_legend(page.graph),
        "nodes": _vis_nodes(page),
        "edges": _vis_edges(page.graph),
        "details": {node: _details(graph, page.graph, node) for node in page.order},
    }
    return _fill_template(data), summary


# -- what the page holds ---------------------------------------------------------------------

def _entity_map_page(graph: nx.MultiDiGraph, max_nodes: int, map_nodes: int) -> _Page:
    """The entity map: the ``map_nodes`` linked entities in most papers, laid out; up to
    ``_ON_DEMAND_FACTOR * max_nodes`` other entities, papers, results and repositories
    placed around them, drawn on demand."""
    mapped = entity_map(graph)
    entities = sorted(mapped, key=lambda node: (-_papers(graph, node), -mapped.degree(node), node))
    # Entities no paper uses with another stay off the map, unless none are linked at all.
    on_map = ([node for node in entities if mapped.degree(node) > 0] or entities)[:map_nodes]
    on_map_set = set(on_map)
    rest = [node for node in graph if node not in on_map_set]
    rest.sort(key=lambda node: (-graph.degree(node), node))
    limit = _ON_DEMAND_FACTOR * max_nodes
    on_demand, left = rest[:limit], rest[limit:]
    order = on_map + on_demand
    page = nx.MultiDiGraph()
    page.add_nodes_from((node, graph.nodes[node]) for node in order)
    page.add_edges_from((u, v, k, d) for u, v, k, d in mapped.edges(keys=True, data=True)
                        if u in on_map_set and v in on_map_set)
    page.add_edges_from((u, v, k, d) for u, v, k, d in graph.subgraph(order).edges(keys=True, data=True))
    positions = packed_positions(mapped.subgraph(on_map))
    positions.update(place_around(page, positions))
    papers = {node: _papers(graph, node) for node in on_map}
    sizes = node_sizes(page.subgraph(on_map), smallest=10.0, largest=36.0, values=papers)
    sizes.update({node: 8.0 for node in on_demand})
    groups = {node: graph.nodes[node]["type"] for node in order}
    groups.update({node: OTHER_ENTITIES for node in on_demand if node in mapped})
    return _Page(page, order, groups, frozenset(schema.ENTITY_NODE_TYPES), positions, sizes,
                 dict(sorted(Counter(graph.nodes[n]["type"] for n in left).items())), graph.number_of_nodes())


def _view_page(chosen: nx.MultiDiGraph, max_nodes: int) -> _Page:
    """Any other view: its ``max_nodes`` best-connected nodes, all drawn but the entities it
    links to nothing (drawn on demand, as "Other entities")."""
    shown, left_out = top_nodes(chosen, max_nodes)
    order = sorted(shown, key=lambda node: (-shown.degree(node), node))
    groups = {node: shown.nodes[node]["type"] for node in order}
    groups.update({node: OTHER_ENTITIES for node in order
                   if shown.degree(node) == 0 and groups[node] in schema.ENTITY_NODE_TYPES})
    linked = [node for node in order if groups[node] != OTHER_ENTITIES]
    positions = packed_positions(shown.subgraph(linked))
    positions.update(place_around(shown, positions))
    return _Page(shown, order, groups, frozenset(groups[node] for node in linked), positions,
                 node_sizes(shown), left_out, chosen.number_of_nodes())


def _papers(graph: nx.MultiDiGraph, node: str) -> int:
    return int(graph.nodes[node].get("papers") or 0)


def _group_order(page: _Page) -> list[str]:
    present = set(page.groups.values())
    return [g for g in (*schema.NODE_TYPES, OTHER_ENTITIES) if g in present]


def _group_type(group: str) -> str:
    """The node type whose colour and glyph a legend group shows."""
    return group if group in schema.NODE_TYPES else schema.METHOD


# -- the data drawn --------------------------------------------------------------------------

def _vis_nodes(page: _Page) -> list[dict]:
    nodes = []
    for node in page.order:
        data = page.graph.nodes[node]
        name = one_line(data.get("name") or node)
        nodes.append({
            "id": node,
            "type": data["type"],
            "group": page.groups[node],
            "name": name,
            "label": name if len(name) <= _LABEL_LENGTH else name[: _LABEL_LENGTH - 1] + "\u2026",
            "aliases": list(data.get("aliases") or ()),
            "x": page.positions[node][0],
            "y": page.positions[node][1],
            "size": page.sizes[node],
        })
    return nodes


def _vis_edges(shown: nx.MultiDiGraph) -> list[dict]:
    return [
        {"from": source, "to": target, "family": RELATION_FAMILY.get(data["relation"], data["relation"]),
         "relation": data["relation"], "weight": data.get("weight", 1)}
        for source, target, data in sorted(shown.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"]))
    ]


def _family_legend(shown: nx.MultiDiGraph) -> list[dict]:
    """The relation families of the page's links, in ``RELATION_FAMILIES`` order."""
    present = Counter(RELATION_FAMILY.get(relation, relation) for _, _, relation in shown.edges(data="relation"))
    known = [f for f in RELATION_FAMILIES if f in present] + sorted(f for f in present if f not in RELATION_FAMILIES)
    return [{"family": f, "color": RELATION_FAMILIES[f][0] if f in RELATION_FAMILIES else "#888888",
             "total": present[f]} for f in known]


# -- the side panel --------------------------------------------------------------------------

def _details(graph: nx.MultiDiGraph, page: nx.MultiDiGraph, node: str) -> dict:
    """What the side panel shows for one node, read from the full graph (and the page's
    entity-map links)."""
    data = graph.nodes[node]
    papers = _linked_papers(graph, node)
    links = [
        {"id": target, "name": one_line(graph.nodes[target].get("name") or target),
         "type": graph.nodes[target]["type"], "relation": edge["relation"],
         "evidence": _evidence_sentences(edge["evidence"])}
        for _, target, edge in sorted(graph.out_edges(node, data=True), key=lambda e: (e[2]["relation"], e[1]))
    ]
    co_used = [(target, edge) for _, target, edge in page.out_edges(node, data=True) if "weight" in edge]
    co_used += [(source, edge) for source, _, edge in page.in_edges(node, data=True) if "weight" in edge]
    co_used.sort(key=lambda item: (-item[1]["weight"], item[0]))
    links += [
        {"id": other, "name": one_line(page.nodes[other].get("name") or other),
         "type": page.nodes[other]["type"], "relation": edge["relation"],
         "papers": edge["weight"], "evidence": []}
        for other, edge in co_used[:_PANEL_LINKS]
    ]
    return {
        "name": one_line(data.get("name") or node),
        "type": data["type"],
        "aliases": list(data.get("aliases") or ()),
        "facts": _facts(data),
        "url": _paper_url(data) if data["type"] == schema.PAPER else safe_url(data.get("url")),
        "papers": papers[:_PANEL_PAPERS],
        "morePapers": max(len(papers) - _PANEL_PAPERS, 0),
        "links": links,
    }


def _facts(data: dict) -> list[list[str]]:
    kind = data["type"]
    if kind == schema.PAPER:
        facts = [["Year", data.get("year")], ["Authors", ", ".join(data.get("authors") or ())],
                 ["DOI", data.get("doi")], ["arXiv", data.get("arxiv_id")],
                 ["Source", f"{data.get('source_file')}:{data.get('source_line')}" if data.get("source_file") else None]]
    elif kind == schema.RESULT:
        facts = [["Value", f"{data.get('value'):g}"], ["Unit", data.get("unit")], ["As written", data.get("text")]]
    elif kind == schema.REPOSITORY:
        facts = [["Host", data.get("host")], ["Papers", data.get("papers")]]
    else:
        facts = [["Papers", data.get("papers")]]
    return [[label, str(value)] for label, value in facts if value not in (None, "")]


def _linked_papers(graph: nx.MultiDiGraph, node: str) -> list[dict]:
    """The papers linking to ``node`` directly or through a result, with their evidence:
    a paper's own links to the node when it has any, else its results' sentences."""
    relations: dict[str, set[str]] = {}
    direct: dict[str, list[Evidence]] = {}
    through_results: dict[str, list[Evidence]] = {}
    for source, _, edge in graph.in_edges(node, data=True):
        source_data = graph.nodes[source]
        is_paper = source_data["type"] == schema.PAPER
        paper = source if is_paper else source_data.get("paper")
        if paper not in graph:
            continue
        relations.setdefault(paper, set()).add(edge["relation"])
        (direct if is_paper else through_results).setdefault(paper, []).extend(edge["evidence"])
    papers = []
    for paper in sorted(relations, key=lambda p: (-len(direct.get(p, ())), p)):
        data = graph.nodes[paper]
        papers.append({
            "id": paper,
            "title": one_line(data.get("title") or data.get("name") or paper),
            "url": _paper_url(data),
            "code": [graph.nodes[t]["url"] for _, t, rel in graph.out_edges(paper, data="relation")
                     if rel == schema.HAS_CODE and safe_url(graph.nodes[t].get("url"))],
            "relations": sorted(relations[paper]),
            "evidence": _evidence_sentences(direct.get(paper) or through_results.get(paper, [])),
        })
    return papers


def _evidence_sentences(found: Iterable[Evidence], limit: int = _PANEL_EVIDENCE) -> list[dict]:
    """The first ``limit`` distinct sentences of ``found``, each once with all its mentions
    marked: ``{"field": ..., "parts": [[text, marked], ...]}``.

    >>> e = Evidence("BERT", "abstract", 4, 8, "Use BERT; BERT wins.", 0, "test")
    >>> f = Evidence("BERT", "abstract", 10, 14, "Use BERT; BERT wins.", 0, "test")
    >>> _evidence_sentences([e, f])
    [{'field': 'abstract', 'parts': [['Use ', False], ['BERT', True], ['; ', False], ['BERT', True], [' wins.', False]]}]
    """
    sentences: dict[tuple[str, int, str], set[tuple[int, int]]] = {}
    for evidence in found:
        sentence = evidence.sentence or evidence.text
        offset = evidence.sentence_start if evidence.sentence else evidence.start
        start, end = evidence.start - offset, evidence.end - offset
        if not (0 <= start < end <= len(sentence) and sentence[start:end] == evidence.text):
            start = sentence.find(evidence.text) if evidence.text else -1
            end = start + len(evidence.text)
        marks = sentences.setdefault((evidence.field, offset, sentence), set())
        if start >= 0:
            marks.add((start, end))
    shown = []
    for (field_name, _, sentence), marks in list(sentences.items())[:limit]:
        parts: list[list[str | bool]] = []
        cursor = 0
        for start, end in sorted(marks):
            start = max(start, cursor)
            if end <= start:
                continue
            if start > cursor:
                parts.append([sentence[cursor:start], False])
            parts.append([sentence[start:end], True])
            cursor = end
        if cursor < len(sentence):
            parts.append([sentence[cursor:], False])
        shown.append({"field": field_name, "parts": parts})
    return shown


def _paper_url(data: dict) -> str | None:
    """The paper's own URL, else its arXiv abstract page, else its DOI resolver link."""
    if safe_url(data.get("url")):
        return data["url"]
    if data.get("arxiv_id"):
        return f"https://arxiv.org/abs/{data['arxiv_id']}"
    if data.get("doi"):
        return f"https://doi.org/{data['doi']}"
    return None


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link (never ``javascript:`` or the like), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def one_line(text: str) -> str:
    """Control characters and line breaks as single spaces (labels are drawn on one line)."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", str(text)).strip()


# -- the page --------------------------------------------------------------------------------

def _fill_template(data: dict) -> str:
    """The page template with its assets and the data block filled in."""
    vis = _vis_directory()
    vis_js = re.sub(r"//# sourceMappingURL=\S+", "", (vis / "vis-network.min.js").read_text("utf-8"))
    app_js = _asset("app.js")
    parts = {
        "title": "kg knowledge graph",
        "vis_css": (vis / "vis-network.css").read_text("utf-8"),
        "app_css": _asset("app.css"),
        "vis_js": vis_js,
        "app_js": app_js,
        "data": _script_json(data),
        "script_hashes": " ".join(_csp_hash(script) for script in (vis_js, app_js)),
    }
    for name in ("vis_js", "app_js", "vis_css", "app_css"):
        if re.search(r"</(script|style)", parts[name], re.IGNORECASE):
            raise ExportError(f"asset {name} cannot be inlined: it contains a closing tag")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))


def _script_json(data: dict) -> str:
    """JSON safe inside a <script> block: ASCII only, with <, > and & escaped."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _asset(name: str) -> str:
    return resources.files("kg.export").joinpath("html_assets", name).read_text("utf-8")


def _vis_directory() -> Path:
    """vis-network's files as pyvis ships them."""
    try:
        import pyvis
    except ImportError as error:
        raise ExportError(f"the HTML export needs pyvis for vis-network: {error}") from None
    directory = Path(pyvis.__file__).parent / _VIS_DIRECTORY
    if not (directory / "vis-network.min.js").is_file():
        raise ExportError(f"pyvis does not ship vis-network where expected: {directory}")
    return directory
