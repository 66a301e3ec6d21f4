"""Subgraph views of the kg graph: the entity map, method-dataset, focus on one node, top nodes.

Every view returns a new ``networkx.MultiDiGraph`` whose nodes keep their attributes from
the source graph (``kg.graph.schema``).  Aggregated edges add ``weight`` (number of papers)
and ``papers`` (their sorted node ids).
"""
from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx

from kg.errors import UsageError
from kg.graph import schema
from kg.records import Evidence

__all__ = [
    "APPLIED_TO",
    "ENTITY_LINKS",
    "EVALUATED_ON",
    "SCORED_WITH",
    "VIEWS",
    "entity_map",
    "find_node",
    "focus_view",
    "method_dataset_view",
    "select_view",
    "top_nodes",
]

# The relations of the aggregated entity -> entity edges of ``entity_map``.
EVALUATED_ON = "evaluatedOn"
APPLIED_TO = "appliedTo"
SCORED_WITH = "scoredWith"
# (source type, target type) -> relation: how papers use two kinds of entity together.
ENTITY_LINKS: Mapping[tuple[str, str], str] = {
    (schema.METHOD, schema.DATASET): EVALUATED_ON,
    (schema.METHOD, schema.TASK): APPLIED_TO,
    (schema.DATASET, schema.METRIC): SCORED_WITH,
}
VIEWS = ("entity-map", "full", "method-dataset", "paper")

# One tie of two entities in one paper: (confidence, evidence).
_Tie = tuple[float, list[Evidence]]


def entity_map(
    graph: nx.MultiDiGraph, links: Mapping[tuple[str, str], str] = ENTITY_LINKS
) -> nx.MultiDiGraph:
    """Entities of the types in ``links``, with one weighted edge per pair papers use together.

    A paper ties a method to a dataset (``evaluatedOn``) when it links to both, or reports
    a result of that method on that dataset; likewise a method to a task (``appliedTo``) and
    a dataset to a metric (``scoredWith``).  The edge's ``weight`` is the number of such
    papers, ``papers`` their ids, ``evidence`` the evidence of the paper edges and results
    that tie them, ``confidence`` the best tie's lower one.  Entity -> entity edges the
    graph already has (an aggregated graph of a streamed build) are kept as they are.
    """
    support: dict[tuple[str, str], dict[str, list[_Tie]]] = defaultdict(lambda: defaultdict(list))
    for paper in _nodes_of_type(graph, schema.PAPER):
        for pair, tie in _paper_ties(graph, paper, links):
            support[pair][paper].append(tie)
    kinds = {kind for pair in links for kind in pair}
    view = nx.MultiDiGraph()
    for node in _nodes_of_type(graph, *kinds):
        view.add_node(node, **graph.nodes[node])
    for source, target, key, data in graph.edges(keys=True, data=True):
        if source in view and target in view:
            view.add_edge(source, target, key=key, **data)
    for (source, target), papers in sorted(support.items()):
        relation = links[graph.nodes[source]["type"], graph.nodes[target]["type"]]
        ties = [tie for paper in sorted(papers) for tie in papers[paper]]
        evidence = list(dict.fromkeys(e for _, found in ties for e in found))
        view.add_edge(
            source,
            target,
            key=relation,
            relation=relation,
            confidence=max(confidence for confidence, _ in ties),
            extractor=evidence[0].source if evidence else "",
            evidence=evidence,
            weight=len(papers),
            papers=sorted(papers),
        )
    return view


def method_dataset_view(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Methods and the datasets they were evaluated on: the entity map of those two types."""
    return entity_map(graph, {(schema.METHOD, schema.DATASET): EVALUATED_ON})


def _paper_ties(
    graph: nx.MultiDiGraph, paper: str, links: Mapping[tuple[str, str], str]
) -> Iterable[tuple[tuple[str, str], _Tie]]:
    """((source, target), tie) for each pair of ``links`` types one paper uses together."""
    linked: dict[str, dict[str, _Tie]] = defaultdict(dict)
    for _, target, data in graph.out_edges(paper, data=True):
        kind = graph.nodes[target]["type"]
        if kind in schema.ENTITY_NODE_TYPES:
            linked[kind][target] = (data["confidence"], list(data["evidence"]))
    for (source_type, target_type) in links:
        for source, (source_confidence, source_evidence) in linked[source_type].items():
            for target, (target_confidence, target_evidence) in linked[target_type].items():
                yield (source, target), (min(source_confidence, target_confidence),
                                         source_evidence + target_evidence)
    for _, result, relation in graph.out_edges(paper, data="relation"):
        if relation != schema.REPORTS_RESULT:
            continue
        data = graph.nodes[result]
        ends = {graph.nodes[node]["type"]: (node, relation) for node, relation in (
            (data.get("method"), schema.RESULT_METHOD), (data.get("dataset"), schema.RESULT_DATASET),
            (data.get("metric"), schema.RESULT_METRIC)) if node}
        for (source_type, target_type) in links:
            if source_type in ends and target_type in ends:
                source, source_relation = ends[source_type]
                edge = graph.edges[result, source, source_relation]
                yield (source, ends[target_type][0]), (edge["confidence"], list(edge["evidence"]))


def focus_view(graph: nx.MultiDiGraph, name_or_id: str, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links (either direction) of one paper or entity.

    ``name_or_id`` is a node id, or a name, alias or title matched case-insensitively;
    an unknown name raises ``UsageError`` listing close matches.
    """
    if depth < 0:
        raise UsageError(f"focus depth must be 0 or more, got {depth}")
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
        raise UsageError(f"max_nodes must be at least 1, got {max_nodes}")
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
        raise UsageError(f"unknown view {view!r}; expected one of: {', '.join(VIEWS)}")
    if view == "paper" and focus is None:
        raise UsageError("the 'paper' view needs a focus: the title, name or id of a paper or entity")
    builders = {"entity-map": entity_map, "method-dataset": method_dataset_view}
    chosen = builders[view](graph) if view in builders else graph
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
    raise UsageError(f"no paper or entity named {name_or_id!r} in the graph{hint}")


def _labels(data: dict) -> Iterable[tuple[bool, str]]:
    """(is an alias, label) for a node's name, title and aliases."""
    yield False, data.get("name") or ""
    if data.get("title"):
        yield False, data["title"]
    for alias in data.get("aliases") or ():
        yield True, alias


def _nodes_of_type(graph: nx.MultiDiGraph, *types: str) -> list[str]:
    return sorted(node for node, kind in graph.nodes(data="type") if kind in types)
