"""Which reader a file needs, from its extension and a look at its content."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.io.arxiv_atom import is_atom
from kg.io.daily import is_daily
from kg.io.json_source import Layout, json_document, json_layout, json_lines
from kg.io.reader import ignore_error
from kg.io.source import base_suffix, read_head, require_file

_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}


def detect_format(path: str | Path) -> str:
    """The format name of ``path`` (one of ``kg.io.FORMATS``); ``UnknownFormatError`` when it
    cannot tell.

    The extension (looking through ``.gz``) picks the family and the content decides within
    it: JSON records are told apart by their keys, ``.txt`` must open like a daily dump,
    XML must be Atom.  Files with another extension are sniffed by their first character.
    """
    path = str(path)
    require_file(path)
    suffix = base_suffix(path)
    if suffix in _TABLE_SUFFIXES:
        return _TABLE_SUFFIXES[suffix]
    if suffix in _JSON_SUFFIXES:
        return _json_format(path, "lines" if suffix != ".json" else json_layout(path))
    if suffix in (".xml", ".atom"):
        return _checked("arxiv-atom", is_atom(path), path, "XML but not an Atom feed")
    if suffix == ".txt":
        return _checked("daily", is_daily(path), path, "text without the daily-papers header")
    first = read_head(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first in (b"{", b"["):
        return _json_format(path, json_layout(path))
    if first == b"<" and is_atom(path):
        return "arxiv-atom"
    return _checked("daily", bool(first) and is_daily(path), path, "an unknown layout")


def record_format(record: Any) -> str | None:
    """The specific JSON format a decoded record belongs to, or None for a plain record."""
    if not isinstance(record, Mapping):
        return None
    if "abstract_inverted_index" in record or "authorships" in record:
        return "openalex"
    if str(record.get("id", "")).startswith("https://openalex.org/"):
        return "openalex"
    if "paperId" in record:
        return "s2"
    if "update_date" in record and "categories" in record:
        return "arxiv-snapshot"
    return None


def _json_format(path: str, layout: Layout) -> str:
    specific = record_format(_first_record(path, layout))
    if specific is None:
        return "jsonl" if layout == "lines" else "json"
    return specific


def _first_record(path: str, layout: Layout) -> Any:
    if layout == "document":
        return next((record for _, record in json_document(path)), None)
    with closing(json_lines(path, ignore_error)) as records:
        return next((record for _, record in records), None)


class UnknownFormatError(InputError):
    """A file whose format cannot be told from its extension and content."""


def _checked(format_name: str, matches: bool, path: str, found: str) -> str:
    if not matches:
        raise UnknownFormatError(f"cannot tell the format: found {found}; pass --format NAME", path)
    return format_name
