"""The extraction layer: a spaCy pipeline that turns papers into ``PaperMentions``."""
from __future__ import annotations

from kg.extract.pipeline import extract, extract_paper, load_pipeline

__all__ = ["extract", "extract_paper", "load_pipeline"]
