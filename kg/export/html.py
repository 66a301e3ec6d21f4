"""Write the graph as one self-contained interactive HTML page that works offline.

The page draws the graph with vis-network, inlined from pyvis's own package files (pyvis's
templates fetch Bootstrap and vis from CDNs, so they are not used).  Graph data travels as
JSON in a ``<script type="application/json">`` block and is rendered with ``textContent``
only; a Content-Security-Policy allows nothing but the page's own (hashed) scripts and
forbids every network request.

Format
------
Open ``graph.html`` in any browser: a legend with node-type filters, a search box, a physics
toggle and a side panel with each node's papers and evidence sentences.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx

from kg.errors import ExportError
from kg.graph import schema
from kg.graph.layout import NODE_COLORS, RELATION_COLORS, layout_positions, node_sizes
from kg.graph.views import select_view, top_nodes
from kg.records import Evidence

__all__ = ["NODE_SHAPES", "PHYSICS_NODE_LIMIT", "HtmlSummary", "generate_html", "write_html"]

# Above this many drawn nodes the browser's physics stalls: positions come from Python only.
PHYSICS_NODE_LIMIT = 1000
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
_LABEL_LENGTH = 32
_PANEL_PAPERS = 50
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
    physics: bool = True

    def describe(self) -> str:
        """One line: what is drawn and, when the graph was cut, what was left out.

        >>> HtmlSummary("full", 2, 1, 5, {"Paper": 3}).describe()
        'full view: 2 of 5 nodes, 1 edges; left out the 3 least-connected nodes (3 Paper); raise max_nodes to draw them'
        """
        text = f"{self.view} view: {self.nodes} of {self.total_nodes} nodes, {self.edges} edges"
        if self.left_out:
            count = sum(self.left_out.values())
            kinds = ", ".join(f"{n} {kind}" for kind, n in self.left_out.items())
            text += f"; left out the {count} least-connected nodes ({kinds}); raise max_nodes to draw them"
        return text


def write_html(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    view: str = "full",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int = 1000,
) -> HtmlSummary:
    """Write ``graph`` (or one of its views) as a self-contained ``graph.html``.

    ``view`` is ``full``, ``method-dataset`` or ``paper`` (which needs ``focus``); ``focus``
    narrows any view to ``depth`` links around one paper or entity.  At most ``max_nodes``
    nodes are drawn (those with the most links); the summary says what was left out.

    >>> summary = write_html(graph, "outputs/graph.html")   # doctest: +SKIP
    >>> print(summary.describe())                           # doctest: +SKIP
    """
    page, summary = generate_html(graph, view=view, focus=focus, depth=depth, max_nodes=max_nodes)
    Path(path).write_text(page, encoding="utf-8")
    return summary


def generate_html(
    graph: nx.MultiDiGraph,
    *,
    view: str = "full",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int = 1000,
) -> tuple[str, HtmlSummary]:
    """The page's text and its summary (see ``write_html``)."""
    chosen = select_view(graph, view, focus, depth)
    shown, left_out = top_nodes(chosen, max_nodes)
    physics = shown.number_of_nodes() <= PHYSICS_NODE_LIMIT
    summary = HtmlSummary(view, shown.number_of_nodes(), shown.number_of_edges(),
                          chosen.number_of_nodes(), left_out, physics)
    heading = f"kg: {view} view" + (f" around {focus}" if focus else "")
    data = {
        "heading": heading,
        "note": summary.describe(),
        "physics": physics,
        "types": [
            {"type": kind, "color": NODE_COLORS[kind], "shape": NODE_SHAPES[kind][0],
             "glyph": NODE_SHAPES[kind][1],
             "count": sum(1 for _, t in shown.nodes(data="type") if t == kind)}
            for kind in schema.NODE_TYPES
            if any(t == kind for _, t in shown.nodes(data="type"))
        ],
        "relations": _relation_legend(shown),
        "nodes": _vis_nodes(shown),
        "edges": _vis_edges(shown),
        "details": {node: _details(graph, node) for node in sorted(shown)},
    }
    return _fill_template(data), summary


# -- the data drawn --------------------------------------------------------------------------

