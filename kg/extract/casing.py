"""Titles written in capitals only ("TEMPORAL ENSEMBLING FOR SEMI-SUPERVISED LEARNING").

The NER and the rules read case: in a title of capitals every word looks like an acronym
("ENERGY", "ADVER-SARIAL"). ``recased`` gives such a title in title case, of the same length
character for character, so the pipeline reads "Temporal Ensembling for Semi-Supervised
Learning" while every offset, and the evidence text taken from the original, stay as written.

>>> recased("TEMPORAL ENSEMBLING FOR SEMI-SUPERVISED LEARNING")
'Temporal Ensembling for Semi-Supervised Learning'
>>> recased("ResNet-50 on ImageNet") is None
True
"""
from __future__ import annotations

import re

__all__ = ["recased"]

_MIN_LETTERS = 8
_UPPER_SHARE = 0.9
_SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or over the to via vs with without".split())
_WORD = re.compile(r"[^\W\d_]+")


def recased(text: str) -> str | None:
    """``text`` in title case when it is written in capitals, else None."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < _MIN_LETTERS or sum(c.isupper() for c in letters) < _UPPER_SHARE * len(letters):
        return None
    words = []
    last = 0
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        lower = word.lower()
        first_word = index == 0 or text[last:match.start()].rstrip().endswith((":", "("))
        new = lower if lower in _SMALL_WORDS and not first_word else lower[:1].upper() + lower[1:]
        if len(new) != len(word):  # a letter whose case changes its length: keep the word
            new = word
        words.append(text[last:match.start()] + new)
        last = match.end()
    return "".join(words) + text[last:]
