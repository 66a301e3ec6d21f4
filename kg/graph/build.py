"""PaperRecords -> one ``networkx.MultiDiGraph`` (the hub every exporter reads).

Entities merge across papers when they share a name key (canonical name, long form, the
same name up to case/plural/hyphens).  A bare acronym ("LLM" with no definition in its
paper) joins the entity whose long form the corpus defines for it only when the corpus
defines exactly one; an acronym defined with two different long forms ("SR" for
super-resolution and for symbolic regression) keeps them apart.  Node ids are chosen
from the merged group by a fixed rule, so the result does not depend on input order.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from kg.graph import schema
from kg.normalize.names import is_acronym, name_key
from kg.records import EntityRef, Evidence, PaperRecord, Result


@dataclass(frozen=True, slots=True)
class _Occurrence:
    """One paper's reference to one entity."""

    paper: str
    entity: EntityRef


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


class GraphBuilder:
    """Collects ``PaperRecord``s and builds the merged graph.

    >>> builder = GraphBuilder()
    >>> for record in records:            # doctest: +SKIP
    ...     builder.add(record)
    >>> graph = builder.graph()           # doctest: +SKIP
    >>> builder.resolve(record)           # the record with graph-wide entity ids  # doctest: +SKIP
    """

    def __init__(self) -> None:
        self._papers: dict[str, PaperRecord] = {}
        self._occurrences: list[_Occurrence] = []
        self._node_of: dict[tuple[str, str], str] | None = None

    def add(self, record: PaperRecord) -> None:
        """Add one paper; a paper id seen before is ignored (the first record wins)."""
        if record.paper.id in self._papers:
            return
        self._papers[record.paper.id] = record
        self._occurrences.extend(_Occurrence(record.paper.id, e) for e in record.entities)
        self._node_of = None

    def __len__(self) -> int:
        return len(self._papers)

    def resolve(self, record: PaperRecord) -> PaperRecord:
        """The record with each entity id (and result reference) replaced by its node id."""
        node_of = self._merge()
        paper = record.paper.id

        def node(local_id: str | None) -> str | None:
            return None if local_id is None else node_of.get((paper, local_id), local_id)

        entities = tuple(_with_id(e, node(e.id) or e.id) for e in record.entities)
        results = tuple(
            Result(
                id=r.id,
                method=node(r.method),
                dataset=node(r.dataset),
                metric=node(r.metric),
                value=r.value,
                unit=r.unit,
                text=r.text,
                evidence=r.evidence,
                confidence=r.confidence,
            )
            for r in record.results
        )
        return PaperRecord(
            paper=record.paper,
            entities=entities,
            repositories=record.repositories,
            urls=record.urls,
            results=results,
            abbreviations=record.abbreviations,
        )

    def graph(self) -> nx.MultiDiGraph:
        """Build the graph of every paper added so far."""
        node_of = self._merge()
        graph = nx.MultiDiGraph()
        entity_nodes = _entity_nodes(self._occurrences, node_of)
        for paper_id in sorted(self._papers):
            _add_paper(graph, self._papers[paper_id])
        for node_id in sorted(entity_nodes):
            graph.add_node(node_id, **entity_nodes[node_id])
        for paper_id in sorted(self._papers):
            record = self._papers[paper_id]
            _add_entity_edges(graph, record, node_of)
            _add_repositories(graph, record)
            _add_results(graph, record, node_of)
        _count_papers(graph)
        return graph

    def _merge(self) -> dict[tuple[str, str], str]:
        """(paper id, entity id in that paper) -> node id, merging across papers."""
        if self._node_of is None:
            self._node_of = _merge_occurrences(self._occurrences)
        return self._node_of


def build_graph(records: Iterable[PaperRecord]) -> nx.MultiDiGraph:
    """Build the knowledge graph of ``records`` (see ``kg.graph.schema`` for its shape)."""
    builder = GraphBuilder()
    for record in records:
        builder.add(record)
    return builder.graph()


def paper_node_id(paper_id: str) -> str:
    """The node id of a paper (``paper/<paper id>``)."""
    return f"paper/{paper_id}"


def repository_node_id(url: str) -> str:
    """The node id of a repository: ``repo/<host>/<owner>/<repo>`` from its normalised URL."""
    return "repo/" + url.split("://", 1)[-1].strip("/")


# -- merging -----------------------------------------------------------------------------

