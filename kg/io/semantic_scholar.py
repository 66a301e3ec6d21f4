"""Semantic Scholar Graph API papers: one paper, a ``{"data": [...]}`` page or JSON Lines.

Format
------
``paperId``, ``title``, ``abstract``, ``year``, ``publicationDate``, ``authors[].name``,
``externalIds`` ({"ArXiv": ..., "DOI": ..., ...}) and ``url``; see
https://api.semanticscholar.org/api-docs/graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kg.io.fields import as_record, fold, names, nested, optional_text, required_text, year
from kg.io.ids import normalise_arxiv_id, normalise_doi, paper_id
from kg.io.json_source import json_layout, json_records
from kg.io.reader import Report, convert
from kg.records import Paper


def read_semantic_scholar(path: str, report: Report) -> Iterator[Paper]:
    """Papers from Semantic Scholar records (``source_line``: the line, or index in the page)."""
    yield from convert(json_records(path, json_layout(path), report), s2_paper, path, report)


def s2_paper(value: Any, path: str, line: int) -> Paper:
    """The paper one Semantic Scholar record describes."""
    record = as_record(value, path, line)
    title = required_text(record, path, line, "title")
    arxiv_id = _external_id(record, "ArXiv")
    doi = _external_id(record, "DOI")
    arxiv_id = normalise_arxiv_id(arxiv_id) if arxiv_id else None
    doi = normalise_doi(doi) if doi else None
    return Paper(
        id=paper_id(
            arxiv_id=arxiv_id,
            doi=doi,
            source="s2",
            source_id=optional_text(record, "paperId", path, line),
            title=title,
        ),
        title=title,
        abstract=required_text(record, path, line, "abstract"),
        authors=names(record, "authors", path, line),
        year=year(record, "year", path, line),
        doi=doi,
        arxiv_id=arxiv_id,
        url=optional_text(record, "url", path, line),
        date=optional_text(record, "publicationDate", path, line),
        source="s2",
        source_file=path,
        source_line=line,
    )


def _external_id(record: Mapping[str, Any], name: str) -> str | None:
    value = nested(record, "externalIds", name)
    if isinstance(value, str | int) and not isinstance(value, bool):
        return fold(str(value)) or None
    return None
