"""Reading papers from one file (``read_papers``) or many, de-duplicated (``read_corpus``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
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
    seen = seen if seen is not None else set()
    seen_texts = seen_texts if seen_texts is not None else set()
    papers, files = 0, []  # papers read, repeats too; the first two files, to name an empty one
    for path in _expand(paths):
        files = files if len(files) == 2 else [*files, path]
        for paper in _file_papers(path, format, skip_bad, stats, max_text_length):
            papers += 1
            # A paper with an identifier leaves "id:<key>" for those without, and the other way round.
            key = text_key(paper.title, paper.abstract)
            own, other = ("id:", "no-id:") if has_identifier(paper.id) else ("no-id:", "id:")
            if paper.id in seen or other + key in seen_texts:
                seen.add(paper.id)  # a later paper with this id is the same one again
                stats.duplicates += 1
                continue
            seen.add(paper.id)
            seen_texts.add(own + key)
            stats.papers += 1
            yield paper
    if not papers and not allow_empty:
        raise EmptyInputError(stats, files[0] if len(files) == 1 else None)


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
    name = Path(path).name
    for paper in reader(path, stats.skip if skip_bad else raise_error):
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