def _forms(entity: EntityRef) -> tuple[set[str], set[str]]:
    """(name keys, acronym keys) of an entity; canonical names always count as names."""
    canonical = {m.canonical for m in entity.mentions if m.canonical}
    names: set[str] = {name_key(c) for c in canonical}
    acronyms: set[str] = set()
    for form in (entity.name, *entity.aliases):
        key = name_key(form)
        if not key:
            continue
        if is_acronym(form) and form not in canonical:
            acronyms.add(key)
        else:
            names.add(key)
    return names, acronyms - names


def _merge_occurrences(occurrences: list[_Occurrence]) -> dict[tuple[str, str], str]:
    by_type: dict[str, list[int]] = defaultdict(list)
    for index, occurrence in enumerate(occurrences):
        by_type[occurrence.entity.type].append(index)
    sets = _UnionFind(len(occurrences))
    for indices in by_type.values():
        owner_of_name: dict[str, int] = {}
        claimed: dict[str, set[int]] = defaultdict(set)
        bare: dict[str, list[int]] = defaultdict(list)
        forms = {i: _forms(occurrences[i].entity) for i in indices}
        for index in indices:
            names, acronyms = forms[index]
            for key in names:
                if key in owner_of_name:
                    sets.union(owner_of_name[key], index)
                else:
                    owner_of_name[key] = index
            for key in acronyms:
                if names:
                    claimed[key].add(index)
                else:
                    bare[key].append(index)
        for key, members in bare.items():
            roots = {sets.find(i) for i in claimed.get(key, ())}
            if key in owner_of_name:
                roots.add(sets.find(owner_of_name[key]))
            anchor = min(roots) if len(roots) == 1 else members[0]
            for index in members:
                sets.union(anchor, index)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(occurrences)):
        groups[sets.find(index)].append(index)
    node_of: dict[tuple[str, str], str] = {}
    for members in groups.values():
        node_id = _choose_id([occurrences[i] for i in members])
        for index in members:
            occurrence = occurrences[index]
            node_of[(occurrence.paper, occurrence.entity.id)] = node_id
    return node_of


def _choose_id(members: list[_Occurrence]) -> str:
    """The id most papers use; ties go to a spelled-out name over a bare acronym, then to
    the shortest, then to the alphabetically first."""
    papers_per_id: dict[str, set[str]] = defaultdict(set)
    spelled_out: set[str] = set()
    for occurrence in members:
        papers_per_id[occurrence.entity.id].add(occurrence.paper)
        if _forms(occurrence.entity)[0]:
            spelled_out.add(occurrence.entity.id)
    return min(papers_per_id,
               key=lambda i: (-len(papers_per_id[i]), i not in spelled_out, len(i), i))


def _entity_nodes(
    occurrences: list[_Occurrence], node_of: dict[tuple[str, str], str]
) -> dict[str, dict]:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    forms: dict[str, set[str]] = defaultdict(set)
    types: dict[str, str] = {}
    for occurrence in occurrences:
        entity = occurrence.entity
        node_id = node_of[(occurrence.paper, entity.id)]
        types[node_id] = entity.type
        forms[node_id].update((entity.name, *entity.aliases))
        if entity.id == node_id:
            names[node_id][entity.name] += 1
    nodes = {}
    for node_id, entity_type in types.items():
        counts = names[node_id]
        name = min(counts, key=lambda n: (-counts[n], n))
        seen = {name.casefold()}
        aliases = []
        for form in sorted(forms[node_id]):
            if form.casefold() not in seen:
                seen.add(form.casefold())
                aliases.append(form)
        nodes[node_id] = {"type": entity_type, "name": name, "aliases": aliases, "papers": 0}
    return nodes


# -- nodes and edges ---------------------------------------------------------------------

def _add_paper(graph: nx.MultiDiGraph, record: PaperRecord) -> None:
    paper = record.paper
    graph.add_node(
        paper_node_id(paper.id),
        type=schema.PAPER,
        name=paper.title,
        title=paper.title,
        abstract=paper.abstract,
        authors=list(paper.authors),
        year=paper.year,
        date=paper.date,
        doi=paper.doi,
        arxiv_id=paper.arxiv_id,
        url=paper.url,
        source=paper.source,
        source_file=paper.source_file,
        source_line=paper.source_line,
    )


def _add_edge(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    relation: str,
    evidence: list[Evidence],
    confidence: float,
) -> None:
    """Add (or strengthen) the one edge of ``relation`` between two nodes."""
    evidence = sorted(set(evidence), key=lambda e: (e.field != "title", e.start, e.end, e.source))
    if graph.has_edge(source, target, key=relation):
        data = graph.edges[source, target, relation]
        merged = sorted(set(data["evidence"]) | set(evidence),
                        key=lambda e: (e.field != "title", e.start, e.end, e.source))
        data["evidence"] = merged
        data["confidence"] = max(data["confidence"], confidence)
        data["extractor"] = merged[0].source if merged else data["extractor"]
        return
    graph.add_edge(
        source,
        target,
        key=relation,
        relation=relation,
        confidence=confidence,
        extractor=evidence[0].source if evidence else "",
        evidence=evidence,
    )


