"""XML parsing that refuses entity declarations (no billion laughs, no external entities)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers import expat

from kg.errors import InputError


class _RootFound(Exception):
    """Stops sniffing once the root element is seen."""


def parse_xml(data: bytes, path: str) -> ET.Element:
    """The element tree of ``data``; malformed XML or any entity declaration is an InputError."""
    builder = ET.TreeBuilder()
    parser = _parser(path)
    parser.StartElementHandler = lambda tag, attributes: builder.start(
        _qualified(tag), {_qualified(name): value for name, value in attributes.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end(_qualified(tag))
    parser.CharacterDataHandler = builder.data
    _run(parser, data, path, final=True)
    return builder.close()


def root_tag(head: bytes, path: str) -> str | None:
    """The ``{namespace}name`` of the root element found in the first bytes of a file."""
    found: list[str] = []

    def start(tag: str, attributes: dict[str, Any]) -> None:
        found.append(_qualified(tag))
        raise _RootFound

    parser = _parser(path)
    parser.StartElementHandler = start
    try:
        _run(parser, head, path, final=False)
    except _RootFound:
        return found[0]
    except InputError:
        return None
    return None


def _parser(path: str) -> Any:
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse_entities(name: str, *_: Any) -> None:
        message = f"entity declarations are not allowed (found {name!r}); expected plain XML"
        raise InputError(message, path, parser.CurrentLineNumber)

    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ordered_attributes = False
    return parser


def _run(parser: Any, data: bytes, path: str, *, final: bool) -> None:
    try:
        parser.Parse(data, final)
    except expat.ExpatError as error:
        message = f"malformed XML: {expat.ErrorString(error.code)} (column {error.offset + 1})"
        raise InputError(message, path, error.lineno) from error


def _qualified(tag: str) -> str:
    """expat's ``namespace}name`` as ElementTree's ``{namespace}name``."""
    return "{" + tag if "}" in tag else tag
