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
# Long cells are cut to the text limit by kg.io.hygiene; the csv module's own limit (128 KiB,
# process-wide) would stop the whole file at one long abstract instead.
csv.field_size_limit(2**31 - 1)


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
    """``(line where the row starts, {column: value})`` for each data row.

    A malformed row is reported and reading goes on at the next line (a bad header stops).
    """
    start, fresh = 1, True  # the line where the csv reader's record begins; a record ended

    def texts() -> Iterator[str]:
        nonlocal start, fresh
        for number, text in read_lines(path, report):
            if fresh:
                start, fresh = number, False
            yield text

    reader = csv.reader(texts(), dialect, strict=True)
    header: list[str] | None = None
    while True:
        try:
            row = next(reader, None)
        except csv.Error as error:
            problem = InputError(f"malformed {source.upper()} record: {error}", path, start)
            if header is None:
                raise problem from None
            report(problem)
            fresh = True
            continue
        if row is None:
            return
        line, fresh = start, True
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _header(row, path, line)
        elif len(row) != len(header):
            message = f"expected {len(header)} fields as in the header, found {len(row)}"
            report(InputError(message, path, line))
        else:
            yield line, dict(zip(header, row, strict=True))


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
