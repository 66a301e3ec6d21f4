"""The ``kg_terms`` component: gazetteer matching of known methods, datasets, metrics and tasks."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.extensions import TERMS_KEY, register_extensions
from kg.resources import Term, load_terms

__all__ = ["SOURCE_CONFIDENCE", "TermMatcher", "case_sensitive", "make_terms", "name_confidence", "plural_name"]

# How far each list is trusted: hand-written > SciREX canonical names > corpus mentions > PwC.
SOURCE_CONFIDENCE: dict[str, float] = {"curated": 0.9, "scirex": 0.75, "gold": 0.65, "pwc": 0.5}
_AMBIGUITY_PENALTY = 0.2
_SHORT = 5
_PLAIN = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")


def case_sensitive(name: str) -> bool:
    """Short names and names with a capital inside a word match only as written ("mAP" is not
    "map"); a name in title case ("Reading Comprehension") matches in any case.

    >>> case_sensitive("mAP"), case_sensitive("ResNet-50"), case_sensitive("semantic segmentation")
    (True, True, False)
    >>> case_sensitive("Reading Comprehension"), case_sensitive("Semi-Supervised Learning")
    (False, False)
    """
    return len(name) <= _SHORT or any(c.isupper() for word in re.split(r"[\s-]+", name) for c in word[1:])


def name_confidence(name: str, source: str) -> float:
    """Confidence of a match of ``name`` from a list ``source``, lower for short or plain words."""
    confidence = SOURCE_CONFIDENCE.get(source, min(SOURCE_CONFIDENCE.values()))
    ambiguous = len(name) <= 3 or (" " not in name and name.islower())
    return round(confidence - _AMBIGUITY_PENALTY if ambiguous else confidence, 2)


class TermMatcher:
    """Finds gazetteer names in a doc and writes them to ``doc.spans["kg_terms"]``.

    The longest match wins; of two terms written the same way, the more trusted one.
    """

    def __init__(self, nlp: Language, terms: Iterable[Term]) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Token texts (lower-cased for the folded matcher) -> (confidence, term) of the best term.
        self._exact_names: dict[tuple[str, ...], tuple[float, Term]] = {}
        self._folded_names: dict[tuple[str, ...], tuple[float, Term]] = {}
        patterns: dict[bool, list[Doc]] = {True: [], False: []}
        written = {(name, term) for term in terms for name in (term.canonical, *term.aliases)}
        # "Markov chains", "positional embeddings": a list's names match in the plural too,
        # after the names as listed, so a listed plural keeps its own term unless the plural's
        # list is the more trusted (a tie never replaces the first term)
        plurals = {(plural, term) for name, term in written if (plural := plural_name(name))}
        names = sorted(written) + sorted(plurals - written)
        for (name, term), pattern in zip(names, _pattern_docs(nlp, [name for name, _ in names])):
            sensitive = case_sensitive(name)
            table = self._exact_names if sensitive else self._folded_names
            key = tuple(t.text if sensitive else t.lower_ for t in pattern)
            candidate = (name_confidence(name, term.source), term)
            if key not in table:
                patterns[sensitive].append(pattern)
            if key not in table or candidate[0] > table[key][0]:
                table[key] = candidate
        self.exact.add(TERMS_KEY, patterns[True])
        self.folded.add(TERMS_KEY, patterns[False])

    def __call__(self, doc: Doc) -> Doc:
        best: dict[tuple[int, int], tuple[float, Term]] = {}
        for matcher, table, folded in ((self.exact, self._exact_names, False),
                                       (self.folded, self._folded_names, True)):
            for _, start, end in matcher(doc):
                tokens = doc[start:end]
                found = table[tuple(t.lower_ if folded else t.text for t in tokens)]
                if (start, end) not in best or found[0] > best[start, end][0]:
                    best[start, end] = found
        spans = []
        for (start, end), (confidence, term) in best.items():
            span = Span(doc, start, end, label=term.type.upper())
            attributes = span._
            attributes.kg_canonical = term.canonical
            attributes.kg_source = "gazetteer"
            attributes.kg_confidence = confidence
            spans.append(span)
        doc.spans[TERMS_KEY] = sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


def plural_name(name: str) -> str | None:
    """The plural of a name whose last word is a plain lower-case noun, else None.

    >>> plural_name("Markov chain"), plural_name("word embedding"), plural_name("ResNet"), plural_name("mAP")
    ('Markov chains', 'word embeddings', None, None)
    """
    head, _, last = name.rpartition(" ")
    if len(last) < 3 or not last.isalpha() or not last.islower() or last.endswith("s"):
        return None
    if last.endswith("y") and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("x", "ch", "sh", "z")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _pattern_docs(nlp: Language, names: list[str]) -> Iterator[Doc]:
    """Each name as the pipeline's tokenizer splits it.

    Names of plain words and spaces split on spaces, which is much faster than the tokenizer
    and gives the same tokens unless a word is a tokenizer exception ("cannot").
    """
    rules = nlp.tokenizer.rules or {}
    for name in names:
        words = name.split(" ")
        if _PLAIN.fullmatch(name) and not any(word in rules for word in words):
            yield Doc(nlp.vocab, words=words)
        else:
            yield nlp.make_doc(name)


@Language.factory("kg_terms", default_config={"terms_path": None})
def make_terms(nlp: Language, name: str, terms_path: str | None) -> TermMatcher:
    """Build the ``kg_terms`` component from ``terms_path`` or the ``terms.tsv`` shipped with kg."""
    register_extensions()
    return TermMatcher(nlp, load_terms(Path(terms_path) if terms_path else None))
