"""Typed access to the fields of a decoded record, raising InputError at the record's line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kg.errors import InputError
from kg.io.hygiene import clean_text

_YEAR = re.compile(r"^\d{4}$")


def fold(text: str) -> str:
    """``text`` cleaned (``kg.io.hygiene.clean_text``), every run of whitespace (newlines
    included) made one space, stripped."""
    return " ".join(clean_text(text).split())


def as_record(value: Any, path: str, line: int) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an InputError saying what was found."""
    if not isinstance(value, Mapping):
        raise InputError(f"expected a JSON object, found {_kind(value)}", path, line)
    return value


def nested(record: Mapping[str, Any], *keys: str) -> Any:
    """``record[k1][k2]...``, or None as soon as a level is missing or not an object."""
    value: Any = record
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def required_text(record: Mapping[str, Any], path: str, line: int, *keys: str) -> str:
    """The first of ``keys`` the record has, whitespace-folded; raise if none or it is empty."""
    present = [key for key in keys if record.get(key) is not None]
    if not present:
        raise InputError(f"record has no {keys[0]!r}", path, line)
    text = optional_text(record, present[0], path, line)
    if not text:
        raise InputError(f"record has an empty {present[0]!r}; expected some text", path, line)
    return text


def optional_text(record: Mapping[str, Any], key: str, path: str, line: int) -> str | None:
    """The field as folded text (numbers become text), None when missing or blank."""
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"field {key!r} should be text, found {_kind(value)}", path, line)
    return fold(str(value)) or None


def year(record: Mapping[str, Any], key: str, path: str, line: int) -> int | None:
    """The field as a four-digit year (an int or a string of digits), None when missing."""
    text = optional_text(record, key, path, line)
    if text is None:
        return None
    if not _YEAR.match(text):
        raise InputError(f"field {key!r} should be a year like 2021, found {text!r}", path, line)
    return int(text)


def names(record: Mapping[str, Any], key: str, path: str, line: int) -> tuple[str, ...]:
    """Author names: a list of names or ``{"name": ...}`` objects, or a ``;``-separated string."""
    value = record.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(name for name in (fold(part) for part in value.split(";")) if name)
    if not isinstance(value, list):
        raise InputError(
            f"field {key!r} should be a list of names, found {_kind(value)}", path, line
        )
    found = []
    for item in value:
        name = item.get("name") if isinstance(item, Mapping) else item
        if not isinstance(name, str):
            raise InputError(
                f"field {key!r} should hold names or {{'name': ...}} objects, found {_kind(item)}",
                path,
                line,
            )
        if fold(name):
            found.append(fold(name))
    return tuple(found)


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    for python_type, kind in kinds.items():
        if isinstance(value, python_type):
            return kind
    return "a number" if isinstance(value, int | float) else type(value).__name__
