"""Reading papers from one file (``read_papers``) or many, de-duplicated (``read_corpus``),
or many cut into parts that other processes read (``CorpusParts``, ``read_range``), the
repeats then found in input order by ``Repeats``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Protocol

from kg.errors import InputError
from kg.io.arxiv_atom import read_arxiv_atom
from kg.io.arxiv_snapshot import read_arxiv_snapshot
from kg.io.daily import read_daily
from kg.io.detect import UnknownFormatError, detect_format
from kg.io.hygiene import MAX_TEXT_LENGTH, clean_paper, limit_length
from kg.io.ids import has_identifier, text_key
from kg.io.jsonl import read_json, read_jsonl
from kg.io.openalex import read_openalex
from kg.io.ranges import LineRange, can_split, line_ranges, range_papers
from kg.io.reader import Reader, raise_error
from kg.io.semantic_scholar import read_semantic_scholar
from kg.io.source import require_file
from kg.io.stats import ReadStats
from kg.io.tabular import read_csv, read_tsv
from kg.records import Paper

READERS: dict[str, Reader] = {
    "daily": read_daily,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "tsv": read_tsv,
    "arxiv-snapshot": read_arxiv_snapshot,
    "arxiv-atom": read_arxiv_atom,
    "openalex": read_openalex,
    "s2": read_semantic_scholar,
}
FORMATS: tuple[str, ...] = tuple(READERS)


class PaperIds(Protocol):
    """The ids (or text keys) ``read_corpus`` has yielded: a ``set`` by default; a build
    passes ones that keep them on disk (``kg.build``), so memory does not grow with the corpus."""

    def __contains__(self, paper_id: object) -> bool: ...

    def add(self, paper_id: str) -> None: ...


def read_papers(
    path: str | Path,
    format: str | None = None,
    *,
    skip_bad: bool = False,
    stats: ReadStats | None = None,
    max_text_length: int = MAX_TEXT_LENGTH,
) -> Iterator[Paper]:
    """Stream the papers of one file, in file order.

    ``format`` is one of ``FORMATS`` (detected from the file when None).  A bad record raises
    ``InputError`` ("file:line: what was wrong"), or with ``skip_bad`` is skipped and counted
    in ``stats``.  ``.gz`` files are decompressed on the fly.  Every text is cleaned
    (``kg.io.hygiene``); a title or abstract longer than ``max_text_length`` characters is
    cut to it, with a warning in ``stats.warnings``.

    >>> papers = read_papers("papers.jsonl")  # doctest: +SKIP
    """
    stats = stats if stats is not None else ReadStats()
    for paper in _file_papers(str(path), format, skip_bad, stats, max_text_length):
        stats.papers += 1
        yield paper


def read_corpus(
    paths: Iterable[str | Path],
    format: str | None = None,
    *,
    skip_bad: bool = False,
    stats: ReadStats | None = None,
    seen: PaperIds | None = None,
    seen_texts: PaperIds | None = None,
    max_text_length: int = MAX_TEXT_LENGTH,
    allow_empty: bool = True,
) -> Iterator[Paper]:
    """Stream the papers of many files in order, each paper once (repeats are counted).

    A paper is a repeat when its id was read before, or when it has no identifier (its id
    is ``title:``) and a paper with one had the same normalised title and abstract, or the
    other way round (the same paper from a CSV without ids and from arXiv); the first one
    read is kept.  A directory stands for its files (not recursing, hidden files left out)
    in sorted order.  ``seen`` holds the ids already yielded and ``seen_texts`` their text
    keys (in-memory sets unless given).  Unless ``allow_empty``, inputs that hold no paper
    (none, or only bad records skipped) raise ``EmptyInputError`` once read.
    """
    stats = stats if stats is not None else ReadStats()
    repeats = Repeats(seen, seen_texts)
    papers, files = 0, []  # papers read, repeats too; the first two files, to name an empty one
    for path in _expand(paths):
        files = files if len(files) == 2 else [*files, path]
        for paper in _file_papers(path, format, skip_bad, stats, max_text_length):
            papers += 1
            if repeats.repeated(paper.id, text_key(paper.title, paper.abstract)):
                stats.duplicates += 1
                continue
            stats.papers += 1
            yield paper
    if not papers and not allow_empty:
        raise EmptyInputError(stats, files[0] if len(files) == 1 else None)


class Repeats:
    """Which papers, met in input order, repeat one met before (``read_corpus``'s rule):
    the same id, or no identifier and the text key (``kg.io.ids.text_key``) of a paper with
    one, or the other way round.  ``seen`` and ``seen_texts`` hold the ids and keys met
    (in-memory sets unless given)."""

    def __init__(self, seen: PaperIds | None = None, seen_texts: PaperIds | None = None) -> None:
        self._seen: PaperIds = seen if seen is not None else set()
        self._texts: PaperIds = seen_texts if seen_texts is not None else set()

    def repeated(self, paper_id: str, key: str) -> bool:
        """Whether the paper ``paper_id`` of text key ``key`` repeats one met before; it is
        met now."""
        # A paper with an identifier leaves "id:<key>" for those without, and the other way round.
        own, other = ("id:", "no-id:") if has_identifier(paper_id) else ("no-id:", "id:")
        if paper_id in self._seen or other + key in self._texts:
            self._seen.add(paper_id)  # a later paper with this id is the same one again
            return True
        self._seen.add(paper_id)
        self._texts.add(own + key)
        return False


@dataclass
class CorpusPart:
    """A part of a corpus, in input order: the lines ``lines`` of a file, for a worker to
    read (``read_range``), or ``papers`` read here; ``stats`` counts what reading them here
    saw (the files begun, the records of ``papers``)."""

    lines: LineRange | None = None
    papers: list[Paper] = field(default_factory=list)
    stats: ReadStats = field(default_factory=ReadStats)


class CorpusParts:
    """The papers of ``paths`` (files, directories) as parts of at most ``size`` records in
    input order: ranges of lines of the files that can be cut (JSON Lines, uncompressed:
    ``kg.io.ranges``), the papers of the others read and cleaned here (of every file when
    not ``split``: for readers that do not see these files).  Nothing here finds repeats:
    whoever reads the parts puts them in order and asks ``Repeats``, as ``read_corpus``
    does.  A file that gives no part (an empty one) is still one part, so that every file
    is counted in order.  ``files`` are the first two files met, to name the input in
    ``EmptyInputError``."""

    def __init__(self, paths: Iterable[str | Path], format: str | None = None, *, size: int,
                 skip_bad: bool = False, max_text_length: int = MAX_TEXT_LENGTH, split: bool = True) -> None:
        self._paths, self._format, self._size, self._split = paths, format, size, split
        self._skip_bad, self._max_text_length = skip_bad, max_text_length
        self.files: list[str] = []

    def __iter__(self) -> Iterator[CorpusPart]:
        for path in _expand(self._paths):
            self.files = self.files if len(self.files) == 2 else [*self.files, path]
            require_file(path)
            if self._format is not None:
                reader_for(self._format, path)  # an unknown format raises, naming the known ones
                kind = self._format
            else:
                kind = _detected(path)
            if self._split and can_split(path, kind):
                begun = ReadStats(files=1)
                for lines in line_ranges(path, kind, self._size):
                    yield CorpusPart(lines=lines, stats=begun)
                    begun = ReadStats()
                continue
            stats = ReadStats()
            papers = _file_papers(path, kind, self._skip_bad, stats, self._max_text_length)
            while chunk := list(islice(papers, self._size)):
                yield CorpusPart(papers=chunk, stats=stats.take())
            if stats.files or stats.records:  # what the file's last records counted (or an empty file)
                yield CorpusPart(stats=stats.take())


def read_range(part: LineRange, *, skip_bad: bool = False, stats: ReadStats | None = None,
               max_text_length: int = MAX_TEXT_LENGTH) -> Iterator[Paper]:
    """The papers of the lines ``part`` of a file, what ``read_papers`` gives for those lines
    (cleaned, cut to ``max_text_length``, bad records raised or with ``skip_bad`` counted),
    counting its records in ``stats`` (not the file, nor the papers: ``CorpusParts``)."""
    stats = stats if stats is not None else ReadStats()
    papers = range_papers(part, stats.skip if skip_bad else raise_error)
    yield from _cleaned(papers, part.path, stats, max_text_length)


class EmptyInputError(InputError):
    """Inputs that hold no paper: empty files or directories, or only bad records skipped."""

    def __init__(self, stats: ReadStats, path: str | None = None) -> None:
        skipped = f", {stats.skipped} skipped as bad" if stats.skipped else ""
        super().__init__(f"no papers in the input ({stats.files} file(s), {stats.records} "
                         f"record(s){skipped}); pass --allow-empty if that is expected", path)


def check_inputs(paths: Iterable[str | Path], format: str | None = None) -> None:
    """Raise ``InputError`` now, before any work, for an input that is missing, not a file
    or (without ``format``) of a format that cannot be told: what reading would raise first."""
    for path in _expand(paths):
        if format is None:
            _detected(path)
        else:
            require_file(path)


def _detected(path: str) -> str:
    """``detect_format``, naming the formats to choose from when it cannot tell."""
    try:
        return detect_format(path)
    except UnknownFormatError as error:
        raise InputError(f"{error.reason}, one of: {', '.join(FORMATS)}", path) from None


def reader_for(format: str, path: str | None = None) -> Reader:
    """The reader of a format name; InputError listing the valid names when unknown."""
    if format not in READERS:
        raise InputError(f"unknown format {format!r}; expected one of: {', '.join(FORMATS)}", path)
    return READERS[format]


def _file_papers(
    path: str, format: str | None, skip_bad: bool, stats: ReadStats, max_text_length: int
) -> Iterator[Paper]:
    """Papers of one file, cleaned and cut to the length limit, counting the file and its
    records in ``stats``.

    A paper's ``source_file`` is the file's name only: outputs are shared, and a local
    directory (``/home/someone/...``) has no place in them.  Errors still name the path.
    """
    require_file(path)
    reader = reader_for(format, path) if format is not None else READERS[_detected(path)]
    stats.files += 1
    yield from _cleaned(reader(path, stats.skip if skip_bad else raise_error), path, stats, max_text_length)


def _cleaned(papers: Iterable[Paper], path: str, stats: ReadStats, max_text_length: int) -> Iterator[Paper]:
    """``papers`` of the file ``path`` cleaned and cut to the length limit, counted."""
    name = Path(path).name
    for paper in papers:
        stats.records += 1
        paper, cuts = limit_length(clean_paper(paper), max_text_length)
        for cut in cuts:
            stats.warn(f"{path}:{paper.source_line}: {cut}")
        yield paper if paper.source_file == name else replace(paper, source_file=name)


def _expand(paths: Iterable[str | Path]) -> Iterator[str]:
    for path in paths:
        where = Path(path)
        if where.is_dir():
            files = sorted(p for p in where.iterdir() if p.is_file() and not p.name.startswith("."))
            yield from (str(file) for file in files)
        else:
            yield str(path)
