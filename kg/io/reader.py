"""What every format reader shares: the error-report hook and record-to-paper conversion."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from kg.errors import InputError
from kg.records import Paper

RawRecord = TypeVar("RawRecord")

# Called with each bad record's error: raises it (strict reading) or counts it (skip_bad).
Report = Callable[[InputError], None]
# A format reader: (path as given, report) -> papers, in file order.
Reader = Callable[[str, Report], Iterator[Paper]]


def raise_error(error: InputError) -> None:
    """The strict ``Report``: every bad record stops the read."""
    raise error


def ignore_error(error: InputError) -> None:
    """The ``Report`` of sniffing a format: a bad record is no reason to stop looking."""


def convert(
    items: Iterable[tuple[int, RawRecord]],
    to_paper: Callable[[RawRecord, str, int], Paper],
    path: str,
    report: Report,
) -> Iterator[Paper]:
    """Turn ``(line, raw record)`` pairs into papers, reporting the records that cannot be."""
    for line, item in items:
        try:
            paper = to_paper(item, path, line)
        except InputError as error:
            report(error)
            continue
        yield paper
