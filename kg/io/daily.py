"""The "daily papers" text dumps: page header, date lines, then title/abstract paragraphs.

Format
------
Paragraphs are separated by blank lines.  Page boilerplate ("Daily Papers", "Subscribe", ...)
and date lines ("Aug 12") may appear wherever a title may; every title is one short line
followed by its abstract paragraph.  ``Paper.date`` is the last date line, as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import InputError
from kg.io.fields import fold
from kg.io.ids import paper_id
from kg.io.reader import Report
from kg.io.source import non_blank_lines, read_lines
from kg.records import Paper

# Lines of the web page around the papers (compared case-insensitively): its header and
# its navigation controls.
BOILERPLATE: frozenset[str] = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "previous",
        "next",
        "load more",
    }
)
MAX_TITLE_CHARACTERS = 300

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = re.compile(
    rf"^(?:(?:{_MONTHS})[a-z]*\.? \d{{1,2}}(?:,? (?P<year>\d{{4}}))?"
    rf"|\d{{1,2}} (?:{_MONTHS})[a-z]*\.?(?:,? (?P<year2>\d{{4}}))?"
    r"|(?P<iso_year>\d{4})-\d{2}-\d{2})$",
    re.IGNORECASE,
)
# A short one-line paragraph is an abstract only when it ends like a sentence; titles may
# end with "?" or "!" but hardly ever with a full stop.
_ABSTRACT_END = (".", '."', ".)")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Consecutive non-blank lines: the line it starts on, its lines (stripped) and their text."""

    line: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return fold(" ".join(self.lines))


def read_daily(path: str, report: Report) -> Iterator[Paper]:
    """Papers from a daily-papers dump; ``source_line`` is the line of the title."""
    date: str | None = None
    title: Paragraph | None = None
    for paragraph in paragraphs(path, report):
        if title is not None:
            if _is_abstract(paragraph):
                yield _paper(title, paragraph, date, path)
                title = None
                continue
            report(_missing_abstract(title, paragraph, path))
            title = None
        text = paragraph.text
        if is_boilerplate(text):
            continue
        if is_date(text):
            date = text
            continue
        problem = _title_problem(paragraph)
        if problem:
            report(InputError(problem, path, paragraph.line))
            continue
        title = paragraph
    if title is not None:
        report(
            InputError(
                f"title {title.text!r} has no abstract: the file ends after it", path, title.line
            )
        )


def paragraphs(path: str, report: Report | None = None) -> Iterator[Paragraph]:
    """The blank-line separated paragraphs of the file, in order (``report``: see
    ``read_lines``)."""
    start, lines = 0, []
    for number, text in read_lines(path, report):
        if text.strip():
            start = start or number
            lines.append(text.strip())
        elif lines:
            yield Paragraph(start, tuple(lines))
            start, lines = 0, []
    if lines:
        yield Paragraph(start, tuple(lines))


def is_boilerplate(text: str) -> bool:
    """Whether ``text`` is a line of the web page rather than of a paper."""
    return text.casefold() in BOILERPLATE


def is_date(text: str) -> bool:
    """Whether ``text`` is a date line: "Aug 12", "12 Aug 2024", "Aug 12, 2024", "2024-08-12"."""
    return _DATE.match(text) is not None


def is_daily(path: str) -> bool:
    """Whether the file opens like a daily-papers dump (page header or date line first)."""
    return any(is_boilerplate(text) or is_date(text) for _, text in non_blank_lines(path, limit=8))


def _is_abstract(paragraph: Paragraph) -> bool:
    text = paragraph.text
    if is_boilerplate(text) or is_date(text):
        return False
    looks_like_title = len(paragraph.lines) == 1 and len(text) <= MAX_TITLE_CHARACTERS
    return not looks_like_title or text.endswith(_ABSTRACT_END)


def _title_problem(paragraph: Paragraph) -> str | None:
    if len(paragraph.lines) > 1:
        return f"expected a one-line title, found a paragraph of {len(paragraph.lines)} lines"
    if len(paragraph.text) > MAX_TITLE_CHARACTERS:
        return (
            f"expected a title, found a paragraph of {len(paragraph.text)} characters "
            "(an abstract without its title?)"
        )
    return None


def _missing_abstract(title: Paragraph, found: Paragraph, path: str) -> InputError:
    what = "a date line" if is_date(found.text) else f"{found.text[:60]!r}"
    message = (
        f"title {title.text!r} has no abstract: expected one at line {found.line}, found {what}"
    )
    return InputError(message, path, title.line)


def _paper(title: Paragraph, abstract: Paragraph, date: str | None, path: str) -> Paper:
    match = _DATE.match(date) if date else None
    year = next((group for group in match.groups() if group), None) if match else None
    return Paper(
        id=paper_id(title=title.text),
        title=title.text,
        abstract=abstract.text,
        date=date,
        year=int(year) if year else None,
        source="daily",
        source_file=path,
        source_line=title.line,
    )
