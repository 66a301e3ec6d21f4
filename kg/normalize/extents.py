"""A mention cut short is read as the longer name the paper writes at the same place.

The NER often takes part of a name: "tri-training" of "an asymmetric tri-training method"
when the title proposes "Asymmetric Tri-training", "Attention" of the defined long form
"Attention with Linear Biases (ALiBi)".  A mention is widened to the longest name that
covers it there: a long form the paper defines an acronym for, or another mention of the
same type in the paper.  Names are looked up by their words, so the cost stays linear in
the mentions of the paper.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from kg.records import Mention

__all__ = ["extend_mentions"]

_WORD = re.compile(r"\w+")
# Labels a defined long form may widen ("(ALiBi)" names a method, "(DISFA)" a dataset).
_ANY_LABEL = ""


def extend_mentions(mentions: Sequence[Mention], long_forms: Iterable[str]) -> list[Mention]:
    """``mentions`` with each one widened to the longest covering name written around it
    (a mention whose widened span another mention already holds is dropped)."""
    names: dict[str, dict[str, str]] = defaultdict(dict)  # first word -> lower name -> label
    for text, label in [*((f, _ANY_LABEL) for f in long_forms), *((m.text, m.label) for m in mentions)]:
        lower = text.strip().lower()
        words = _WORD.findall(lower)
        if len(words) >= 2:
            for word in set(words):
                names[word].setdefault(lower, label)
    held = {(m.evidence.field, m.evidence.start, m.evidence.end, m.label) for m in mentions}
    out = []
    for mention in mentions:
        wider = _widest(mention, names)
        if wider is None:
            out.append(mention)
            continue
        start, end = wider
        evidence = mention.evidence
        if (evidence.field, start, end, mention.label) in held:
            continue
        offset = evidence.sentence_start
        text = evidence.sentence[start - offset:end - offset]
        out.append(replace(mention, evidence=replace(evidence, text=text, start=start, end=end), canonical=None))
    return out


def _widest(mention: Mention, names: dict[str, dict[str, str]]) -> tuple[int, int] | None:
    """The field offsets of the longest name of ``names`` that covers ``mention`` in its
    sentence (None when none does)."""
    text = mention.text.lower()
    words = _WORD.findall(text)
    if not words:
        return None
    evidence = mention.evidence
    # Compared slice by slice: lower-casing a whole sentence may change its length.
    sentence, local = evidence.sentence, evidence.start - evidence.sentence_start
    best: tuple[int, int] | None = None
    for name, label in names.get(words[0], {}).items():
        if len(name) <= len(text) or label not in (_ANY_LABEL, mention.label):
            continue
        at = name.find(text)
        while at >= 0:
            start = local - at
            end = start + len(name)
            if start >= 0 and sentence[start:end].lower() == name and _bounded(sentence, start, end) \
                    and (best is None or end - start > best[1] - best[0]):
                best = (start, end)
            at = name.find(text, at + 1)
    if best is None:
        return None
    return best[0] + evidence.sentence_start, best[1] + evidence.sentence_start


def _bounded(sentence: str, start: int, end: int) -> bool:
    """Whether ``start:end`` begins and ends at word boundaries of ``sentence``."""
    return (start == 0 or not sentence[start - 1].isalnum()) and (end == len(sentence) or not sentence[end].isalnum())
