"""Exact-span precision, recall and F1 per label and micro-averaged."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from kg.evaluation.corpora import Sentence

MICRO = "micro"


def _span_set(sentences: Iterable[Sentence]) -> set[tuple[int, int, int, str]]:
    return {
        (index, start, end, label)
        for index, sentence in enumerate(sentences)
        for start, end, label in sentence.spans
    }


def prf(true_positives: int, false_positives: int, false_negatives: int) -> dict[str, float]:
    """Precision, recall and F1 (in percent) from counts; 0.0 where undefined."""
    predicted = true_positives + false_positives
    gold = true_positives + false_negatives
    precision = 100.0 * true_positives / predicted if predicted else 0.0
    recall = 100.0 * true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "p": round(precision, 2),
        "r": round(recall, 2),
        "f1": round(f1, 2),
        "tp": true_positives,
        "fp": false_positives,
        "fn": false_negatives,
    }


def score(
    gold: Sequence[Sentence], predicted: Sequence[Sentence], labels: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F1 for each of ``labels`` and their micro average.

    ``gold`` and ``predicted`` are aligned sentence by sentence; a predicted span counts only
    when its start, end and label all match a gold span.  Spans with other labels are ignored.

    >>> g = [Sentence("d", ("a", "b"), ((0, 1, "X"),))]
    >>> score(g, g, ["X"])["micro"]["f1"]
    100.0
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    wanted = set(labels)
    gold_spans = {span for span in _span_set(gold) if span[3] in wanted}
    predicted_spans = {span for span in _span_set(predicted) if span[3] in wanted}
    counts: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for span in gold_spans & predicted_spans:
        counts[span[3]]["tp"] += 1
    for span in predicted_spans - gold_spans:
        counts[span[3]]["fp"] += 1
    for span in gold_spans - predicted_spans:
        counts[span[3]]["fn"] += 1
    results = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in counts.items()}
    total = sum(counts.values(), Counter())
    results[MICRO] = prf(total["tp"], total["fp"], total["fn"])
    return results
