"""Turn the spaCy docs of one paper into ``kg.records.PaperMentions``."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Span

from kg.extract.extensions import CANDIDATES_KEY, LABEL_TO_TYPE, PROPOSED_KEY, TERMS_KEY
from kg.records import Abbreviation, Evidence, Link, Mention, Paper, PaperMentions, ResultMention

__all__ = ["AGREEMENT_BONUS", "doc_mentions", "evidence", "paper_mentions", "resolve_spans"]

# A name the trained NER and the gazetteer both find is surer than either alone.
AGREEMENT_BONUS = 0.1
_DEFAULT_CONFIDENCE = {"ner": 0.7, "gazetteer": 0.6}
_SPAN_GROUPS = (TERMS_KEY, CANDIDATES_KEY, PROPOSED_KEY)


def evidence(doc: Doc, start: int, end: int, source: str) -> Evidence:
    """The evidence of the characters ``start:end`` of ``doc``, with the sentence around them."""
    sentence = doc.char_span(start, end, alignment_mode="expand")
    sent = sentence.sent if sentence is not None and doc.has_annotation("SENT_START") else doc[:]
    return Evidence(
        text=doc.text[start:end],
        field=doc._.kg_field,
        start=start,
        end=end,
        sentence=sent.text,
        sentence_start=sent.start_char,
        source=source,
    )


def _source(span: Span, default: str) -> str:
    return span._.kg_source or default


def _confidence(span: Span, source: str) -> float:
    confidence = span._.kg_confidence
    return float(confidence) if confidence is not None else _DEFAULT_CONFIDENCE.get(source, 0.5)


def _candidate_spans(doc: Doc) -> Iterator[tuple[Span, str]]:
    """Every labelled span of the doc with the component that found it."""
    for span in doc.ents:
        yield span, _source(span, "ner")
    for key in _SPAN_GROUPS:
        for span in doc.spans.get(key, ()):
            yield span, _source(span, key.removeprefix("kg_"))


def resolve_spans(doc: Doc) -> list[Mention]:
    """One mention per name: spans found by several components merge, then the longest
    non-overlapping ones win (ties go to the more confident), and spans inside URLs go."""
    urls = [(link.start_char, link.end_char) for link in doc._.kg_links or ()]
    merged: dict[tuple[int, int, str], dict] = {}
    for span, source in _candidate_spans(doc):
        if span.label_ not in LABEL_TO_TYPE:
            continue
        if any(start < span.end_char and span.start_char < end for start, end in urls):
            continue
        key = (span.start_char, span.end_char, span.label_)
        found = merged.setdefault(key, {"sources": {}, "canonical": None, "role": None})
        confidence = _confidence(span, source)
        found["sources"][source] = max(confidence, found["sources"].get(source, 0.0))
        found["canonical"] = found["canonical"] or span._.kg_canonical
        found["role"] = found["role"] or span._.kg_role
    ranked = []
    for (start, end, label), found in merged.items():
        sources = found["sources"]
        confidence = max(sources.values())
        if "ner" in sources and "gazetteer" in sources:
            confidence = min(1.0, confidence + AGREEMENT_BONUS)
        primary = max(sources, key=lambda s: (sources[s], s))
        ranked.append((start, end, label, round(confidence, 3), primary, found))
    ranked.sort(key=lambda r: (-(r[1] - r[0]), -r[3], r[0], r[2]))
    taken: list[tuple[int, int]] = []
    mentions = []
    for start, end, label, confidence, primary, found in ranked:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        mentions.append((start, Mention(
            label=LABEL_TO_TYPE[label],
            evidence=evidence(doc, start, end, primary),
            confidence=confidence,
            canonical=found["canonical"],
            role=found["role"],
        )))
    return [mention for _, mention in sorted(mentions, key=lambda m: (m[0], m[1].evidence.end))]


def _abbreviations(doc: Doc) -> Iterator[Abbreviation]:
    for short, long in doc._.kg_abbreviations or ():
        start, end = min(short.start_char, long.start_char), max(short.end_char, long.end_char)
        if doc.text[end:end + 1] == ")":
            end += 1
        yield Abbreviation(short.text, long.text, evidence(doc, start, end, "abbreviations"))


def _links(doc: Doc) -> Iterator[Link]:
    for link in doc._.kg_links or ():
        yield Link(link.url, link.repository, evidence(doc, link.start_char, link.end_char, "urls"))


def _text(span: Span | None) -> str | None:
    return span.text if span is not None else None


def _results(doc: Doc) -> Iterator[ResultMention]:
    for result in doc._.kg_results or ():
        yield ResultMention(
            value=result.value,
            unit=result.unit,
            metric=_text(result.metric),
            dataset=_text(result.dataset),
            method=_text(result.method),
            evidence=evidence(doc, result.start_char, result.end_char, "results"),
            confidence=result.confidence,
        )


def doc_mentions(doc: Doc) -> tuple[list[Mention], list[Abbreviation], list[Link], list[ResultMention]]:
    """Mentions, abbreviations, links and results of one field's doc."""
    return resolve_spans(doc), list(_abbreviations(doc)), list(_links(doc)), list(_results(doc))


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
