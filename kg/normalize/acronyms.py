"""Acronyms of a title's name: "SVDCNN" in the abstract stands for the title's "Squeezed Very
Deep Convolutional Neural Networks" though the abstract never writes "(SVDCNN)" after it.

An abstract often uses the acronym of the name its title spells out without defining it
again.  An all-capitals mention whose letters are the initials of a title mention's words
(hyphenated parts count as words: "Layer-sequential unit-variance" is LSUV) is read as a
definition, so the two become one entity.

>>> title_initials("Squeezed Very Deep Convolutional Neural Networks")
{'SVDCNN'}
>>> sorted(title_initials("Layer-sequential unit-variance"))
['LSUV', 'LU']
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from kg.normalize.names import is_acronym, name_key
from kg.records import Mention

__all__ = ["title_acronyms", "title_initials"]

_MIN_LETTERS = 3
_WORD = re.compile(r"[A-Za-z][\w']*")


def title_initials(name: str) -> set[str]:
    """The initials of ``name``'s words, by spaces alone and with hyphenated parts as words."""
    found = set()
    for words in (name.split(), re.split(r"[\s-]+", name)):
        letters = "".join(match.group()[0] for word in words if (match := _WORD.match(word)))
        if len(letters) >= 2 and len(words) >= 2:
            found.add(letters.upper())
    return found


def _letters(acronym: str) -> str:
    """"HD-CNNs" -> "HDCNN": the capitals an acronym spells (a plural "s" and dashes dropped)."""
    text = acronym[:-1] if acronym.endswith("s") else acronym
    return "".join(c for c in text if c.isalpha()).upper()


def title_acronyms(mentions: Iterable[Mention], defined: dict[str, str]) -> dict[str, str]:
    """Short-form key -> title long form, for the abstract's undefined acronyms that spell the
    initials of a name in the title (the keys in ``defined`` are left as the paper defines them)."""
    mentions = list(mentions)
    initials: dict[str, str] = {}
    for mention in mentions:
        if mention.evidence.field == "title" and " " in mention.text.strip():
            for letters in title_initials(mention.text):
                initials.setdefault(letters, mention.text)
    found: dict[str, str] = {}
    if not initials:
        return found
    for mention in mentions:
        text = mention.text.strip()
        key = name_key(text)
        if mention.evidence.field == "title" or key in defined or not is_acronym(text):
            continue
        letters = _letters(text)
        if len(letters) >= _MIN_LETTERS and letters in initials:
            found.setdefault(key, initials[letters])
    return found