def _vis_nodes(shown: nx.MultiDiGraph) -> list[dict]:
    positions = layout_positions(shown)
    sizes = node_sizes(shown)
    nodes = []
    for node in sorted(shown):
        data = shown.nodes[node]
        name = _one_line(data.get("name") or node)
        nodes.append({
            "id": node,
            "type": data["type"],
            "name": name,
            "label": name if len(name) <= _LABEL_LENGTH else name[: _LABEL_LENGTH - 1] + "\u2026",
            "aliases": list(data.get("aliases") or ()),
            "x": positions[node][0],
            "y": positions[node][1],
            "size": sizes[node],
        })
    return nodes


def _vis_edges(shown: nx.MultiDiGraph) -> list[dict]:
    return [
        {"from": source, "to": target, "relation": data["relation"], "weight": data.get("weight", 1)}
        for source, target, data in sorted(shown.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"]))
    ]


def _relation_legend(shown: nx.MultiDiGraph) -> list[dict]:
    relations = sorted({relation for _, _, relation in shown.edges(data="relation")})
    return [{"relation": r, "color": RELATION_COLORS.get(r, "#888888")} for r in relations]


# -- the side panel --------------------------------------------------------------------------

def _details(graph: nx.MultiDiGraph, node: str) -> dict:
    """What the side panel shows for one node, read from the full graph."""
    data = graph.nodes[node]
    papers = _linked_papers(graph, node)
    return {
        "name": _one_line(data.get("name") or node),
        "type": data["type"],
        "aliases": list(data.get("aliases") or ()),
        "facts": _facts(data),
        "url": _paper_url(data) if data["type"] == schema.PAPER else _safe_url(data.get("url")),
        "papers": papers[:_PANEL_PAPERS],
        "morePapers": max(len(papers) - _PANEL_PAPERS, 0),
        "links": [
            {"id": target, "name": _one_line(graph.nodes[target].get("name") or target),
             "type": graph.nodes[target]["type"], "relation": edge["relation"],
             "evidence": _evidence_list(edge["evidence"])}
            for _, target, edge in sorted(graph.out_edges(node, data=True), key=lambda e: (e[2]["relation"], e[1]))
        ],
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
    """The papers linking to ``node`` directly or through a result, with their evidence."""
    relations: dict[str, set[str]] = {}
    evidence: dict[str, list[Evidence]] = {}
    for source, _, edge in graph.in_edges(node, data=True):
        source_data = graph.nodes[source]
        paper = source if source_data["type"] == schema.PAPER else source_data.get("paper")
        if paper not in graph:
            continue
        relations.setdefault(paper, set()).add(edge["relation"])
        evidence.setdefault(paper, []).extend(edge["evidence"])
    papers = []
    for paper in sorted(relations, key=lambda p: (-len(evidence[p]), p)):
        data = graph.nodes[paper]
        papers.append({
            "id": paper,
            "title": _one_line(data.get("title") or data.get("name") or paper),
            "url": _paper_url(data),
            "code": [graph.nodes[t]["url"] for _, t, rel in graph.out_edges(paper, data="relation")
                     if rel == schema.HAS_CODE and _safe_url(graph.nodes[t].get("url"))],
            "relations": sorted(relations[paper]),
            "evidence": _evidence_list(evidence[paper]),
        })
    return papers


def _evidence_list(found: Iterable[Evidence]) -> list[dict]:
    """The first few distinct evidence sentences, each split around its mention."""
    unique = list(dict.fromkeys(found))
    return [_split_sentence(e) for e in unique[:_PANEL_EVIDENCE]]


def _split_sentence(evidence: Evidence) -> dict:
    """{field, before, mention, after}: the sentence cut around the mention it holds."""
    sentence = evidence.sentence or evidence.text
    start = evidence.start - evidence.sentence_start
    end = evidence.end - evidence.sentence_start
    if not (0 <= start <= end <= len(sentence) and sentence[start:end] == evidence.text):
        start = sentence.find(evidence.text) if evidence.text else -1
        end = start + len(evidence.text)
    if start < 0:
        return {"field": evidence.field, "before": sentence, "mention": "", "after": ""}
    return {"field": evidence.field, "before": sentence[:start],
            "mention": sentence[start:end], "after": sentence[end:]}


def _paper_url(data: dict) -> str | None:
    """The paper's own URL, else its arXiv abstract page, else its DOI resolver link."""
    if _safe_url(data.get("url")):
        return data["url"]
    if data.get("arxiv_id"):
        return f"https://arxiv.org/abs/{data['arxiv_id']}"
    if data.get("doi"):
        return f"https://doi.org/{data['doi']}"
    return None


def _safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link (never ``javascript:`` or the like), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _one_line(text: str) -> str:
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
