"""Evaluation of kg's NER models on the shared corpora: readers, label mappings, scoring."""
from __future__ import annotations

from kg.evaluation.runner import format_table, run

__all__ = ["format_table", "run"]
