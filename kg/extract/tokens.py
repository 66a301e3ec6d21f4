"""Tokenising any text in time linear in its length, and refusing what spaCy cannot take.

spaCy's tokenizer splits prefixes and suffixes off one whitespace-free chunk by searching
the rest of it again each time: a chunk of n characters such as ``((((...`` or a URL
followed by thousands of ``)`` costs O(n^2) or worse (100,000 ``(`` take minutes).  Chunks
longer than ``MAX_CHUNK`` characters are therefore tokenised in pieces of that size; no word
of natural language comes near it, and the doc's text stays the text given.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["MAX_CHUNK", "make_doc", "split_final_periods"]

MAX_CHUNK = 256
_LONG_CHUNK = re.compile(rf"\S{{{MAX_CHUNK + 1},}}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, with long whitespace-free chunks tokenised piece by piece and
    the period after a sentence-final name split off (``split_final_periods``).

    Raises ValueError when ``text`` is longer than ``nlp.max_length`` or holds a lone
    surrogate (spaCy's tokenizer fails on both); kg's readers never give such text.

    >>> import spacy
    >>> doc = make_doc(spacy.blank("en"), "see (" + "(" * 1000)
    >>> doc.text == "see (" + "(" * 1000, len(doc)
    (True, 1002)
    """
    if len(text) > nlp.max_length:
        raise ValueError(f"a text of {len(text):,} characters, longer than the pipeline's "
                         f"max_length of {nlp.max_length:,}")
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise ValueError(f"a lone surrogate U+{ord(surrogate.group()):04X} at character "
                         f"{surrogate.start()}, which is not text")
    chunks = list(_LONG_CHUNK.finditer(text))
    if not chunks:
        return split_final_periods(nlp.make_doc(text))
    parts, position = [], 0
    for chunk in chunks:
        parts.append(text[position:chunk.start()])
        pieces = [text[start:min(start + MAX_CHUNK, chunk.end())]
                  for start in range(chunk.start(), chunk.end(), MAX_CHUNK)]
        position = chunk.end()
        if text[position:position + 1] == " ":  # the space after a chunk belongs to its token
            pieces[-1] += " "
            position += 1
        parts.extend(pieces)
    parts.append(text[position:])
    return split_final_periods(Doc.from_docs([nlp.make_doc(part) for part in parts if part], ensure_whitespace=False))


# spaCy's English suffixes split a final "." only after a lower-case letter or two capitals,
# so a name that ends a sentence keeps it: "50 mIoU.", "on ADE20K.", "ImageNet-1K.".  Such a
# token (two characters or more, ending in a capital or a digit, no other ".") is split;
# "U.S.", "e.g." and initials ("J.") are not such tokens.
_NAME_AND_PERIOD = re.compile(r"[^\W_][^\s.]*[A-Z0-9]\.")


def split_final_periods(doc: Doc) -> Doc:
    """``doc`` with the period after a name that ends a sentence as a token of its own.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> [t.text for t in split_final_periods(nlp("We reach 50.3 mIoU. On ADE20K. In the U.S. J. Doe"))]
    ['We', 'reach', '50.3', 'mIoU', '.', 'On', 'ADE20K', '.', 'In', 'the', 'U.S.', 'J.', 'Doe']
    """
    if not any(_NAME_AND_PERIOD.fullmatch(token.text) for token in doc):
        return doc
    words, spaces = [], []
    for token in doc:
        if _NAME_AND_PERIOD.fullmatch(token.text):
            words += [token.text[:-1], "."]
            spaces += [False, bool(token.whitespace_)]
        else:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
    return Doc(doc.vocab, words=words, spaces=spaces)
