"""Names in one list are things of one kind: "PASCAL VOC (67.2% mean IU), NYUDv2, SIFT Flow,
and PASCAL-Context" lists four datasets, so a new name among known datasets is a dataset.

``list_types`` chains the mentions of a sentence that only commas, "and", "or" (and a short
parenthesis after a name, such as its score) separate, and gives each member without a
reviewed gazetteer name that is a new name (kg.normalize.entities: name-shaped, "NYUDv2",
not "machine translation") the type its listed neighbours agree on: at least one member with a
reviewed name, and no two types among those.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kg.records import Mention

__all__ = ["list_types"]

# What separates two names of a list: a comma, "and", "or", after an optional parenthesis,
# and up to three names no extractor took in between ("FUNSD (0.79), CORD (0.95), SROIE").
_ITEM_END = r"\s*(?:\([^()]{0,80}\))?\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or)\s+)"
_SEPARATOR = re.compile(rf"{_ITEM_END}(?:[A-Z][\w-]*{_ITEM_END}){{0,3}}")


def list_types(mentions: Sequence[Mention], reviewed: Callable[[Mention], bool],
               open_to: Callable[[Mention], bool]) -> dict[tuple[str, int, int], str]:
    """(field, start, end) of a mention -> the type its list gives it, for the mentions
    ``open_to`` accepts (new names) whose neighbours that ``reviewed`` vouches for agree.

    >>> from kg.records import Evidence
    >>> text = "on VOC, NYUDv2 and Cityscapes"
    >>> def at(word, label): return Mention(label, Evidence(word, "abstract", text.index(word),
    ...     text.index(word) + len(word), text), 0.5, canonical=word if word != "NYUDv2" else None)
    >>> list_types([at("VOC", "Dataset"), at("NYUDv2", "Method"), at("Cityscapes", "Dataset")],
    ...            lambda m: m.canonical is not None, lambda m: m.canonical is None)
    {('abstract', 8, 14): 'Dataset'}
    """
    ordered = sorted(mentions, key=lambda m: (m.evidence.field, m.evidence.start))
    chains: list[list[Mention]] = []
    for mention in ordered:
        last = chains[-1][-1] if chains else None
        if last is not None and _listed_after(last, mention):
            chains[-1].append(mention)
        elif last is None or not _in_parenthesis_after(last, mention):
            chains.append([mention])
        # a name in the parenthesis after a listed one ("(67.2% mean IU)") leaves the list open
    types: dict[tuple[str, int, int], str] = {}
    for chain in chains:
        known = {m.label for m in chain if reviewed(m)}
        if len(chain) < 2 or len(known) != 1:
            continue
        (label,) = known
        for mention in chain:
            if not reviewed(mention) and open_to(mention) and mention.label != label:
                evidence = mention.evidence
                types[(evidence.field, evidence.start, evidence.end)] = label
    return types


def _between(previous: Mention, mention: Mention) -> str | None:
    before, after = previous.evidence, mention.evidence
    if before.field != after.field or before.sentence_start != after.sentence_start \
            or after.start < before.end:
        return None
    offset = before.sentence_start
    return before.sentence[before.end - offset:after.start - offset]


def _in_parenthesis_after(previous: Mention, mention: Mention) -> bool:
    between = _between(previous, mention)
    return between is not None and between.count("(") > between.count(")") and len(between) <= 80


def _listed_after(previous: Mention, mention: Mention) -> bool:
    """Whether ``mention`` follows ``previous`` in one list of the same sentence."""
    between = _between(previous, mention)
    return between is not None and _SEPARATOR.fullmatch(between) is not None
