"""Explicit label mappings from each shared corpus to kg's four NER labels (and SciERC's six)."""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

KG_LABELS: tuple[str, ...] = ("METHOD", "DATASET", "METRIC", "TASK")
SCIERC_LABELS: tuple[str, ...] = (
    "Generic",
    "Material",
    "Method",
    "Metric",
    "OtherScientificTerm",
    "Task",
)

# SciERC "Material" is mostly data (corpora, datasets, treebanks) -> DATASET; "Generic" and
# "OtherScientificTerm" have no kg counterpart and are dropped.
SCIERC_TO_KG: Mapping[str, str] = MappingProxyType(
    {"Method": "METHOD", "Material": "DATASET", "Metric": "METRIC", "Task": "TASK"}
)
SCIERC_IDENTITY: Mapping[str, str] = MappingProxyType({label: label for label in SCIERC_LABELS})
# SciREX annotates salient Method/Task/Metric/Material(=dataset) mentions in full papers.
SCIREX_TO_KG: Mapping[str, str] = SCIERC_TO_KG
TDMSCI_TO_KG: Mapping[str, str] = MappingProxyType(
    {"TASK": "TASK", "DATASET": "DATASET", "METRIC": "METRIC"}
)
# SciER has no Metric label; its three labels map one to one.
SCIER_TO_KG: Mapping[str, str] = MappingProxyType(
    {"Method": "METHOD", "Dataset": "DATASET", "Task": "TASK"}
)


def map_label(label: str, mapping: Mapping[str, str]) -> str | None:
    """The kg label for a corpus label, or ``None`` when the mapping drops it.

    >>> map_label("Material", SCIERC_TO_KG)
    'DATASET'
    >>> map_label("Generic", SCIERC_TO_KG) is None
    True
    """
    return mapping.get(label)
