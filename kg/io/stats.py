"""Counts of what a read saw: files, records, papers, duplicates and skipped bad records."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kg.errors import InputError

MAX_PROBLEMS = 20
# The counts of a ``ReadStats`` (its other fields are the first messages).
_COUNTS = ("files", "records", "papers", "duplicates", "skipped", "truncated")


@dataclass
class ReadStats:
    """What ``read_papers``/``read_corpus`` saw; pass one in and read it after iterating.

    ``records`` counts every record met (good, duplicate or skipped), ``papers`` those
    yielded; ``problems`` keeps the first ``MAX_PROBLEMS`` skip messages ("file:line: why")
    and ``warnings`` the first of those about papers kept but changed (a text cut to the
    length limit), ``truncated`` counting them all.
    """

    files: int = 0
    records: int = 0
    papers: int = 0
    duplicates: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    truncated: int = 0
    warnings: list[str] = field(default_factory=list)

    def skip(self, error: InputError) -> None:
        """Count a bad record that was skipped and remember why."""
        self.records += 1
        self.skipped += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(str(error))

    def warn(self, message: str) -> None:
        """Count a paper whose text was cut to the length limit and remember where."""
        self.truncated += 1
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(message)

    def add(self, other: ReadStats) -> None:
        """Count what ``other`` saw, read after what this saw (the first messages kept)."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems.extend(other.problems[:max(MAX_PROBLEMS - len(self.problems), 0)])
        self.warnings.extend(other.warnings[:max(MAX_PROBLEMS - len(self.warnings), 0)])

    def take(self) -> ReadStats:
        """What this saw until now, as a new ``ReadStats``; this starts again from nothing
        (a reader holding it counts on), so the pieces taken ``add`` up to the whole."""
        taken = replace(self)  # holds this one's lists of messages
        for name in _COUNTS:
            setattr(self, name, 0)
        self.problems, self.warnings = [], []
        return taken
