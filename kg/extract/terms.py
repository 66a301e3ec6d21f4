"""The ``kg_terms`` component: gazetteer matching of known methods, datasets, metrics and tasks."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.extensions import TERMS_KEY, register_extensions
from kg.resources import Term, load_terms

__all__ = ["SOURCE_CONFIDENCE", "TermMatcher", "case_sensitive", "make_terms", "name_confidence"]

# How far each list is trusted: hand-written > SciREX canonical names > corpus mentions > PwC.
SOURCE_CONFIDENCE: dict[str, float] = {"curated": 0.9, "scirex": 0.75, "gold": 0.65, "pwc": 0.5}
_AMBIGUITY_PENALTY = 0.2
_SHORT = 5


def case_sensitive(name: str) -> bool:
    """Short names and names with an inner capital match only as written ("mAP" is not "map").

    >>> case_sensitive("mAP"), case_sensitive("ResNet-50"), case_sensitive("semantic segmentation")
    (True, True, False)
    """
    return len(name) <= _SHORT or any(c.isupper() for c in name[1:])


def name_confidence(name: str, source: str) -> float:
    """Confidence of a match of ``name`` from a list ``source``, lower for short or plain words."""
    confidence = SOURCE_CONFIDENCE.get(source, min(SOURCE_CONFIDENCE.values()))
    ambiguous = len(name) <= 3 or (" " not in name and name.islower())
    return round(confidence - _AMBIGUITY_PENALTY if ambiguous else confidence, 2)


class TermMatcher:
    """Finds gazetteer names in a doc and writes them to ``doc.spans["kg_terms"]``.

    The longest match wins; of two terms matching the same text, the more trusted one.
    """

    def __init__(self, nlp: Language, terms: Iterable[Term]) -> None:
        self.terms = list(terms)
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._names: dict[int, tuple[Term, str]] = {}
        names = [(term, name) for term in self.terms for name in (term.canonical, *term.aliases)]
        patterns = nlp.tokenizer.pipe(name for _, name in names)
        for (term, name), pattern in zip(names, patterns):
            key = f"kg_terms:{term.type}:{term.canonical}:{name}"
            self._names[nlp.vocab.strings.add(key)] = (term, name)
            matcher = self.exact if case_sensitive(name) else self.folded
            matcher.add(key, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        best: dict[tuple[int, int], tuple[float, Span]] = {}
        for key, start, end in [*self.exact(doc), *self.folded(doc)]:
            term, name = self._names[key]
            confidence = name_confidence(name, term.source)
            if (start, end) not in best or confidence > best[start, end][0]:
                span = Span(doc, start, end, label=term.type.upper())
                span._.kg_canonical = term.canonical
                span._.kg_source = "gazetteer"
                span._.kg_confidence = confidence
                best[start, end] = (confidence, span)
        doc.spans[TERMS_KEY] = sorted(filter_spans(span for _, span in best.values()), key=lambda s: s.start)
        return doc


@Language.factory("kg_terms", default_config={"terms_path": None})
def make_terms(nlp: Language, name: str, terms_path: str | None) -> TermMatcher:
    """Build the ``kg_terms`` component from ``terms_path`` or the ``terms.tsv`` shipped with kg."""
    register_extensions()
    return TermMatcher(nlp, load_terms(Path(terms_path) if terms_path else None))
