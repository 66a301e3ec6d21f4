"""The ``kg_sentence_fixes`` component: undoes the sentencizer's breaks after abbreviations.

spaCy's rule-based sentencizer ends a sentence at every "." token, so "Smith et al. propose",
"see Fig. 3" and "the val. set" are cut in two (the tokenizer keeps "e.g." and "i.e." whole,
so those already survive).  This component runs right after the sentencizer and joins a
sentence back to the previous one when the "." that ended it closes an abbreviation.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["NON_FINAL_ABBREVIATIONS", "is_abbreviation_break", "join_abbreviation_breaks", "make_sentence_fixes"]

# Words that, followed by ".", abbreviate and (almost) never end a sentence.
NON_FINAL_ABBREVIATIONS = frozenset({
    "al", "approx", "cf", "eq", "eqs", "fig", "figs", "no", "nos", "ref", "refs", "resp",
    "sec", "secs", "tab", "val", "vs", "viz", "wrt",
})
# Abbreviations that may end a sentence: joined only when the next word starts in lower case.
_MAYBE_FINAL_ABBREVIATIONS = frozenset({"etc", "incl", "ca"})


def is_abbreviation_break(doc: Doc, index: int) -> bool:
    """Whether the sentence starting at token ``index`` starts only because of an abbreviation:
    the token before is a "." glued to a known abbreviation.

    >>> import spacy
    >>> doc = spacy.blank("en")("Lee et al. propose it.")
    >>> is_abbreviation_break(doc, 4)
    True
    """
    if index < 2 or doc[index - 1].text != "." or doc[index - 2].whitespace_:
        return False
    word = doc[index - 2].lower_
    if word in NON_FINAL_ABBREVIATIONS:
        return True
    return word in _MAYBE_FINAL_ABBREVIATIONS and doc[index].text[:1].islower()


def join_abbreviation_breaks(doc: Doc) -> Doc:
    """Clear the sentence starts that ``is_abbreviation_break`` finds; returns ``doc``."""
    if not doc.has_annotation("SENT_START"):
        return doc
    for token in doc[2:]:
        if token.is_sent_start and is_abbreviation_break(doc, token.i):
            token.is_sent_start = False
    return doc


@Language.factory("kg_sentence_fixes")
def make_sentence_fixes(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the ``kg_sentence_fixes`` component (place it after the sentencizer)."""
    return join_abbreviation_breaks
