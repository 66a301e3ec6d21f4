"""Stable, IRI-safe paper ids: ``arxiv:``, ``doi:``, ``<source>:`` or ``title:`` + a key."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SAFE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~:/-")

_ARXIV_PREFIX = re.compile(r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.I)
_ARXIV_VERSION = re.compile(r"v\d+$")
_DOI_PREFIX = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.I)
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def iri_safe(text: str) -> str:
    """Percent-encode (UTF-8, upper-case hex) every character outside ``[A-Za-z0-9._~:/-]``.

    >>> iri_safe("10.1000/abc(1) x")
    '10.1000/abc%281%29%20x'
    """
    return "".join(
        char if char in SAFE_CHARACTERS else "".join(f"%{byte:02X}" for byte in char.encode())
        for char in text
    )


def normalise_arxiv_id(value: str) -> str:
    """The bare arXiv id without URL, ``arXiv:`` prefix, ``.pdf`` suffix or version.

    >>> normalise_arxiv_id("http://arxiv.org/abs/hep-th/9901001v2")
    'hep-th/9901001'
    """
    bare = _ARXIV_PREFIX.sub("", value.strip())
    bare = bare.removesuffix(".pdf")
    return _ARXIV_VERSION.sub("", bare)


def normalise_doi(value: str) -> str:
    """The DOI without ``doi:`` or resolver URL prefix (case kept; DOIs compare case-insensitively).

    >>> normalise_doi("https://doi.org/10.48550/arXiv.1706.03762")
    '10.48550/arXiv.1706.03762'
    """
    return _DOI_PREFIX.sub("", value.strip())


def title_key(title: str) -> str:
    """The title NFKC-normalised, case-folded, with runs of non-alphanumerics made one space."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return _NOT_ALPHANUMERIC.sub(" ", folded).strip()


def paper_id(
    *,
    arxiv_id: str | None = None,
    doi: str | None = None,
    source: str | None = None,
    source_id: str | None = None,
    title: str = "",
) -> str:
    """The id of a paper from the best identifier it has.

    ``arxiv:<id>`` (version dropped), else ``doi:<doi lower-cased>``, else
    ``<source>:<source id>``, else ``title:<16 hex of the SHA-1 of title_key(title)>``.

    >>> paper_id(arxiv_id="2301.00001v2", doi="10.1/X")
    'arxiv:2301.00001'
    >>> paper_id(doi="10.1000/ABC(1)")
    'doi:10.1000/abc%281%29'
    >>> paper_id(source="openalex", source_id="W2741809807")
    'openalex:W2741809807'
    """
    if arxiv_id and arxiv_id.strip():
        return "arxiv:" + iri_safe(normalise_arxiv_id(arxiv_id))
    if doi and doi.strip():
        return "doi:" + iri_safe(normalise_doi(doi).lower())
    if source and source_id and source_id.strip():
        return f"{iri_safe(source)}:{iri_safe(source_id.strip())}"
    digest = hashlib.sha1(title_key(title).encode()).hexdigest()
    return f"title:{digest[:16]}"


def has_identifier(paper_id: str) -> bool:
    """Whether a paper id comes from an identifier of the paper (not from its title alone).

    >>> has_identifier("arxiv:2301.00001"), has_identifier("title:0123456789abcdef")
    (True, False)
    """
    return not paper_id.startswith("title:")


def text_key(title: str, abstract: str) -> str:
    """A key of a paper's title and abstract, each normalised as ``title_key``: the same paper
    read from two sources (one with an identifier, one without) has the same key.

    >>> text_key("FastNet: Fast  Nets", "We propose FastNet.") == text_key("fastnet fast nets", "We propose FASTNET")
    True
    """
    digest = hashlib.sha1(f"{title_key(title)}\n{title_key(abstract)}".encode()).hexdigest()
    return digest[:16]
