"""The ``kg_urls`` component: finds URLs, normalises them and keeps each one a single token."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.extensions import LinkSpan, doc_text, register_extensions
from kg.normalize.urls import find_urls, normalize_url

__all__ = ["UrlDetector", "link_spans", "make_urls"]


def link_spans(text: str) -> list[LinkSpan]:
    """Every URL of ``text`` as a ``LinkSpan`` with its normalised form.

    >>> link_spans("See gitlab.com/a/b.")[0].url
    'https://gitlab.com/a/b'
    """
    links = []
    for start, end, written in find_urls(text):
        url, repository = normalize_url(written)
        links.append(LinkSpan(start, end, written, url, repository))
    return links


class UrlDetector:
    """Writes ``doc._.kg_links`` and merges each URL into one token so no component splits it."""

    def __call__(self, doc: Doc) -> Doc:
        links = link_spans(doc_text(doc))
        doc._.kg_links = links
        spans = [doc.char_span(link.start_char, link.end_char) for link in links]
        spans = [span for span in spans if span is not None and len(span) > 1]
        if spans:
            with doc.retokenize() as retokenizer:
                for span in spans:
                    retokenizer.merge(span)
        return doc


@Language.factory("kg_urls")
def make_urls(nlp: Language, name: str) -> UrlDetector:
    """Build the ``kg_urls`` component."""
    register_extensions()
    return UrlDetector()
