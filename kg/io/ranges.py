"""Input files cut into ranges of whole lines, each read on its own (by a build's workers).

The JSON Lines formats (``LINE_FORMATS``) hold one record a line, so a file can be cut at
line ends into ``LineRange``s; reading a range gives the papers, errors and line numbers
that reading the whole file gives for those lines.  A compressed file cannot be cut: it is
read from its start (``can_split``).

>>> ranges = list(line_ranges("papers.jsonl", "jsonl", lines=256))   # doctest: +SKIP
>>> papers = list(range_papers(ranges[1], raise_error))               # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError
from kg.io.arxiv_snapshot import snapshot_paper
from kg.io.json_source import json_values
from kg.io.jsonl import jsonl_paper
from kg.io.reader import Report, convert
from kg.io.source import is_gzip, read_line_range
from kg.records import Paper

__all__ = ["LINE_FORMATS", "LineRange", "can_split", "line_ranges", "range_papers"]

# The formats of one JSON record a line, and the paper of each record (value, path, line).
_RECORD_PAPERS: dict[str, Callable[[Any, str, int], Paper]] = {
    "jsonl": jsonl_paper,
    "arxiv-snapshot": snapshot_paper,
}
LINE_FORMATS: tuple[str, ...] = tuple(_RECORD_PAPERS)


@dataclass(frozen=True)
class LineRange:
    """Bytes ``start`` to ``end`` of ``path`` (as given, for error messages), whole lines of
    a file of ``format``, the first of them line ``first_line`` (1-based)."""

    path: str
    format: str
    start: int
    end: int
    first_line: int


def can_split(path: str, format: str) -> bool:
    """Whether ``path``, a file of ``format``, can be read in ranges of lines."""
    return format in _RECORD_PAPERS and not is_gzip(path)


def line_ranges(path: str, format: str, lines: int) -> Iterator[LineRange]:
    """``path`` cut into ranges of ``lines`` lines (the last one shorter), in file order; an
    empty file is one empty range."""
    if format not in _RECORD_PAPERS:
        raise InputError(f"a {format} file cannot be read in ranges of lines", path)
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot open the file: {error.strerror or error}", path) from None
    start = offset = count = 0
    first = 1
    with handle:
        try:
            for raw in handle:
                offset += len(raw)
                count += 1
                if count == lines:
                    yield LineRange(path, format, start, offset, first)
                    start, first, count = offset, first + count, 0
        except OSError as error:
            raise InputError(f"cannot read the file: {error}", path, first + count) from error
    if count or not offset:
        yield LineRange(path, format, start, offset, first)


def range_papers(part: LineRange, report: Report) -> Iterator[Paper]:
    """The papers of the lines of ``part``, as its format's reader gives them (bad records
    given to ``report``)."""
    lines = read_line_range(part.path, part.start, part.end, part.first_line, report)
    yield from convert(json_values(lines, part.path, report), _RECORD_PAPERS[part.format], part.path, report)
