"""Plain paper records as CSV or TSV with a header row (column names case-insensitive)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import partial

from kg.errors import InputError
from kg.io.plain import plain_paper
from kg.io.reader import Report, convert
from kg.io.source import read_lines
from kg.records import Paper

REQUIRED_COLUMNS: tuple[str, ...] = ("title", "abstract")


def read_csv(path: str, report: Report) -> Iterator[Paper]:
    """Papers from a comma-separated file; ``authors`` is split on ``;``."""
    yield from _read_table(path, report, "csv", csv.excel)


def read_tsv(path: str, report: Report) -> Iterator[Paper]:
    """Papers from a tab-separated file; ``authors`` is split on ``;``."""
    yield from _read_table(path, report, "tsv", csv.excel_tab)


def _read_table(
    path: str, report: Report, source: str, dialect: type[csv.Dialect]
) -> Iterator[Paper]:
    rows = _rows(path, report, dialect, source)
    yield from convert(rows, partial(plain_paper, source=source), path, report)


def _rows(
    path: str, report: Report, dialect: type[csv.Dialect], source: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line where the row starts, {column: value})`` for each data row."""
    reader = csv.reader((text for _, text in read_lines(path)), dialect, strict=True)
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = _header(row, path, line)
            elif len(row) != len(header):
                message = f"expected {len(header)} fields as in the header, found {len(row)}"
                report(InputError(message, path, line))
            else:
                yield line, dict(zip(header, row, strict=True))
    except csv.Error as error:
        raise InputError(f"malformed {source.upper()} record: {error}", path, start) from error


def _header(row: list[str], path: str, line: int) -> list[str]:
    header = [cell.strip().lower() for cell in row]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InputError(
            f"the header has no {missing[0]!r} column; expected columns title, abstract and "
            "optionally id, doi, url, authors, year, arxiv_id",
            path,
            line,
        )
    return header
