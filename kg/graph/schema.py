"""The node and edge kinds of the kg graph: the contract between ``kg.graph.build`` and exporters.

The graph is a ``networkx.MultiDiGraph``.  Every exporter reads only what is described here.

Nodes
-----
Every node has ``type`` (one of ``NODE_TYPES``) and ``name`` (a display label).

* ``Paper``  id ``paper/<paper id>``: ``title``, ``abstract``, ``authors`` (list[str]),
  ``year`` (int|None), ``date``, ``doi``, ``arxiv_id``, ``url`` (str|None), ``source``,
  ``source_file``, ``source_line``.
* ``Method`` / ``Dataset`` / ``Metric`` / ``Task``  id ``<type lower>/<slug>``: ``aliases``
  (sorted list[str], never containing ``name``), ``papers`` (int, number of papers linking to it).
  A ``Metric`` also has ``direction``: "higher" or "lower" (which values are better), or
  "unknown" (``kg.normalize.metrics.metric_direction``).
* ``Repository``  id ``repo/<host>/<owner>/<repo>``: ``url`` (normalised ``https://host/owner/repo``),
  ``host``, ``papers`` (int).
* ``Result``  id ``result/<hash>``: ``value`` (float), ``unit`` (str|None), ``text`` (the
  number as written), ``paper`` (paper node id), ``method``/``dataset``/``metric`` (entity
  node id or None), ``kind`` ("absolute" or "relative": a difference or ratio, never ranked),
  ``setting`` (split or protocol, str|None), ``baseline`` (the method compared with, as
  written, str|None).

Edges
-----
Every edge has key = its ``relation`` (so a pair of nodes has at most one edge per relation),
and attributes ``relation``, ``confidence`` (float in [0, 1]), ``extractor`` (component name
of the primary evidence) and ``evidence`` (list of ``kg.records.Evidence``, the first one
primary, all with offsets into the paper's title or abstract).  Edges between a paper and a
thing carry the paper's evidence; ``weight`` (int) counts papers on aggregated views only.

==============  ===========  ===========  =================================================
relation        from         to           meaning
==============  ===========  ===========  =================================================
proposes        Paper        Method       the paper proposes the method
uses            Paper        Method       the paper uses / compares with the method
introduces      Paper        Dataset      the paper introduces the dataset
evaluatesOn     Paper        Dataset      the paper evaluates on (uses) the dataset
reportsMetric   Paper        Metric       the paper reports the metric
addressesTask   Paper        Task         the paper addresses the task
hasCode         Paper        Repository   the paper links to its code
reportsResult   Paper        Result       the paper reports the result
resultMethod    Result       Method       the result is of this method
resultDataset   Result       Dataset      the result was measured on this dataset
resultMetric    Result       Metric       the result is a value of this metric
==============  ===========  ===========  =================================================

Derived views (``kg.graph.views``) add ``evaluatedOn`` edges Method -> Dataset,
``appliedTo`` Method -> Task and ``scoredWith`` Dataset -> Metric whose ``weight`` is the
number of papers that use the two together.
"""
from __future__ import annotations

from typing import Final

PAPER: Final = "Paper"
METHOD: Final = "Method"
DATASET: Final = "Dataset"
METRIC: Final = "Metric"
TASK: Final = "Task"
REPOSITORY: Final = "Repository"
RESULT: Final = "Result"

ENTITY_NODE_TYPES: Final = (METHOD, DATASET, METRIC, TASK)
NODE_TYPES: Final = (PAPER, METHOD, DATASET, METRIC, TASK, REPOSITORY, RESULT)

PROPOSES: Final = "proposes"
USES: Final = "uses"
INTRODUCES: Final = "introduces"
EVALUATES_ON: Final = "evaluatesOn"
REPORTS_METRIC: Final = "reportsMetric"
ADDRESSES_TASK: Final = "addressesTask"
HAS_CODE: Final = "hasCode"
REPORTS_RESULT: Final = "reportsResult"
RESULT_METHOD: Final = "resultMethod"
RESULT_DATASET: Final = "resultDataset"
RESULT_METRIC: Final = "resultMetric"

# relation -> (source node type, target node type)
RELATIONS: Final[dict[str, tuple[str, str]]] = {
    PROPOSES: (PAPER, METHOD),
    USES: (PAPER, METHOD),
    INTRODUCES: (PAPER, DATASET),
    EVALUATES_ON: (PAPER, DATASET),
    REPORTS_METRIC: (PAPER, METRIC),
    ADDRESSES_TASK: (PAPER, TASK),
    HAS_CODE: (PAPER, REPOSITORY),
    REPORTS_RESULT: (PAPER, RESULT),
    RESULT_METHOD: (RESULT, METHOD),
    RESULT_DATASET: (RESULT, DATASET),
    RESULT_METRIC: (RESULT, METRIC),
}


def paper_relation(entity_type: str, role: str | None) -> str:
    """The relation from a paper to an entity of ``entity_type`` with ``role``.

    >>> paper_relation("Method", "proposed")
    'proposes'
    >>> paper_relation("Dataset", None)
    'evaluatesOn'
    """
    if entity_type == METHOD:
        return PROPOSES if role == "proposed" else USES
    if entity_type == DATASET:
        return INTRODUCES if role in ("introduced", "proposed") else EVALUATES_ON
    if entity_type == METRIC:
        return REPORTS_METRIC
    if entity_type == TASK:
        return ADDRESSES_TASK
    raise ValueError(f"not an entity type: {entity_type!r}")


def node_type_prefix(node_type: str) -> str:
    """The id prefix of a node type (``Method`` -> ``method``, ``Repository`` -> ``repo``)."""
    return "repo" if node_type == REPOSITORY else node_type.lower()
