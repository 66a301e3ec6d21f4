"""Node-worthiness: whether a candidate entity names a specific or established thing.

A graph node should be a method, dataset, metric or task that researchers query for and that
papers share ("ConvNeXt", "contrastive learning", "COCO", "top-1 accuracy"), not a descriptive
phrase ("key component", "hybrid approach") or a generic word ("inference").  The decision is
a logistic model over signals of one paper's entity: the shape of its name, its head word and
modifiers, which extractors found it (the trained NER, the gazetteers of known names, the
name-shape and proposed-method rules), whether the annotated corpora mark it as an entity
again and again (an established phrase: "data augmentation"), whether the paper defines it with an acronym, how often
it is mentioned and in which role.  The weights are trained by ``training/worthiness.py`` from
SciREX train (salient entities and known names against the rest) and shipped as
``kg/models/node_worthiness.json``; its probability, calibrated on held-out SciREX papers, is
the entity's confidence.

>>> features = entity_features("Method", "hybrid approach", ["hybrid approach"], ["ner"])
>>> sorted(f for f in features if f.startswith("head="))
['head=approach']
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.normalize.names import is_acronym, name_key, singular_word
from kg.normalize.spans import known_names

__all__ = ["NodeModel", "entity_features", "established_count", "load_node_model", "name_features", "term_source"]

MODEL_FILE = "node_worthiness.json"
_VERY_ESTABLISHED = 100
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'+.]*")


def _words(name: str) -> list[str]:
    return _WORD.findall(name.replace("-", " ").replace("/", " "))


@lru_cache(maxsize=2**16)
def name_features(name: str) -> tuple[str, ...]:
    """Features of a name alone: its shape, head word, first word and words."""
    words = _words(name)
    lowered = [singular_word(w.lower()) for w in words]
    features = [f"words={min(len(words), 4)}"]
    if any(any(c.isupper() for c in w[1:]) for w in words):
        features.append("shape=inner-capital")
    if any(any(c.isdigit() for c in w) for w in words):
        features.append("shape=digit")
    if name == name.lower():
        features.append("shape=lower")
    elif all(w[:1].isupper() or w[:1].isdigit() for w in words):
        features.append("shape=capitalised")
    if is_acronym(name):
        features.append("shape=acronym")
    if "-" in name:
        features.append("shape=hyphen")
    if len(name) <= 3:
        features.append("shape=short")
    if len(lowered) == 1:
        # A word alone is not its use as a head: "inference" vs "natural language inference".
        features.append(f"single={lowered[0]}")
    elif lowered:
        features.append(f"head={lowered[-1]}")
        # The head's ending generalises to heads never seen: "-tion", "-ing", "-sis" name an
        # activity (a task), "-er", "-or" an agent (a method).
        features.append(f"head-ending={lowered[-1][-3:]}")
        features.append(f"first={lowered[0]}")
        # "-ing" first ("classifying text snippets", "generating predictions"): a verb and its
        # object, seldom a name; "-ing" last ("question answering") is the usual task shape.
        if lowered[0].endswith("ing"):
            features.append("first-ing")
        features.extend(f"word={w}" for w in dict.fromkeys(lowered[:-1]))
    return tuple(features)


def entity_features(
    entity_type: str,
    name: str,
    forms: Sequence[str],
    sources: Iterable[str],
    *,
    mentions: int = 1,
    in_title: bool = False,
    canonical: str | None = None,
    acronym_defined: bool = False,
    proposed: bool = False,
) -> dict[str, float]:
    """The features of one paper's entity, each crossed with its type.

    ``forms`` are the entity's written forms, ``sources`` the extractors that found it
    (``ner``, ``gazetteer``, ``candidates``, ``proposed``, ``results``...), ``canonical`` the
    gazetteer name it matched, if any.
    """
    found_by = set(sources)
    base = list(name_features(name))
    base += [f"source={s}" for s in sorted(found_by)]
    if "ner" in found_by and found_by - {"ner"}:
        base.append("agree=ner+rules")
    if found_by == {"ner"}:
        base.append("only=ner")
    if canonical:
        base.append("known-name")
        base.append(f"known={term_source(canonical)}")
    annotated = max((established_count(form) for form in forms), default=0)
    if annotated:
        base.append("established" if annotated < _VERY_ESTABLISHED else "established=100+")
    listed_head = _listed_head(name)
    if listed_head is not None and not canonical:
        # "biomedical named entity recognition", "harmonic triplet loss": a listed name
        # narrowed by the words before it
        base.append(f"head-listed={listed_head}")
    if acronym_defined or any(is_acronym(f) for f in forms) and any(" " in f for f in forms):
        base.append("acronym-defined")
    if proposed:
        base.append("role=proposed")
    if in_title:
        base.append("in-title")
    base.append(f"mentions={min(mentions, 3)}")
    features = {"bias": 1.0}
    for feature in base:
        features[feature] = 1.0
        features[f"{entity_type}|{feature}"] = 1.0
    return features


def _listed_head(name: str) -> str | None:
    """The type of the longest proper word suffix of ``name`` that a reviewed gazetteer list
    names, if any."""
    known = known_names()
    words = name.split()
    for start in range(1, len(words)):
        listed = known.get(name_key(" ".join(words[start:])))
        if listed is not None:
            return listed
    return None


@lru_cache(maxsize=1)
def _term_sources() -> dict[str, str]:
    from kg.resources import load_terms

    return {term.canonical: term.source for term in load_terms()}


@lru_cache(maxsize=1)
def _established() -> dict[str, int]:
    from kg.resources import load_established

    return {name_key(phrase): count for phrase, count in load_established().items()}


def established_count(name: str) -> int:
    """How often the corpora's train splits annotate ``name`` as an entity, when it is an
    established phrase (``kg/resources/established.tsv``); 0 otherwise."""
    return _established().get(name_key(name), 0)


def term_source(canonical: str) -> str:
    """Which gazetteer list a canonical name comes from (``curated``, ``scirex``, ``pwc``,
    ``gold`` for names annotated in the corpora's train splits)."""
    return _term_sources().get(canonical, "other")


@dataclass(frozen=True)
class NodeModel:
    """A trained node-worthiness model: weights, the calibration and the keep threshold."""

    weights: Mapping[str, float]
    calibration: tuple[float, float]  # Platt scaling: p = sigmoid(a * score + b)
    threshold: float

    def score(self, features: Mapping[str, float]) -> float:
        """The raw linear score of ``features``."""
        weights = self.weights
        return sum(weights.get(f, 0.0) * v for f, v in features.items())

    def probability(self, features: Mapping[str, float]) -> float:
        """The calibrated probability that the entity belongs in the graph."""
        a, b = self.calibration
        return _sigmoid(a * self.score(features) + b)

    def to_dict(self) -> dict:
        return {"weights": dict(sorted(self.weights.items())),
                "calibration": list(self.calibration), "threshold": self.threshold}

    @classmethod
    def from_dict(cls, data: Mapping) -> NodeModel:
        a, b = data["calibration"]
        return cls(dict(data["weights"]), (float(a), float(b)), float(data["threshold"]))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@lru_cache(maxsize=4)
def load_node_model(path: str | None = None) -> NodeModel | None:
    """The shipped model (or the one at ``path``); None when the package has none yet."""
    if path is not None:
        return NodeModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    resource = resources.files("kg") / "models" / MODEL_FILE
    if not resource.is_file():
        return None
    return NodeModel.from_dict(json.loads(resource.read_text(encoding="utf-8")))
