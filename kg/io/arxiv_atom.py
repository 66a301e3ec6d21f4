"""arXiv API responses: Atom feeds of ``entry`` elements.

Format
------
``feed/entry`` with ``id`` (``http://arxiv.org/abs/<id>v<n>``), ``title``, ``summary``,
``author/name``, ``published``, ``arxiv:doi``, ``link`` and ``category``; see
https://info.arxiv.org/help/api/user-manual.html.  ``source_line`` is the entry's 1-based index.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from kg.errors import InputError
from kg.io.fields import fold
from kg.io.ids import normalise_arxiv_id, normalise_doi, paper_id
from kg.io.reader import Report, convert
from kg.io.safe_xml import parse_xml, root_tag
from kg.io.source import read_bytes, read_head
from kg.records import Paper

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"

_ABS_URL = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/abs/(?P<id>.+)$")
_YEAR = re.compile(r"^\d{4}")


def read_arxiv_atom(path: str, report: Report) -> Iterator[Paper]:
    """Papers from an Atom feed (or a single Atom entry)."""
    root = parse_xml(read_bytes(path), path)
    entries = [root] if root.tag == f"{{{ATOM}}}entry" else root.findall(f"{{{ATOM}}}entry")
    yield from convert(enumerate(entries, start=1), entry_paper, path, report)


def is_atom(path: str) -> bool:
    """Whether the file is XML whose root element is in the Atom namespace."""
    tag = root_tag(read_head(path), path)
    return tag is not None and tag.startswith(f"{{{ATOM}}}")


def entry_paper(entry: ET.Element, path: str, index: int) -> Paper:
    """The paper one Atom ``entry`` describes."""
    entry_id = _text(entry, "id")
    if "/api/errors" in entry_id:
        raise InputError(
            f"the arXiv API returned an error: {_text(entry, 'summary')!r}", path, index
        )
    match = _ABS_URL.match(entry_id)
    arxiv_id = normalise_arxiv_id(match["id"]) if match else None
    title = _required(entry, "title", path, index)
    doi = _text(entry, f"{{{ARXIV}}}doi")
    doi = normalise_doi(doi) if doi else None
    published = _text(entry, "published")
    year = _YEAR.match(published)
    return Paper(
        id=paper_id(
            arxiv_id=arxiv_id, doi=doi, source="arxiv-atom", source_id=entry_id, title=title
        ),
        title=title,
        abstract=_required(entry, "summary", path, index),
        authors=_all_text(entry, f"{{{ATOM}}}author/{{{ATOM}}}name"),
        year=int(year.group()) if year else None,
        doi=doi,
        arxiv_id=arxiv_id,
        url=_alternate_link(entry) or entry_id or None,
        date=published or None,
        categories=tuple(
            node.get("term", "") for node in entry.iterfind(f"{{{ATOM}}}category[@term]")
        ),
        source="arxiv-atom",
        source_file=path,
        source_line=index,
    )


def _text(entry: ET.Element, tag: str) -> str:
    """The folded text of the first child ``tag`` (Atom namespace unless qualified), or ""."""
    node = entry.find(tag if tag.startswith("{") else f"{{{ATOM}}}{tag}")
    return fold("".join(node.itertext())) if node is not None else ""


def _all_text(entry: ET.Element, path: str) -> tuple[str, ...]:
    """The non-empty folded texts of every element at ``path`` under the entry."""
    texts = (fold("".join(node.itertext())) for node in entry.iterfind(path))
    return tuple(text for text in texts if text)


def _required(entry: ET.Element, tag: str, path: str, index: int) -> str:
    text = _text(entry, tag)
    if not text:
        raise InputError(f"entry has no {tag!r} (or it is empty); expected some text", path, index)
    return text


def _alternate_link(entry: ET.Element) -> str | None:
    for link in entry.iterfind(f"{{{ATOM}}}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None
