"""Plain paper records as JSON Lines (``jsonl``) or as one JSON document (``json``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from kg.io.json_source import json_document, json_lines
from kg.io.plain import plain_paper
from kg.io.reader import Report, convert
from kg.records import Paper


# The paper of one JSON Lines record (value, path, line).
jsonl_paper = partial(plain_paper, source="jsonl")


def read_jsonl(path: str, report: Report) -> Iterator[Paper]:
    """Papers from a JSON Lines file, one plain record a line (``source_line`` = its line)."""
    yield from convert(json_lines(path, report), jsonl_paper, path, report)


def read_json(path: str, report: Report) -> Iterator[Paper]:
    """Papers from a JSON array or a ``{"papers"|"data"|"results"|"items": [...]}`` object.

    ``source_line`` is the record's 1-based index in the array.
    """
    yield from convert(json_document(path), partial(plain_paper, source="json"), path, report)
