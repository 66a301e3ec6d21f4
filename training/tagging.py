"""Pure helpers of the transformer tagger (training/teacher.py): BIO tags, subword alignment.

No torch here, so the tests can check them on any machine.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from kg.evaluation.corpora import bio_spans as bio_to_spans

__all__ = ["OUTSIDE", "bio_to_spans", "first_subwords", "spans_to_bio", "tag_names"]

OUTSIDE = "O"


def tag_names(labels: Iterable[str]) -> list[str]:
    """``O`` then ``B-``/``I-`` for each label, the order of the classifier's outputs.

    >>> tag_names(["Task"])
    ['O', 'B-Task', 'I-Task']
    """
    return [OUTSIDE, *(f"{prefix}-{label}" for label in labels for prefix in "BI")]


def spans_to_bio(length: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags for ``length`` words; of overlapping spans the longest wins (ties: the first).

    >>> spans_to_bio(4, [(0, 2, "Method"), (1, 2, "Task"), (3, 4, "Task")])
    ['B-Method', 'I-Method', 'O', 'B-Task']
    """
    tags = [OUTSIDE] * length
    for start, end, label in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        if start < 0 or end > length or start >= end:
            raise ValueError(f"span ({start}, {end}) outside a sentence of {length} words")
        if any(tag != OUTSIDE for tag in tags[start:end]):
            continue
        tags[start] = f"B-{label}"
        tags[start + 1 : end] = [f"I-{label}"] * (end - start - 1)
    return tags


def first_subwords(word_ids: Sequence[int | None], n_words: int) -> list[int]:
    """For each word, the position of its first subword; -1 where truncation dropped it.

    ``word_ids`` is a fast tokenizer's ``word_ids()``: the word of each subword, ``None`` for
    special tokens.

    >>> first_subwords([None, 0, 0, 1, None], 3)
    [1, 3, -1]
    """
    first = [-1] * n_words
    for position, word in enumerate(word_ids):
        if word is not None and first[word] < 0:
            first[word] = position
    return first
