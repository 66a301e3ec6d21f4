"""The one text rule of every reader: clean characters, Unicode NFC, a bounded length.

Every text a reader yields passes here, so every export carries the same characters:
control characters other than tab and newline are removed (C parsers of N-Triples or CSV
stop at a NUL; XML cannot hold them at all), lone surrogates (valid in JSON, not in UTF-8)
become U+FFFD, and the text is NFC-normalised.  Titles and abstracts longer than
``MAX_TEXT_LENGTH`` characters are cut at the limit, with a warning.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, replace

from kg.records import Paper

__all__ = ["MAX_TEXT_LENGTH", "clean_paper", "clean_text", "limit_length"]

# About 50 times the longest real abstracts (arXiv caps them near 2,000 characters, the
# longest journal abstracts run to a few thousand), well under spaCy's max_length.
MAX_TEXT_LENGTH = 100_000
_LIMITED_FIELDS = ("title", "abstract")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline kept), lone surrogates made
    U+FFFD, NFC-normalised.

    >>> clean_text("Caf\\u0065\\u0301\\x00 \\ud800")
    'Café \\ufffd'
    """
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    return unicodedata.normalize("NFC", text)


def clean_paper(paper: Paper) -> Paper:
    """``paper`` with ``clean_text`` applied to every text field (authors, categories too)."""
    changes: dict[str, object] = {}
    for field in fields(paper):
        value = getattr(paper, field.name)
        if isinstance(value, str):
            cleaned: object = clean_text(value)
        elif isinstance(value, tuple):
            cleaned = tuple(clean_text(item) for item in value)
        else:
            continue
        if cleaned != value:
            changes[field.name] = cleaned
    return replace(paper, **changes) if changes else paper


def limit_length(paper: Paper, max_length: int) -> tuple[Paper, list[str]]:
    """``paper`` with its title and abstract cut to ``max_length`` characters, and what was
    cut ("abstract of 5,000,000 characters cut to 100,000")."""
    changes, notes = {}, []
    for name in _LIMITED_FIELDS:
        text = getattr(paper, name)
        if len(text) > max_length:
            changes[name] = text[:max_length]
            notes.append(f"{name} of {len(text):,} characters cut to {max_length:,}")
    return (replace(paper, **changes) if changes else paper), notes
