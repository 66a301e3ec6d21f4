"""The bundled sample corpus: 40 hand-written abstracts that ``kg build --sample`` reads."""
from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_PATH"]

#: JSON Lines file, one ``{"id", "title", "abstract", "authors", "year", "url"}`` record a line.
SAMPLE_PATH: Path = Path(__file__).resolve().with_name("papers.jsonl")
