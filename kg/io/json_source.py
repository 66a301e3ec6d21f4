"""JSON input in its two layouts: JSON Lines (one record a line) or one document."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import closing
from typing import Any, Literal

from kg.errors import InputError
from kg.io.reader import Report, ignore_error
from kg.io.source import read_lines, read_text

Layout = Literal["lines", "document"]

# Keys under which API pages and wrapper objects hold their list of records.
PAGE_KEYS: tuple[str, ...] = ("results", "data", "papers", "items")


def json_layout(path: str) -> Layout:
    """``lines`` when the first non-blank line is a whole JSON value and more lines follow.

    A pretty-printed document, an array, or a single one-line object is a ``document``.
    """
    with closing(read_lines(path, ignore_error)) as lines:
        for _, text in lines:
            first = text.strip()
            if not first:
                continue
            if first.startswith("[") or not _parses(first):
                return "document"
            return "lines" if any(rest.strip() for _, rest in lines) else "document"
    return "document"


def json_records(path: str, layout: Layout, report: Report) -> Iterator[tuple[int, Any]]:
    """``(line or 1-based index, decoded record)`` for each record of the file."""
    return json_lines(path, report) if layout == "lines" else json_document(path)


def decode_json(text: str, path: str, line: int) -> Any:
    """The value of the JSON ``text`` that starts at ``line``; InputError when it is not JSON,
    nests too deeply for Python or holds an integer too long to convert."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = f"invalid JSON: {error.msg} (column {error.colno})"
        raise InputError(message, path, line + error.lineno - 1) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", path, line) from None
    except ValueError as error:  # an integer of more than sys.get_int_max_str_digits() digits
        raise InputError(f"invalid JSON: {error}", path, line) from None


def json_lines(path: str, report: Report) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each non-blank line; a line that is not JSON is reported."""
    return json_values(read_lines(path, report), path, report)


def json_values(lines: Iterable[tuple[int, str]], path: str, report: Report) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each non-blank ``(line, text)`` of ``path``; a line that is not
    JSON is reported."""
    for line, text in lines:
        if not text.strip():
            continue
        try:
            value = decode_json(text.rstrip(), path, line)
        except InputError as error:
            report(error)
            continue
        yield line, value


def json_document(path: str) -> Iterator[tuple[int, Any]]:
    """``(index, record)`` of a JSON array, a page (``{"results": [...]}``) or a single record."""
    text = read_text(path)
    if not text.strip():
        raise InputError("the file is empty; expected a JSON array or object", path)
    return enumerate(unwrap(decode_json(text, path, 1), path), start=1)


def unwrap(document: Any, path: str) -> list[Any]:
    """The records of a decoded document: the array itself, a page's list, or the one object."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise InputError("expected a JSON array or object at the top level", path, 1)
    for key in PAGE_KEYS:
        if isinstance(document.get(key), list):
            return document[key]
    return [document]


def _parses(text: str) -> bool:
    try:
        decode_json(text, "", 1)
    except InputError:
        return False
    return True
