"""Counts of what a read saw: files, records, papers, duplicates and skipped bad records."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import InputError

MAX_PROBLEMS = 20


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
