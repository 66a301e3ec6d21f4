"""Package data of kg (gazetteer terms) and the loader that reads it."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from kg.errors import ModelError

__all__ = ["TERM_COLUMNS", "Term", "load_terms", "resource_path"]

TERM_COLUMNS: tuple[str, ...] = ("canonical", "type", "aliases", "source")
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


def load_terms(path: str | Path | None = None) -> list[Term]:
    """Read the gazetteer (``terms.tsv`` shipped with kg unless ``path`` is given).

    Raises ``ModelError`` naming the file and line when the file is missing or malformed.
    """
    source = Path(path) if path is not None else resource_path("terms.tsv")
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ModelError(f"{source}: cannot read the term list ({error.strerror})") from error
    if not lines or tuple(lines[0].split("\t")) != TERM_COLUMNS:
        raise ModelError(f"{source}:1: expected the header {' '.join(TERM_COLUMNS)!r}")
    terms = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(TERM_COLUMNS) or not cells[0] or cells[1] not in _TYPES:
            raise ModelError(
                f"{source}:{number}: expected 4 tab-separated columns "
                f"(canonical, type in {'/'.join(_TYPES)}, aliases, source), got {line!r}"
            )
        canonical, entity_type, aliases, origin = cells
        terms.append(Term(canonical, entity_type, tuple(a for a in aliases.split("|") if a), origin))
    return terms
