"""IRIs of the kg graph: stable resource IRIs from node ids, and safe IRIs for external URLs."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import ExportError

__all__ = ["DEFAULT_BASE_IRI", "ONTOLOGY_IRI", "check_base_iri", "external_iri", "node_iri"]

DEFAULT_BASE_IRI = "https://w3id.org/kg/id/"
ONTOLOGY_IRI = "https://w3id.org/kg/ontology#"

# Characters kept as they are inside one path segment (RFC 3986 pchar, minus the ones that
# need escaping in Turtle local names or HTML attributes: & ' ( ) *).  Everything else,
# non-ASCII included, is percent-encoded as UTF-8, so any node id gives a plain-ASCII IRI.
_SEGMENT_SAFE = "-._~:@!$+,;="
# For external URLs: unreserved + reserved characters except the host-only brackets, and
# "%" (existing escapes stay as they are; a "%" not followed by two hex digits is encoded).
_URL_SAFE = "-._~:/?#@!$&'()*+,;=%"
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Only web URLs become IRIs: another scheme could read as a prefixed name in JSON-LD.
_SCHEME = re.compile(r"(?i:https?|ftp)://")


def check_base_iri(base_iri: str) -> str:
    """Return ``base_iri`` if it can prefix resource IRIs, else raise ``ExportError``.

    >>> check_base_iri("https://example.org/kg/")
    'https://example.org/kg/'
    """
    if not base_iri.endswith(("/", "#")):
        raise ExportError(f"base IRI {base_iri!r} must end with '/' or '#'")
    try:
        ox.NamedNode(base_iri)
    except ValueError as error:
        raise ExportError(f"base IRI {base_iri!r} is not an absolute IRI: {error}") from None
    return base_iri


@lru_cache(maxsize=1 << 16)  # entities recur in paper after paper: each IRI is encoded once
def node_iri(node_id: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The IRI of a graph node: ``base_iri`` + the node id, each path segment percent-encoded.

    The mapping is injective and stable (the same node id always gives the same IRI), and
    segments made only of dots are encoded so that no IRI resolver removes them.  A final
    dot is encoded too: Turtle writes it as ``paper:x\\.``, which rdflib cannot read.

    >>> node_iri("method/evoprompt")
    'https://w3id.org/kg/id/method/evoprompt'
    >>> node_iri("dataset/ms coco <2014>")
    'https://w3id.org/kg/id/dataset/ms%20coco%20%3C2014%3E'
    >>> node_iri("paper/jsonl:v1.")
    'https://w3id.org/kg/id/paper/jsonl:v1%2E'
    """
    iri = base_iri + "/".join(_segment(part) for part in node_id.split("/"))
    return iri[:-1] + "%2E" if iri.endswith(".") else iri


def _segment(part: str) -> str:
    if part and part.strip(".") == "":
        return "%2E" * len(part)
    return quote(part, safe=_SEGMENT_SAFE)


def external_iri(url: str) -> str | None:
    """``url`` as a valid absolute IRI (unsafe characters percent-encoded), or None.

    None means the text is not an http(s)/ftp URL or cannot be an IRI (an invalid host);
    callers then keep it as an ``xsd:anyURI`` literal.

    >>> external_iri("https://github.com/a/b c")
    'https://github.com/a/b%20c'
    >>> external_iri("not a url") is None
    True
    >>> external_iri("https://github.com/a/b#x#y")
    'https://github.com/a/b#x%23y'
    """
    head, hash_mark, fragment = url.partition("#")
    # only the first "#" starts the fragment: any later one must be encoded
    url = head + hash_mark + fragment.replace("#", "%23")
    encoded = quote(_BAD_PERCENT.sub("%25", url), safe=_URL_SAFE)
    if not _SCHEME.match(encoded):
        return None
    try:
        ox.NamedNode(encoded)
    except ValueError:
        return None
    return encoded
