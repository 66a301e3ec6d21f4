"""Normalisation: canonical names, acronyms, URL normalisation, entities per paper."""
from __future__ import annotations

from kg.normalize.entities import normalize

__all__ = ["normalize"]
