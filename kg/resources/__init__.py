"""Package data of kg (gazetteer terms) and the loader that reads it."""
from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from kg.errors import ModelError

__all__ = ["ESTABLISHED_COLUMNS", "TERM_COLUMNS", "Term", "load_established", "load_terms", "read_table",
           "resource_path"]

TERM_COLUMNS: tuple[str, ...] = ("canonical", "type", "aliases", "source")
ESTABLISHED_COLUMNS: tuple[str, ...] = ("phrase", "mentions")
_TYPES = ("Method", "Dataset", "Metric", "Task")


class Term(NamedTuple):
    """A gazetteer entry: its canonical name, entity type, other names and the list it came from."""

    canonical: str
    type: str
    aliases: tuple[str, ...]
    source: str


def resource_path(name: str) -> Path:
    """The path of the shipped resource ``name`` (e.g. ``"terms.tsv"``)."""
    return Path(str(files("kg.resources").joinpath(name)))


def read_table(path: Path, columns: tuple[str, ...], what: str, *, expected: str | None = None,
               valid: Callable[[list[str]], bool] | None = None) -> list[list[str]]:
    """The rows of a tab-separated resource whose header is ``columns``.

    Raises ``ModelError`` naming the file (``what`` it is) and line when it is missing or a row
    has the wrong number of cells, an empty first cell or fails ``valid``; ``expected``
    describes the columns in that message (default: their names).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ModelError(f"{path}: cannot read {what} ({error.strerror})") from error
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise ModelError(f"{path}:1: expected the header {' '.join(columns)!r}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(columns) or not cells[0] or (valid is not None and not valid(cells)):
            raise ModelError(f"{path}:{number}: expected {len(columns)} tab-separated columns "
                             f"({expected or ', '.join(columns)}), got {line!r}")
        rows.append(cells)
    return rows


def load_terms(path: str | Path | None = None) -> list[Term]:
    """Read the gazetteer (``terms.tsv`` shipped with kg unless ``path`` is given).

    Raises ``ModelError`` naming the file and line when the file is missing or malformed.
    """
    source = Path(path) if path is not None else resource_path("terms.tsv")
    rows = read_table(source, TERM_COLUMNS, "the term list",
                      expected=f"canonical, type in {'/'.join(_TYPES)}, aliases, source",
                      valid=lambda cells: cells[1] in _TYPES)
    return [Term(canonical, entity_type, tuple(a for a in aliases.split("|") if a), origin)
            for canonical, entity_type, aliases, origin in rows]


def load_established(path: str | Path | None = None) -> dict[str, int]:
    """Established phrases (``established.tsv`` shipped with kg unless ``path`` is given): the
    phrases the annotated corpora's train splits mark as entities again and again, with how
    many times ("generative model", "data augmentation"), keyed as ``scripts/build_resources``
    wrote them (lower case, singular: ``kg.normalize.names.name_key``)."""
    source = Path(path) if path is not None else resource_path("established.tsv")
    rows = read_table(source, ESTABLISHED_COLUMNS, "the established phrases",
                      valid=lambda cells: cells[1].isdigit())
    return {phrase: int(count) for phrase, count in rows}
