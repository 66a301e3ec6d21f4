"""Readers of paper files (daily dumps, JSON/JSONL, CSV/TSV, arXiv, OpenAlex, Semantic Scholar)."""

from __future__ import annotations

from kg.io.corpus import (
    FORMATS,
    CorpusPart,
    CorpusParts,
    EmptyInputError,
    Repeats,
    check_inputs,
    read_corpus,
    read_papers,
    read_range,
)
from kg.io.detect import detect_format
from kg.io.ids import paper_id
from kg.io.stats import ReadStats

__all__ = ["FORMATS", "CorpusPart", "CorpusParts", "EmptyInputError", "ReadStats", "Repeats", "check_inputs",
           "detect_format", "paper_id", "read_corpus", "read_papers", "read_range"]
