"""Canonical metric names, with the dataset and setting a written name holds, and their direction.

Papers write one metric many ways: "top-1", "Top-1 acc", "ImageNet top-1", "top-1 validation
accuracy".  ``canonical_metric`` reads such a name as the canonical metric of the shipped
table (``kg/resources/metrics.tsv``, built by ``scripts/build_metrics``), the dataset written
inside it ("ImageNet") and a setting ("val", "zero-shot"); the table also says whether a
higher or a lower value is better.

>>> canonical_metric("ImageNet top-1")
MetricName(canonical='top-1 accuracy', direction='higher', dataset='ImageNet', setting=None)
>>> canonical_metric("FID score").direction, canonical_metric("zero-shot BLEU").setting
('lower', 'zero-shot')
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from kg.errors import ModelError
from kg.resources import read_table, resource_path

__all__ = [
    "DIRECTIONS",
    "METRIC_COLUMNS",
    "MetricName",
    "MetricTable",
    "MetricTerm",
    "canonical_metric",
    "is_metric_cut_off",
    "metric_direction",
    "metric_key",
    "metric_table",
    "setting_of",
]

Direction = Literal["higher", "lower", "unknown"]
DIRECTIONS: tuple[str, ...] = ("higher", "lower", "unknown")
METRIC_COLUMNS: tuple[str, ...] = ("canonical", "direction", "aliases", "source")
_CONVENTION_COLUMNS = ("written", "dataset", "means", "source")

# Words before a metric that say nothing about which metric it is ("SOTA accuracy").
_QUALIFIERS = frozenset(
    "a an the our its their new best final overall average avg reported absolute record sota "
    "state-of-the-art state of art competitive strong standard".split()
) | {  # the unit a measure is taken over: "word-level perplexity" is perplexity
    "word level", "character level", "char level", "token level", "byte level", "sentence level"}
# Words before or after a metric that name the split or protocol it was measured in.
_SETTINGS = {
    "val": "val", "validation": "val", "dev": "dev", "development": "dev", "test": "test",
    "test-dev": "test-dev", "test-std": "test-std", "minival": "minival",
    "zero-shot": "zero-shot", "few-shot": "few-shot", "one-shot": "one-shot",
    "linear-probe": "linear probe", "fine-tuned": "fine-tuned", "fine-tuning": "fine-tuned",
}
_SHOTS = re.compile(r"^\d+-shot$")
# Words after a metric name that add nothing ("BLEU points" reads as BLEU when not listed).
_TRAILING = frozenset({"score", "scores", "metric", "metrics", "value", "values", "points"})
_PARENTHESIS = re.compile(r"\([^()]*\)")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_TOP_K = re.compile(r"\btop[\s-]?(\d+)\b")
# A cut-off of a ranking measure ("top-1", "Hits@10", "R@5", "NDCG@10"): part of a metric,
# never the name of a dataset.
_CUT_OFF = re.compile(r"(?i)(?:^|[\s-])(?:top[\s-]?\d+|\w+@\d+)(?:$|[\s-])")


def is_metric_cut_off(text: str) -> bool:
    """Whether ``text`` holds a ranking cut-off ("zero-shot top-1", "Hits@10").

    >>> is_metric_cut_off("zero-shot top-1"), is_metric_cut_off("R@5"), is_metric_cut_off("Top-Gun")
    (True, True, False)
    """
    return _CUT_OFF.search(text) is not None


class MetricTerm(NamedTuple):
    """A row of the metric table: canonical name, direction, other names, where it came from."""

    canonical: str
    direction: str
    aliases: tuple[str, ...]
    source: str


class MetricName(NamedTuple):
    """A written metric name as read: canonical metric, its direction, the dataset and the
    setting written in the name (None when it holds none)."""

    canonical: str
    direction: str
    dataset: str | None
    setting: str | None


def metric_key(text: str) -> str:
    """The lookup key of a metric name: case, dashes, hyphens and spacing folded.

    >>> metric_key("Top1  Acc"), metric_key("F1-Score"), metric_key("mIoU")
    ('top 1 acc', 'f1 score', 'miou')
    """
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text)).casefold()
    text = _TOP_K.sub(r"top-\1", text)
    return " ".join(text.replace("-", " ").strip(" ()[]:;,.").split())


def _singular(key: str) -> str:
    words = key.split()
    last = words[-1] if words else ""
    if len(last) > 3 and last.endswith("ies"):
        last = last[:-3] + "y"
    elif len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return " ".join([*words[:-1], last])


class MetricTable:
    """Canonical metrics by every key they answer to, and dataset conventions
    ("accuracy" on ImageNet is top-1 accuracy)."""

    def __init__(self, terms: Iterable[MetricTerm],
                 conventions: dict[tuple[str, str], str] | None = None) -> None:
        self.terms: dict[str, MetricTerm] = {}
        self._by_key: dict[str, MetricTerm] = {}
        for term in terms:
            self.terms[term.canonical] = term
            for name in (term.canonical, *term.aliases):
                self._by_key.setdefault(metric_key(name), term)
        self.conventions = conventions or {}

    def term(self, name: str) -> MetricTerm | None:
        """The metric whose canonical name or alias is ``name`` (also in the singular)."""
        key = metric_key(name)
        return self._by_key.get(key) or self._by_key.get(_singular(key))

    def resolve(self, text: str) -> MetricName | None:
        """Read ``text`` as a known metric, with the dataset and setting written around it;
        None when no known metric name ends it.

        The longest known name that ends the text (after an "on X" or a trailing "score")
        is the metric; the words before it are qualifiers (dropped), settings, or, when
        they are capitalised or hold a digit, the dataset.  Other lower-case words make a
        metric of its own ("denotation accuracy") with the direction of the known one.  A
        parenthesis is read only when the rest is no metric ("bits per character (BPC)").
        """
        outside = " ".join(_PARENTHESIS.sub(" ", text).split())
        if outside != text.strip():
            found = self.resolve(outside) if outside else None
            inside = " ".join(part.strip("() ") for part in _PARENTHESIS.findall(text))
            return found or (self.resolve(inside) if inside else None)
        head, _, after = text.partition(" on ")
        dataset = after.strip() or None
        words = head.split()
        while len(words) > 1 and metric_key(words[-1]) in _TRAILING and self.term(" ".join(words)) is None:
            words = words[:-1]
        setting = None
        while len(words) > 1 and setting_of(words[-1]) and self.term(" ".join(words)) is None:
            setting, words = setting_of(words[-1]), words[:-1]
        for start in range(len(words)):
            term = self.term(" ".join(words[start:]))
            if term is None:
                continue
            rest, named = [], []
            for word in words[:start]:
                if setting_of(word):
                    setting = setting_of(word)
                elif metric_key(word) not in _QUALIFIERS:
                    (named if _is_name(word) else rest).append(word)
            if rest:  # "denotation accuracy": a metric of its own, read like its head
                return MetricName(" ".join(words), term.direction, dataset, setting)
            if named and dataset is None:
                dataset = " ".join(named)
            return MetricName(term.canonical, term.direction, dataset, setting)
        return None

    def with_dataset(self, name: MetricName, dataset: str | None) -> MetricName:
        """``name`` as measured on ``dataset``: the convention of the dataset applied."""
        canonical = self.conventions.get((metric_key(name.canonical), metric_key(dataset or "")))
        if canonical is None:
            return name
        return name._replace(canonical=canonical, direction=self.terms[canonical].direction)

    def direction(self, name: str) -> str:
        """"higher", "lower" or "unknown" for a canonical metric name or alias."""
        term = self.term(name)
        if term is not None:
            return term.direction
        found = self.resolve(name)
        return found.direction if found is not None else "unknown"


def setting_of(word: str) -> str | None:
    """The setting a word names ("validation" -> "val", "5-shot"), None when it names none.

    >>> setting_of("Validation"), setting_of("test-dev"), setting_of("5-shot"), setting_of("model")
    ('val', 'test-dev', '5-shot', None)
    """
    key = _DASHES.sub("-", word.casefold()).strip("(),")
    return _SETTINGS.get(key) or (key if _SHOTS.match(key) else None)


def _is_name(word: str) -> bool:
    """Whether a word reads as part of a name (a dataset): capitals or digits in it."""
    return any(char.isupper() or char.isdigit() for char in word)


@lru_cache(maxsize=None)
def metric_table(path: str | None = None, conventions_path: str | None = None) -> MetricTable:
    """The shipped metric table (``metrics.tsv`` and ``curated/metric_conventions.tsv``)."""
    terms = [MetricTerm(row[0], row[1], tuple(a for a in row[2].split("|") if a), row[3])
             for row in _rows(Path(path) if path else resource_path("metrics.tsv"), METRIC_COLUMNS)]
    for number, term in enumerate(terms, start=2):
        if term.direction not in DIRECTIONS:
            raise ModelError(f"metrics.tsv:{number}: direction must be one of "
                             f"{', '.join(DIRECTIONS)}, got {term.direction!r}")
    table = MetricTable(terms)
    source = Path(conventions_path) if conventions_path else resource_path(
        "curated/metric_conventions.tsv")
    for number, (written, dataset, means, _) in enumerate(_rows(source, _CONVENTION_COLUMNS), 2):
        if means not in table.terms or table.term(written) is None:
            raise ModelError(f"{source}:{number}: {written!r} and {means!r} must both be metrics "
                             "of metrics.tsv")
        table.conventions[(metric_key(table.term(written).canonical), metric_key(dataset))] = means
    return table


def _rows(path: Path, columns: tuple[str, ...]) -> list[list[str]]:
    return read_table(path, columns, "the metric table")


def canonical_metric(text: str, dataset: str | None = None) -> MetricName:
    """The canonical metric of a written name; ``dataset`` is the dataset the value was
    measured on, when known, for the conventions ("accuracy" on ImageNet is top-1).

    An unknown name stays as written, with direction "unknown".

    >>> canonical_metric("accuracy", dataset="ImageNet").canonical
    'top-1 accuracy'
    >>> canonical_metric("scaling efficiency")
    MetricName(canonical='scaling efficiency', direction='unknown', dataset=None, setting=None)
    """
    table = metric_table()
    name = table.resolve(text) or MetricName(" ".join(text.split()), "unknown", None, None)
    return table.with_dataset(name, name.dataset or dataset)


def metric_direction(name: str) -> str:
    """Whether a higher or a lower value of the metric ``name`` is better, or "unknown".

    >>> metric_direction("top-1 accuracy"), metric_direction("perplexity"), metric_direction("F-measure")
    ('higher', 'lower', 'higher')
    """
    return metric_table().direction(name)