def _add_entity_edges(
    graph: nx.MultiDiGraph, record: PaperRecord, node_of: dict[tuple[str, str], str]
) -> None:
    paper_node = paper_node_id(record.paper.id)
    # One relation per paper and entity: a paper that proposes X does not also "use" X.
    strongest: dict[str, tuple[str, EntityRef]] = {}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for entity in record.entities:
        node_id = node_of[(record.paper.id, entity.id)]
        relation = schema.paper_relation(entity.type, entity.role)
        evidence[node_id].extend(m.evidence for m in entity.mentions)
        current = strongest.get(node_id)
        if current is None or _relation_rank(relation) < _relation_rank(current[0]):
            strongest[node_id] = (relation, entity)
    for node_id in sorted(strongest):
        relation, entity = strongest[node_id]
        _add_edge(graph, paper_node, node_id, relation, evidence[node_id], entity.confidence)


def _relation_rank(relation: str) -> int:
    return 0 if relation in (schema.PROPOSES, schema.INTRODUCES) else 1


def _add_repositories(graph: nx.MultiDiGraph, record: PaperRecord) -> None:
    paper_node = paper_node_id(record.paper.id)
    for repository in record.repositories:
        node_id = repository_node_id(repository.url)
        if node_id not in graph:
            host = repository.url.split("://", 1)[-1].split("/", 1)[0]
            graph.add_node(node_id, type=schema.REPOSITORY, name=repository.url.split("://", 1)[-1],
                           url=repository.url, host=host, papers=0)
        _add_edge(graph, paper_node, node_id, schema.HAS_CODE, list(repository.mentions), 0.95)


def _add_results(
    graph: nx.MultiDiGraph, record: PaperRecord, node_of: dict[tuple[str, str], str]
) -> None:
    paper_id = record.paper.id
    paper_node = paper_node_id(paper_id)
    for result in record.results:
        ends = {
            schema.RESULT_METHOD: result.method,
            schema.RESULT_DATASET: result.dataset,
            schema.RESULT_METRIC: result.metric,
        }
        resolved = {rel: node_of.get((paper_id, local)) if local else None for rel, local in ends.items()}
        graph.add_node(
            result.id,
            type=schema.RESULT,
            name=_result_name(graph, result, resolved),
            value=result.value,
            unit=result.unit,
            text=result.text,
            paper=paper_node,
            method=resolved[schema.RESULT_METHOD],
            dataset=resolved[schema.RESULT_DATASET],
            metric=resolved[schema.RESULT_METRIC],
        )
        _add_edge(graph, paper_node, result.id, schema.REPORTS_RESULT, [result.evidence], result.confidence)
        for relation, node_id in resolved.items():
            if node_id is not None:
                _add_edge(graph, result.id, node_id, relation, [result.evidence], result.confidence)


def _result_name(graph: nx.MultiDiGraph, result: Result, ends: dict[str, str | None]) -> str:
    """A readable label such as "84.1% Top-1 Accuracy on ImageNet"."""
    unit = result.unit or ""
    name = f"{result.value:g}{unit}" if unit in ("%", "x", "×") else f"{result.value:g} {unit}".strip()
    metric, dataset = ends[schema.RESULT_METRIC], ends[schema.RESULT_DATASET]
    if metric:
        name += f" {graph.nodes[metric]['name']}"
    if dataset:
        name += f" on {graph.nodes[dataset]['name']}"
    return name


def _count_papers(graph: nx.MultiDiGraph) -> None:
    """Set ``papers`` on entities and repositories: distinct papers linking, directly or by a result."""
    for node_id, data in graph.nodes(data=True):
        if data["type"] in (schema.PAPER, schema.RESULT):
            continue
        papers = set()
        for source in graph.predecessors(node_id):
            source_data = graph.nodes[source]
            papers.add(source if source_data["type"] == schema.PAPER else source_data["paper"])
        data["papers"] = len(papers)


def _with_id(entity: EntityRef, node_id: str) -> EntityRef:
    if node_id == entity.id:
        return entity
    return EntityRef(
        id=node_id,
        type=entity.type,
        name=entity.name,
        aliases=entity.aliases,
        keys=entity.keys,
        role=entity.role,
        confidence=entity.confidence,
        mentions=entity.mentions,
    )
