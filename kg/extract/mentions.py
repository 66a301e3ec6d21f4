"""Turn the spaCy docs of one paper into ``kg.records.PaperMentions``."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span

from kg.extract.extensions import (
    CANDIDATES_KEY,
    LABEL_TO_TYPE,
    PROPOSED_KEY,
    TERMS_KEY,
    doc_text,
)
from kg.records import Abbreviation, Evidence, Link, Mention, Paper, PaperMentions, ResultMention

__all__ = ["AGREEMENT_BONUS", "DocEvidence", "doc_mentions", "paper_mentions", "resolve_spans"]

# A name the trained NER and the gazetteer both find is surer than either alone.
AGREEMENT_BONUS = 0.1
_DEFAULT_CONFIDENCE = {"ner": 0.7, "gazetteer": 0.6}
_SPAN_GROUPS = (TERMS_KEY, CANDIDATES_KEY, PROPOSED_KEY)
# Characters of an evidence sentence kept before and after its mention.
MAX_CONTEXT = 500


class DocEvidence:
    """Makes the ``Evidence`` of character ranges of one doc.

    The doc's text and the token bounds of its sentences are read once: spaCy rebuilds
    ``doc.text`` and ``span.sent`` from the tokens on every access.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.field = doc._.kg_field
        self.sentence_starts: list[int] | None = None
        if len(doc) and doc.has_annotation("SENT_START"):
            columns = doc.to_array([SENT_START, IDX, LENGTH]).astype(numpy.int64)
            starts = numpy.flatnonzero(columns[:, 0] == 1)
            self.sentence_starts = sorted({0, *starts.tolist()})
            self.token_starts = columns[:, 1].tolist()
            self.token_ends = (columns[:, 1] + columns[:, 2]).tolist()

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Character bounds of the sentence of the first token of ``start:end`` (as
        ``doc.char_span(start, end, alignment_mode="expand").sent``), or of the whole doc
        when it has no sentences or ``start:end`` no tokens."""
        starts = self.sentence_starts
        first, last = (self._token_at(start), self._token_at(end - 1)) if starts else (-1, -1)
        if first < 0 or last < 0:
            whole = self.doc[:]
            return whole.start_char, whole.end_char
        if start == self.token_ends[first]:  # the space after a token
            first += 1
        number = bisect_right(starts, first) - 1
        last = (starts[number + 1] if number + 1 < len(starts) else len(self.doc)) - 1
        return self.token_starts[starts[number]], self.token_ends[last]

    def _token_at(self, char: int) -> int:
        """The token whose text or following space holds the character ``char``, or -1."""
        if not 0 <= char < len(self.text):
            return -1
        return bisect_right(self.token_starts, char) - 1

    def of(self, start: int, end: int, source: str) -> Evidence:
        """The evidence of the characters ``start:end``, with the sentence around them (at
        most ``MAX_CONTEXT`` characters of it on each side, so a text without sentence ends
        does not put its whole length into every mention)."""
        sentence_start, sentence_end = self.sentence(start, end)
        sentence_start = max(sentence_start, start - MAX_CONTEXT)
        sentence_end = min(sentence_end, end + MAX_CONTEXT)
        return Evidence(
            text=self.text[start:end],
            field=self.field,
            start=start,
            end=end,
            sentence=self.text[sentence_start:sentence_end],
            sentence_start=sentence_start,
            source=source,
        )


def _candidate_spans(doc: Doc) -> Iterator[tuple[Span, str]]:
    """Every labelled span of the doc with the component that found it unless the span
    names another (``span._.kg_source``)."""
    for span in doc.ents:
        yield span, "ner"
    for key in _SPAN_GROUPS:
        for span in doc.spans.get(key, ()):
            yield span, key.removeprefix("kg_")


def resolve_spans(doc: Doc, evidence: DocEvidence | None = None) -> list[Mention]:
    """One mention per name: spans found by several components merge, then the longest
    non-overlapping ones win (ties go to the more confident), and spans inside URLs go.

    ``evidence`` is the doc's ``DocEvidence`` when the caller has made one.
    """
    if evidence is None:
        evidence = DocEvidence(doc)
    # Characters inside a URL, and (below) inside a mention already taken: one byte each,
    # so an overlap test costs the span's length, not the number of URLs or mentions.
    in_url = bytearray(len(evidence.text) + 1)
    for link in doc._.kg_links or ():
        in_url[link.start_char:link.end_char] = b"\x01" * (link.end_char - link.start_char)
    merged: dict[tuple[int, int, str], dict] = {}
    for span, component in _candidate_spans(doc):
        label = span.label_
        if label not in LABEL_TO_TYPE:
            continue
        start, end = span.start_char, span.end_char
        if 1 in in_url[start:end]:
            continue
        found = merged.setdefault((start, end, label),
                                  {"sources": {}, "canonical": None, "role": None})
        if component == "ner":
            # spaCy keys span attributes by character offsets only: an entity at the offsets
            # of a gazetteer or rule span would read that span's attributes as its own.
            source, confidence = "ner", _DEFAULT_CONFIDENCE["ner"]
        else:
            attributes = span._
            source = attributes.kg_source or component
            confidence = attributes.kg_confidence
            confidence = float(confidence) if confidence is not None \
                else _DEFAULT_CONFIDENCE.get(source, 0.5)
            found["canonical"] = found["canonical"] or attributes.kg_canonical
            found["role"] = found["role"] or attributes.kg_role
        found["sources"][source] = max(confidence, found["sources"].get(source, 0.0))
    ranked = []
    for (start, end, label), found in merged.items():
        sources = found["sources"]
        confidence = max(sources.values())
        if "ner" in sources and "gazetteer" in sources:
            confidence = min(1.0, confidence + AGREEMENT_BONUS)
        primary = max(sources, key=lambda s: (sources[s], s))
        ranked.append((start, end, label, round(confidence, 3), primary, found))
    ranked.sort(key=lambda r: (-(r[1] - r[0]), -r[3], r[0], r[2]))
    taken = bytearray(len(evidence.text) + 1)
    mentions = []
    for start, end, label, confidence, primary, found in ranked:
        if 1 in taken[start:end]:
            continue
        taken[start:end] = b"\x01" * (end - start)
        mentions.append((start, Mention(
            label=LABEL_TO_TYPE[label],
            evidence=evidence.of(start, end, primary),
            confidence=confidence,
            canonical=found["canonical"],
            role=found["role"],
        )))
    return [mention for _, mention in sorted(mentions, key=lambda m: (m[0], m[1].evidence.end))]


def _abbreviations(doc: Doc, evidence: DocEvidence) -> Iterator[Abbreviation]:
    for short, long in doc._.kg_abbreviations or ():
        start, end = min(short.start_char, long.start_char), max(short.end_char, long.end_char)
        if evidence.text[end:end + 1] == ")":
            end += 1
        yield Abbreviation(short.text, long.text, evidence.of(start, end, "abbreviations"))


def _links(doc: Doc, evidence: DocEvidence) -> Iterator[Link]:
    for link in doc._.kg_links or ():
        yield Link(link.url, link.repository,
                   evidence.of(link.start_char, link.end_char, "urls"))


def _text(span: Span | None) -> str | None:
    return span.text if span is not None else None


def _results(doc: Doc, evidence: DocEvidence) -> Iterator[ResultMention]:
    for result in doc._.kg_results or ():
        yield ResultMention(
            value=result.value,
            unit=result.unit,
            metric=_text(result.metric),
            dataset=_text(result.dataset),
            method=_text(result.method),
            evidence=evidence.of(result.start_char, result.end_char, "results"),
            confidence=result.confidence,
            kind=result.kind,
            setting=result.setting,
            baseline=_text(result.baseline),
        )


def doc_mentions(doc: Doc) -> tuple[list[Mention], list[Abbreviation], list[Link], list[ResultMention]]:
    """Mentions, abbreviations, links and results of one field's doc."""
    evidence = DocEvidence(doc)
    return (resolve_spans(doc, evidence), list(_abbreviations(doc, evidence)),
            list(_links(doc, evidence)), list(_results(doc, evidence)))


def paper_mentions(paper: Paper, title_doc: Doc, abstract_doc: Doc) -> PaperMentions:
    """Everything found in the title and abstract docs of ``paper``, title first."""
    parts = [doc_mentions(doc) for doc in (title_doc, abstract_doc)]
    return PaperMentions(
        paper=paper,
        mentions=_joined(p[0] for p in parts),
        abbreviations=_joined(p[1] for p in parts),
        links=_joined(p[2] for p in parts),
        results=_joined(p[3] for p in parts),
    )


def _joined(lists: Iterable[list]) -> tuple:
    return tuple(item for items in lists for item in items)
