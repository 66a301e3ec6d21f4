"""OpenAlex works: one work, an API page (``{"results": [...]}``) or JSON Lines of works.

Format
------
``id`` (``https://openalex.org/W...``), ``doi`` (``https://doi.org/10...``), ``title`` or
``display_name``, ``publication_year``, ``publication_date``, ``authorships[].author.display_name``,
``abstract_inverted_index`` ({word: [positions]}), ``ids.arxiv``,
``primary_location.landing_page_url``; see https://docs.openalex.org/api-entities/works.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kg.errors import InputError
from kg.io.fields import as_record, fold, nested, optional_text, required_text, year
from kg.io.ids import normalise_arxiv_id, normalise_doi, paper_id
from kg.io.json_source import json_layout, json_records
from kg.io.reader import Report, convert
from kg.records import Paper


def read_openalex(path: str, report: Report) -> Iterator[Paper]:
    """Papers from OpenAlex works (``source_line``: the line, or the index in the page)."""
    yield from convert(json_records(path, json_layout(path), report), work_paper, path, report)


def work_paper(value: Any, path: str, line: int) -> Paper:
    """The paper one OpenAlex work describes; a work without an abstract is an InputError."""
    work = as_record(value, path, line)
    title = required_text(work, path, line, "title", "display_name")
    work_id = optional_text(work, "id", path, line)
    doi = optional_text(work, "doi", path, line)
    doi = normalise_doi(doi) if doi else None
    arxiv = nested(work, "ids", "arxiv")
    arxiv_id = normalise_arxiv_id(arxiv) if isinstance(arxiv, str) and arxiv.strip() else None
    landing_page = nested(work, "primary_location", "landing_page_url")
    return Paper(
        id=paper_id(
            arxiv_id=arxiv_id,
            doi=doi,
            source="openalex",
            source_id=work_id.rsplit("/", 1)[-1] if work_id else None,
            title=title,
        ),
        title=title,
        abstract=abstract_from_inverted_index(work.get("abstract_inverted_index"), path, line),
        authors=_authors(work),
        year=year(work, "publication_year", path, line),
        doi=doi,
        arxiv_id=arxiv_id,
        url=landing_page if isinstance(landing_page, str) and landing_page else None,
        date=optional_text(work, "publication_date", path, line),
        source="openalex",
        source_file=path,
        source_line=line,
    )


def abstract_from_inverted_index(index: Any, path: str, line: int) -> str:
    """The abstract text: each word placed at each of its positions, joined with spaces.

    >>> abstract_from_inverted_index({"graphs": [1], "Knowledge": [0], "help.": [2]}, "w.json", 1)
    'Knowledge graphs help.'
    """
    if not index:
        raise InputError(
            "work has no abstract ('abstract_inverted_index' is missing or empty)", path, line
        )
    valid = isinstance(index, Mapping) and all(
        isinstance(positions, list) and all(type(p) is int for p in positions)
        for positions in index.values()
    )
    if not valid:
        raise InputError(
            "'abstract_inverted_index' should map each word to a list of positions", path, line
        )
    by_position = {position: word for word, positions in index.items() for position in positions}
    return fold(" ".join(by_position[position] for position in sorted(by_position)))


def _authors(work: Mapping[str, Any]) -> tuple[str, ...]:
    authorships = work.get("authorships")
    if not isinstance(authorships, list):
        return ()
    names = (nested(authorship, "author", "display_name") for authorship in authorships)
    return tuple(fold(name) for name in names if isinstance(name, str) and fold(name))
