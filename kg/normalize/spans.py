"""Mixed spans split into their parts: one mention per thing a graph node is made of.

Extractors often return a name inside a longer phrase: "COCO detection" (a dataset and a
task), "ImageNet top-1 accuracy" (a dataset and a metric), "RoBERTa pretraining", "Bi-LSTM
layer", "ReLU-family", "Transformer-based neural architecture".  ``split_mention`` cuts such a
mention into the name and the rest, each with its own evidence offsets:

- a known name or a name-shaped word (inner capital, digit, acronym) before "-based",
  "-family", "-style", "-like" ... is the name; the words after it are a mention of their own;
- a trailing kind word ("layer", "model", "architecture", "backbone" ...) after a known or
  name-shaped name goes, and so does a word of use ("method", "objective", "techniques",
  "baselines" ...) or a one-letter symbol ("generative model G") after any specific phrase;
- a leading known name of another type ("COCO", "ImageNet", "RoBERTa") becomes a mention of
  that type, and the rest keeps the mention's type (a Dataset mention's rest is a Task).

A mention that is itself a known name ("COCO Captions", "Swin Transformer") is kept whole,
with the type the gazetteer gives it when it is spelled like a name.

>>> from kg.records import Evidence, Mention
>>> text = "COCO detection"
>>> mention = Mention("Task", Evidence(text, "abstract", 0, len(text), text), 0.7)
>>> [(m.label, m.evidence.text) for m in split_mention(mention, {"coco": "Dataset"})]
[('Dataset', 'COCO'), ('Task', 'detection')]
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from kg.normalize.names import is_generic, name_key
from kg.records import Evidence, Mention

__all__ = ["known_names", "split_mention"]

_SUFFIXES = re.compile(
    r"-(?:based|family|style|like|type|inspired|driven|powered|enhanced|guided|variant|variants)\b",
    re.IGNORECASE)
_TRAILING_KIND = frozenset(
    "layer layers model models architecture architectures network networks module modules "
    "backbone backbones block blocks encoder encoders decoder decoders framework frameworks "
    "family setup variant variants system systems method methods approach approaches "
    "algorithm algorithms classifier classifiers task tasks problem problems".split())
# After a capitalised name these only say it is data: "Visual Genome dataset", "Penn Treebank
# corpus" (a capitalised "Decomposable Attention Model" keeps its kind word: it is the name).
_DATA_KIND = frozenset("dataset datasets benchmark benchmarks corpus corpora suite".split())
# Words that say how a thing is used, not what it is: "online triplet mining method", "metric
# learning objective", "model compression techniques" name "online triplet mining", "metric
# learning", "model compression" whatever the words before them look like.
_USE_KIND = frozenset(
    "method methods approach approaches procedure procedures technique techniques strategy "
    "strategies objective objectives setup setups implementation implementations baseline "
    "baselines scheme schemes paradigm paradigms formulation formulations stage stages "
    "format formats operation operations pipeline pipelines".split())
# A one-letter symbol after a name is the paper's variable: "generative model G".
_SYMBOL = re.compile(r"[A-Z]")
_MAX_PREFIX_WORDS = 3
_SPLIT_LABELS = {"Dataset": "Task"}


@lru_cache(maxsize=1)
def known_names() -> dict[str, str]:
    """Name key -> entity type of the gazetteer's names of the curated lists, SciREX train and
    Papers with Code (not the corpora's annotated phrases, which are often descriptive)."""
    from kg.resources import load_terms

    known: dict[str, str] = {}
    for term in load_terms():
        if term.source != "gold":
            for name in (term.canonical, *term.aliases):
                known.setdefault(name_key(name), term.type)
    return known


def _name_shaped(text: str) -> bool:
    words = text.split()
    return any(any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]) for w in words) \
        and any(c.isalpha() for c in text)


def _is_name(text: str, known: Mapping[str, str]) -> bool:
    return name_key(text) in known or _name_shaped(text)


def _specific(text: str) -> bool:
    """A phrase that can name a thing without the word after it: not generic, and more than
    one plain word ("online triplet mining", "self-attention", "Caffe"; not "hybrid")."""
    return not is_generic(text) and (" " in text or "-" in text or text[:1].isupper())


def _capitalised(text: str) -> bool:
    return all(w[:1].isupper() or w[:1].isdigit() for w in text.split())


def _part(mention: Mention, start: int, end: int, label: str) -> Mention:
    """The sub-mention of ``mention`` at characters ``start:end`` of its text."""
    evidence = mention.evidence
    text = evidence.text[start:end]
    return replace(mention, label=label, evidence=replace(
        evidence, text=text, start=evidence.start + start, end=evidence.start + end),
        canonical=None)


def split_mention(mention: Mention, known: Mapping[str, str] | None = None) -> list[Mention]:
    """The parts of ``mention`` (itself alone when it is not a mixed span)."""
    if known is None:
        known = known_names()
    text = mention.evidence.text
    words = list(re.finditer(r"\S+", text))
    for count in range(min(_MAX_PREFIX_WORDS, len(words) - 1), 0, -1):
        prefix = text[:words[count - 1].end()]
        prefix_type = known.get(name_key(prefix))
        if prefix_type is not None and prefix_type != mention.label and _name_shaped(prefix):
            rest_label = _SPLIT_LABELS.get(mention.label, mention.label)
            return [_part(mention, 0, words[count - 1].end(), prefix_type),
                    _part(mention, words[count].start(), len(text), rest_label)]
    if mention.canonical:
        return [mention]
    known_type = known.get(name_key(text))
    if known_type is not None:
        # A known name spelled like one keeps its known type ("DocVQA" is a dataset whatever
        # the NER says); a known phrase ("large language models") may name several things.
        if known_type != mention.label and _name_shaped(text):
            return [replace(mention, label=known_type)]
        return [mention]
    if " " not in text and "-" not in text:
        return [mention]
    suffix = _SUFFIXES.search(text)
    if suffix and _is_name(text[:suffix.start()], known):
        parts = [_part(mention, 0, suffix.start(), known.get(name_key(text[:suffix.start()]),
                                                             mention.label))]
        rest = text[suffix.end():]
        offset = suffix.end() + len(rest) - len(rest.lstrip())
        if rest.strip():
            parts.append(_part(mention, offset, len(text.rstrip()), mention.label))
        return parts
    last = words[-1].group() if len(words) >= 2 else ""
    kind, symbol = last.lower(), _SYMBOL.fullmatch(last) is not None
    if kind in _TRAILING_KIND or kind in _DATA_KIND or kind in _USE_KIND or symbol:
        head = text[:words[-2].end()]
        specific = (kind in _USE_KIND or symbol) and _specific(head)
        if specific or _is_name(head, known) or kind in _DATA_KIND and _capitalised(head):
            return [_part(mention, 0, words[-2].end(), mention.label)]
    return [mention]
