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
from dataclasses import dataclass, field, replace

import networkx as nx

from kg.graph import schema
from kg.normalize.metrics import metric_direction
from kg.normalize.names import is_acronym, name_key
from kg.records import EntityRef, Evidence, PaperRecord, Result


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


@dataclass
class _LocalEntity:
    """Every paper's view of one per-paper entity id, summed up."""

    type: str
    names: Counter[str] = field(default_factory=Counter)
    forms: set[str] = field(default_factory=set)
    name_keys: set[str] = field(default_factory=set)
    acronym_keys: set[str] = field(default_factory=set)
    papers: int = 0


class EntityTable:
    """Entities by their per-paper id (``EntityRef.id``), merged across papers into nodes.

    It grows with the number of distinct entities, not of papers, so a streaming build can
    keep it in memory; two tables (e.g. of two partitions) combine with ``update``.
    Papers that give an entity the same per-paper id always share a merge key, so merging
    per-paper ids is the same as merging every occurrence.
    """

    def __init__(self) -> None:
        self._entities: dict[str, _LocalEntity] = {}
        self._node_of: dict[str, str] | None = None

    def __len__(self) -> int:
        return len(self._entities)

    def add(self, entity: EntityRef) -> None:
        """Count one paper's reference to ``entity``."""
        local = self._entities.get(entity.id)
        if local is None:
            local = self._entities[entity.id] = _LocalEntity(entity.type)
        names, acronyms = _forms(entity)
        local.names[entity.name] += 1
        local.forms.update((entity.name, *entity.aliases))
        local.name_keys |= names
        local.acronym_keys |= acronyms
        local.papers += 1
        self._node_of = None

    def update(self, other: EntityTable) -> None:
        """Add everything ``other`` counted (tables of disjoint sets of papers)."""
        for local_id, theirs in other._entities.items():
            ours = self._entities.setdefault(local_id, _LocalEntity(theirs.type))
            ours.names.update(theirs.names)
            ours.forms |= theirs.forms
            ours.name_keys |= theirs.name_keys
            ours.acronym_keys |= theirs.acronym_keys
            ours.papers += theirs.papers
        self._node_of = None

    def node_of(self) -> dict[str, str]:
        """Per-paper entity id -> node id, for every entity counted so far."""
        if self._node_of is None:
            self._node_of = _merge(self._entities)
        return self._node_of

    def nodes(self) -> dict[str, dict]:
        """Node id -> node attributes (``type``, ``name``, ``aliases``) of merged entities."""
        node_of = self.node_of()
        names: dict[str, Counter[str]] = defaultdict(Counter)
        forms: dict[str, set[str]] = defaultdict(set)
        types: dict[str, str] = {}
        for local_id, local in self._entities.items():
            node_id = node_of[local_id]
            types[node_id] = local.type
            forms[node_id] |= local.forms
            if local_id == node_id:
                names[node_id].update(local.names)
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
            if entity_type == schema.METRIC:
                nodes[node_id]["direction"] = metric_direction(name)
        return nodes

    def to_dict(self) -> dict[str, dict]:
        """A JSON-ready copy (sorted), for stores and for moving tables between processes."""
        return {
            local_id: {
                "type": e.type,
                "names": dict(sorted(e.names.items())),
                "forms": sorted(e.forms),
                "name_keys": sorted(e.name_keys),
                "acronym_keys": sorted(e.acronym_keys),
                "papers": e.papers,
            }
            for local_id, e in sorted(self._entities.items())
        }

    @classmethod
    def from_dict(cls, data: dict[str, dict]) -> EntityTable:
        table = cls()
        for local_id, e in data.items():
            table._entities[local_id] = _LocalEntity(
                e["type"], Counter(e["names"]), set(e["forms"]), set(e["name_keys"]),
                set(e["acronym_keys"]), e["papers"])
        return table


class GraphBuilder:
    """Collects ``PaperRecord``s and builds the merged graph.

    >>> builder = GraphBuilder()
    >>> for record in records:            # doctest: +SKIP
    ...     builder.add(record)
    >>> graph = builder.graph()           # doctest: +SKIP
    >>> builder.resolve(record)           # the record with graph-wide entity ids  # doctest: +SKIP

    With ``keep_records=False`` only the entity table is kept (memory bounded by distinct
    entities); pass the records again to ``graph(records)`` (e.g. read back from disk).
    """

    def __init__(self, *, keep_records: bool = True) -> None:
        self.entities = EntityTable()
        self._keep_records = keep_records
        self._records: dict[str, PaperRecord] = {}
        self._paper_ids: set[str] = set()

    def add(self, record: PaperRecord) -> bool:
        """Add one paper; a paper id seen before is ignored (the first record wins)."""
        if record.paper.id in self._paper_ids:
            return False
        self._paper_ids.add(record.paper.id)
        if self._keep_records:
            self._records[record.paper.id] = record
        for entity in record.entities:
            self.entities.add(entity)
        return True

    def __len__(self) -> int:
        return len(self._paper_ids)

    def resolve(self, record: PaperRecord) -> PaperRecord:
        """The record with each entity id (and result reference) replaced by its node id."""
        return resolve_record(record, self.entities.node_of())

    def graph(self, records: Iterable[PaperRecord] | None = None) -> nx.MultiDiGraph:
        """Build the graph of the papers added (their records again when not kept)."""
        if records is None:
            if not self._keep_records:
                raise ValueError("records were not kept: pass them to graph(records)")
            records = (self._records[paper_id] for paper_id in sorted(self._records))
        graph = nx.MultiDiGraph()
        entity_nodes = self.entities.nodes()
        for node_id in sorted(entity_nodes):
            graph.add_node(node_id, **entity_nodes[node_id])
        node_of = self.entities.node_of()
        for record in records:
            _add_record(graph, record, node_of)
        _count_papers(graph)
        return graph


