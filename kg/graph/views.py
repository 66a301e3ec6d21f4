"""Subgraph views of the kg graph: method-dataset, focus on one node, top nodes by degree.

Every view returns a new ``networkx.MultiDiGraph`` whose nodes keep their attributes from
the source graph (``kg.graph.schema``).  Aggregated edges add ``weight`` (number of papers)
and ``papers`` (their sorted node ids).
"""
from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.errors import KGError
from kg.graph import schema
from kg.records import Evidence

__all__ = [
    "EVALUATED_ON",
    "VIEWS",
    "find_node",
    "focus_view",
    "method_dataset_view",
    "select_view",
    "top_nodes",
]

# The relation of the aggregated Method -> Dataset edges of ``method_dataset_view``.
EVALUATED_ON = "evaluatedOn"
VIEWS = ("full", "method-dataset", "paper")

_METHOD_RELATIONS = (schema.PROPOSES, schema.USES)
_DATASET_RELATIONS = (schema.EVALUATES_ON, schema.INTRODUCES)


def method_dataset_view(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Methods and the datasets they were evaluated on, one weighted edge per pair.

    A method is tied to a dataset by a paper that proposes or uses the method and evaluates
    on (or introduces) the dataset, or by a result of that method on that dataset.  The edge's
    ``weight`` is the number of such papers, ``papers`` their ids, ``evidence`` the evidence
    of the paper edges and results that tie them, ``confidence`` the best pair's lower one.
    """
    support: dict[tuple[str, str], dict[str, list[tuple[float, list[Evidence]]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for paper in _nodes_of_type(graph, schema.PAPER):
        methods = _targets(graph, paper, _METHOD_RELATIONS)
        datasets = _targets(graph, paper, _DATASET_RELATIONS)
        for method, (method_confidence, method_evidence) in methods.items():
            for dataset, (dataset_confidence, dataset_evidence) in datasets.items():
                support[method, dataset][paper].append(
                    (min(method_confidence, dataset_confidence), method_evidence + dataset_evidence)
                )
    for result in _nodes_of_type(graph, schema.RESULT):
        data = graph.nodes[result]
        if data.get("method") and data.get("dataset"):
            edge = graph.edges[result, data["method"], schema.RESULT_METHOD]
            support[data["method"], data["dataset"]][data["paper"]].append(
                (edge["confidence"], list(edge["evidence"]))
            )
    view = nx.MultiDiGraph()
    for node in _nodes_of_type(graph, schema.METHOD, schema.DATASET):
        view.add_node(node, **graph.nodes[node])
    for (method, dataset), papers in sorted(support.items()):
        ties = [tie for paper in sorted(papers) for tie in papers[paper]]
        evidence = list(dict.fromkeys(e for _, found in ties for e in found))
        view.add_edge(
            method,
            dataset,
            key=EVALUATED_ON,
            relation=EVALUATED_ON,
            confidence=max(confidence for confidence, _ in ties),
            extractor=evidence[0].source if evidence else "",
            evidence=evidence,
            weight=len(papers),
            papers=sorted(papers),
        )
    return view


def focus_view(graph: nx.MultiDiGraph, name_or_id: str, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links (either direction) of one paper or entity.

    ``name_or_id`` is a node id, or a name, alias or title matched case-insensitively;
    an unknown name raises ``KGError`` listing close matches.
    """
    if depth < 0:
        raise KGError(f"focus depth must be 0 or more, got {depth}")
    center = find_node(graph, name_or_id)
    keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), center, depth)
    return nx.MultiDiGraph(graph.subgraph(sorted(keep)))


def top_nodes(graph: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """Keep the ``max_nodes`` nodes of highest degree (ties by id); also count, per node
    type, the nodes left out.

    >>> graph = nx.MultiDiGraph([("a", "b"), ("a", "c")])
    >>> nx.set_node_attributes(graph, "Method", "type")
    >>> kept, left_out = top_nodes(graph, 1)
    >>> list(kept), left_out
    (['a'], {'Method': 2})
    """
    if max_nodes < 1:
        raise KGError(f"max_nodes must be at least 1, got {max_nodes}")
    if graph.number_of_nodes() <= max_nodes:
        return nx.MultiDiGraph(graph), {}
    ranked = sorted(graph.degree(), key=lambda item: (-item[1], str(item[0])))
    keep = sorted((node for node, _ in ranked[:max_nodes]), key=str)
    left_out = Counter(graph.nodes[node]["type"] for node, _ in ranked[max_nodes:])
    return nx.MultiDiGraph(graph.subgraph(keep)), dict(sorted(left_out.items()))


def select_view(
    graph: nx.MultiDiGraph, view: str = "full", focus: str | None = None, depth: int = 1
) -> nx.MultiDiGraph:
    """The named view (one of ``VIEWS``), narrowed to ``depth`` links around ``focus`` if given.

    ``"paper"`` is the focus view of the full graph and needs ``focus``.
    """
    if view not in VIEWS:
        raise KGError(f"unknown view {view!r}; expected one of: {', '.join(VIEWS)}")
    if view == "paper" and focus is None:
        raise KGError("the 'paper' view needs a focus: the title, name or id of a paper or entity")
    chosen = method_dataset_view(graph) if view == "method-dataset" else graph
    return chosen if focus is None else focus_view(chosen, focus, depth)


def find_node(graph: nx.MultiDiGraph, name_or_id: str) -> str:
    """The node whose id, or case-insensitively whose name, title or alias, is ``name_or_id``.

    Names win over aliases; among equal matches the first node type in
    ``schema.NODE_TYPES`` wins, then the smallest id.
    """
    if name_or_id in graph:
        return name_or_id
    wanted = name_or_id.strip().casefold()
    candidates: list[tuple[int, int, str]] = []
    for node, data in graph.nodes(data=True):
        type_rank = schema.NODE_TYPES.index(data["type"])
        for is_alias, label in _labels(data):
            if label.casefold() == wanted:
                candidates.append((is_alias, type_rank, node))
    if candidates:
        return min(candidates)[2]
    known = sorted({label for _, data in graph.nodes(data=True) for _, label in _labels(data)})
    folded = {label.casefold(): label for label in known}
    close = [folded[m] for m in difflib.get_close_matches(wanted, list(folded), n=5, cutoff=0.6)]
    hint = f"; close matches: {', '.join(repr(c) for c in close)}" if close else ""
    raise KGError(f"no paper or entity named {name_or_id!r} in the graph{hint}")


def _labels(data: dict) -> Iterable[tuple[bool, str]]:
    """(is an alias, label) for a node's name, title and aliases."""
    yield False, data.get("name") or ""
    if data.get("title"):
        yield False, data["title"]
    for alias in data.get("aliases") or ():
        yield True, alias


def _nodes_of_type(graph: nx.MultiDiGraph, *types: str) -> list[str]:
    return sorted(node for node, kind in graph.nodes(data="type") if kind in types)


def _targets(
    graph: nx.MultiDiGraph, paper: str, relations: tuple[str, ...]
) -> dict[str, tuple[float, list[Evidence]]]:
    """Target -> (confidence, evidence) of a paper's edges of the given relations."""
    found = {}
    for _, target, data in graph.out_edges(paper, data=True):
        if data["relation"] in relations:
            found[target] = (data["confidence"], list(data["evidence"]))
    return found
