"""The plain record schema shared by JSON, JSON Lines, CSV and TSV input.

Fields: ``title`` and ``abstract`` (required), ``id``, ``doi``, ``url``, ``authors`` (a list of
names or ``{"name": ...}`` objects, or one ``;``-separated string), ``year``, ``arxiv_id``.
"""

from __future__ import annotations

from typing import Any

from kg.io.fields import as_record, names, optional_text, required_text, year
from kg.io.ids import normalise_arxiv_id, normalise_doi, paper_id
from kg.records import Paper


def plain_paper(value: Any, path: str, line: int, *, source: str) -> Paper:
    """The paper a plain record describes; InputError when it is not one."""
    record = as_record(value, path, line)
    title = required_text(record, path, line, "title")
    abstract = required_text(record, path, line, "abstract")
    arxiv_id = optional_text(record, "arxiv_id", path, line)
    doi = optional_text(record, "doi", path, line)
    arxiv_id = normalise_arxiv_id(arxiv_id) if arxiv_id else None
    doi = normalise_doi(doi) if doi else None
    return Paper(
        id=paper_id(
            arxiv_id=arxiv_id,
            doi=doi,
            source=source,
            source_id=optional_text(record, "id", path, line),
            title=title,
        ),
        title=title,
        abstract=abstract,
        authors=names(record, "authors", path, line),
        year=year(record, "year", path, line),
        doi=doi,
        arxiv_id=arxiv_id,
        url=optional_text(record, "url", path, line),
        source=source,
        source_file=path,
        source_line=line,
    )
