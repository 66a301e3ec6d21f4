"""The arXiv metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot``): JSON Lines of papers.

Format
------
Each line holds ``id``, ``title``, ``abstract``, ``authors`` ("A, B and C"), optionally
``authors_parsed`` ([[last, first, suffix], ...]), ``categories`` (space separated),
``update_date``, ``doi`` and ``versions`` ([{"version": "v1", "created": RFC 2822 date}, ...]).
See https://www.kaggle.com/datasets/Cornell-University/arxiv.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from kg.io.fields import as_record, fold, optional_text, required_text
from kg.io.ids import normalise_arxiv_id, normalise_doi, paper_id
from kg.io.json_source import json_lines
from kg.io.reader import Report, convert
from kg.records import Paper

_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def read_arxiv_snapshot(path: str, report: Report) -> Iterator[Paper]:
    """Papers from the snapshot's JSON Lines (``source_line`` = the line)."""
    yield from convert(json_lines(path, report), snapshot_paper, path, report)


def snapshot_paper(value: Any, path: str, line: int) -> Paper:
    """The paper one snapshot record describes."""
    record = as_record(value, path, line)
    arxiv_id = normalise_arxiv_id(required_text(record, path, line, "id"))
    title = required_text(record, path, line, "title")
    doi = optional_text(record, "doi", path, line)
    doi = normalise_doi(doi.split()[0]) if doi else None
    return Paper(
        id=paper_id(arxiv_id=arxiv_id),
        title=title,
        abstract=required_text(record, path, line, "abstract"),
        authors=_authors(record, path, line),
        year=_first_version_year(record),
        doi=doi,
        arxiv_id=arxiv_id,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        date=optional_text(record, "update_date", path, line),
        categories=tuple((optional_text(record, "categories", path, line) or "").split()),
        source="arxiv-snapshot",
        source_file=path,
        source_line=line,
    )


def split_authors(text: str) -> tuple[str, ...]:
    """Names from an arXiv author string.

    >>> split_authors("A. Smith, B. Jones, and C. Wu")
    ('A. Smith', 'B. Jones', 'C. Wu')
    """
    return tuple(
        name for name in (fold(part) for part in _AUTHOR_SEPARATOR.split(fold(text))) if name
    )


def _authors(record: Mapping[str, Any], path: str, line: int) -> tuple[str, ...]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed and all(isinstance(name, list) for name in parsed):
        return tuple(_parsed_name(name) for name in parsed)
    return split_authors(optional_text(record, "authors", path, line) or "")


def _parsed_name(parts: list[Any]) -> str:
    """``[last, first, suffix]`` -> ``"first last suffix"``."""
    ordered = [*parts[1:2], *parts[:1], *parts[2:]]
    return fold(" ".join(str(part) for part in ordered if part))


def _first_version_year(record: Mapping[str, Any]) -> int | None:
    versions = record.get("versions")
    first = versions[0] if isinstance(versions, list) and versions else None
    created = first.get("created") if isinstance(first, Mapping) else None
    if not isinstance(created, str):
        return None
    try:
        return parsedate_to_datetime(created).year
    except (TypeError, ValueError):
        return None
