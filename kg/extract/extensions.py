"""The custom attributes kg's spaCy components write on Doc and Span objects.

This is the contract between components inside the extraction layer; nothing outside
``kg.extract`` sees these objects (``kg.extract`` turns them into ``kg.records``).

Doc
  ``doc._.kg_field``          "title" or "abstract": which field of the paper the doc holds
                              (set by the extraction driver before the pipeline runs).
  ``doc._.kg_links``          list[LinkSpan]: URLs found in the text.
  ``doc._.kg_abbreviations``  list[tuple[Span, Span]]: (short form, long form) pairs.
  ``doc._.kg_results``        list[ResultSpan]: reported numbers tied to metric/dataset/method.
  ``doc.spans["kg_terms"]``   gazetteer matches; ``doc.spans["kg_candidates"]`` pattern
  candidates; ``doc.spans["kg_proposed"]`` names the paper proposes or introduces;
  ``doc.ents`` the trained NER's spans.  Span labels are METHOD, DATASET, METRIC, TASK.
  ``doc.user_data["kg_name_words"]``  cache of ``candidates.name_words``, made by the first
                              component that asks (``kg_candidates``) and read by ``kg_proposed``.
  ``doc.user_data["kg_text"]``  cache of ``doc.text`` (see ``doc_text``).

Span
  ``span._.kg_confidence``    float | None: how sure the component is.
  ``span._.kg_canonical``     str | None: canonical name from a gazetteer.
  ``span._.kg_role``          "proposed" | "introduced" | "used" | None.
  ``span._.kg_source``        name of the component that made the span.
"""
from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc, Span

SPAN_LABELS: tuple[str, ...] = ("METHOD", "DATASET", "METRIC", "TASK")
LABEL_TO_TYPE: dict[str, str] = {
    "METHOD": "Method",
    "DATASET": "Dataset",
    "METRIC": "Metric",
    "TASK": "Task",
}
TERMS_KEY = "kg_terms"
CANDIDATES_KEY = "kg_candidates"
PROPOSED_KEY = "kg_proposed"
NAME_WORDS_KEY = "kg_name_words"
TEXT_KEY = "kg_text"


class LinkSpan(NamedTuple):
    """A URL in the doc text: character offsets, the text as written, the normalised URL."""

    start_char: int
    end_char: int
    text: str
    url: str
    repository: bool


class ResultSpan(NamedTuple):
    """A reported number: its character span, parsed value, unit and the spans it is tied to.

    ``kind`` is "absolute" (a score) or "relative" (a difference or ratio: "+1.3%", "2.4x
    faster", "by 25%"), ``baseline`` the method a relative claim compares with, ``setting``
    the split or protocol written with it ("val", "test-dev", "zero-shot", "256x256").
    """

    start_char: int
    end_char: int
    value: float
    unit: str | None
    metric: Span | None
    dataset: Span | None
    method: Span | None
    confidence: float
    kind: str = "absolute"
    setting: str | None = None
    baseline: Span | None = None


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept on the doc after the first call: spaCy joins the tokens again on
    every access, and merging or splitting tokens never changes the text."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def register_extensions() -> None:
    """Register kg's Doc/Span attributes once (safe to call any number of times)."""
    doc_attributes = {
        "kg_field": "abstract",
        "kg_links": None,
        "kg_abbreviations": None,
        "kg_results": None,
    }
    for name, default in doc_attributes.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("kg_confidence", "kg_canonical", "kg_role", "kg_source"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_extensions()