def resolve_record(record: PaperRecord, node_of: dict[str, str]) -> PaperRecord:
    """``record`` with each entity id (and result reference) replaced by its node id
    (``node_of``: ``EntityTable.node_of()``)."""

    def node(local_id: str | None) -> str | None:
        return None if local_id is None else node_of.get(local_id, local_id)

    return PaperRecord(
        paper=record.paper,
        entities=tuple(_with_id(e, node(e.id) or e.id) for e in record.entities),
        repositories=record.repositories,
        urls=record.urls,
        results=tuple(
            replace(r, method=node(r.method), dataset=node(r.dataset), metric=node(r.metric))
            for r in record.results
        ),
        abbreviations=record.abbreviations,
    )


def build_graph(records: Iterable[PaperRecord]) -> nx.MultiDiGraph:
    """Build the knowledge graph of ``records`` (see ``kg.graph.schema`` for its shape)."""
    builder = GraphBuilder()
    for record in records:
        builder.add(record)
    return builder.graph()


def paper_graph(
    record: PaperRecord, node_of: dict[str, str], entity_nodes: dict[str, dict]
) -> nx.MultiDiGraph:
    """The part of the graph one paper adds, for builds that stream paper by paper.

    Holds the paper, its results and every edge they start, plus the entity and repository
    nodes those edges reach (entity attributes from ``entity_nodes``, i.e.
    ``EntityTable.nodes()``; their ``papers`` count only this paper).  ``record`` has per-paper
    entity ids, mapped to node ids by ``node_of`` (``EntityTable.node_of()``).
    """
    graph = nx.MultiDiGraph()
    local_ids = [e.id for e in record.entities]
    local_ids += [x for r in record.results for x in (r.method, r.dataset, r.metric) if x in node_of]
    for node_id in sorted({node_of[local_id] for local_id in local_ids}):
        graph.add_node(node_id, **entity_nodes[node_id])
    _add_record(graph, record, node_of)
    _count_papers(graph)
    return graph


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


def _merge(entities: dict[str, _LocalEntity]) -> dict[str, str]:
    """Union per-paper entities that share a name key; attach bare acronyms (see module doc)."""
    local_ids = sorted(entities)
    sets = _UnionFind(len(local_ids))
    by_type: dict[str, list[int]] = defaultdict(list)
    for index, local_id in enumerate(local_ids):
        by_type[entities[local_id].type].append(index)
    for indices in by_type.values():
        owner_of_name: dict[str, int] = {}
        claimed: dict[str, set[int]] = defaultdict(set)
        bare: dict[str, list[int]] = defaultdict(list)
        for index in indices:
            local = entities[local_ids[index]]
            for key in sorted(local.name_keys):
                if key in owner_of_name:
                    sets.union(owner_of_name[key], index)
                else:
                    owner_of_name[key] = index
            for key in sorted(local.acronym_keys):
                if local.name_keys:
                    claimed[key].add(index)
                else:
                    bare[key].append(index)
        for key in sorted(set(bare) | set(claimed)):
            # An acronym defined with one long form in the corpus also names the entity a
            # gazetteer calls by the acronym ("ViT") and every bare use of it.
            roots = {sets.find(i) for i in claimed.get(key, ())}
            if key in owner_of_name:
                roots.add(sets.find(owner_of_name[key]))
            members = bare.get(key, [])
            if len(roots) == 1:
                anchor = roots.pop()
            elif len({sets.find(i) for i in claimed.get(key, ())}) == 1 and key in owner_of_name:
                anchor = min(roots)
                sets.union(anchor, max(roots))
            elif members:
                anchor = members[0]
            else:
                continue
            for index in members:
                sets.union(anchor, index)
    groups: dict[int, list[str]] = defaultdict(list)
    for index, local_id in enumerate(local_ids):
        groups[sets.find(index)].append(local_id)
    node_of: dict[str, str] = {}
    for members in groups.values():
        node_id = min(members, key=lambda i: (
            -entities[i].papers, not entities[i].name_keys, len(i), i))
        for local_id in members:
            node_of[local_id] = node_id
    return node_of


# -- nodes and edges ---------------------------------------------------------------------

def _add_record(graph: nx.MultiDiGraph, record: PaperRecord, node_of: dict[str, str]) -> None:
    """The paper's node and every edge it and its results start."""
    _add_paper(graph, record)
    _add_entity_edges(graph, record, node_of)
    _add_repositories(graph, record)
    _add_results(graph, record, node_of)


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
    graph: nx.MultiDiGraph, record: PaperRecord, node_of: dict[str, str]
) -> None:
    paper_node = paper_node_id(record.paper.id)
    # One relation per paper and entity: a paper that proposes X does not also "use" X.
    strongest: dict[str, tuple[str, EntityRef]] = {}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for entity in record.entities:
        node_id = node_of[entity.id]
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
    graph: nx.MultiDiGraph, record: PaperRecord, node_of: dict[str, str]
) -> None:
    paper_id = record.paper.id
    paper_node = paper_node_id(paper_id)
    for result in record.results:
        ends = {
            schema.RESULT_METHOD: result.method,
            schema.RESULT_DATASET: result.dataset,
            schema.RESULT_METRIC: result.metric,
        }
        resolved = {rel: node_of.get(local) if local else None for rel, local in ends.items()}
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
            kind=result.kind,
            setting=result.setting,
            baseline=result.baseline,
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
    return entity if node_id == entity.id else replace(entity, id=node_id)
