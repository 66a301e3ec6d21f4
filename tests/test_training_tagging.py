"""Tests for the teacher's pure helpers (training/tagging.py): BIO tags and subword alignment."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.evaluation.corpora import Sentence

TRAINING = Path(__file__).resolve().parents[1] / "training"


def training_module(name: str) -> ModuleType:
    """A module of training/ by file (scripts/ has a make_corpus.py of its own)."""
    spec = importlib.util.spec_from_file_location(f"kg_training_{name}", TRAINING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tagging = training_module("tagging")
bio_to_spans = tagging.bio_to_spans
first_subwords = tagging.first_subwords
spans_to_bio = tagging.spans_to_bio
tag_names = tagging.tag_names


def test_tag_names_put_outside_first_then_b_and_i_per_label() -> None:
    assert tag_names(["Method", "Task"]) == ["O", "B-Method", "I-Method", "B-Task", "I-Task"]


@pytest.mark.parametrize(
    ("length", "spans", "tags"),
    [
        (3, [], ["O", "O", "O"]),
        (3, [(0, 3, "Task")], ["B-Task", "I-Task", "I-Task"]),
        (4, [(1, 2, "Method"), (2, 3, "Method")], ["O", "B-Method", "B-Method", "O"]),
        # nested: the longer span wins, as spaCy's NER training data keeps it
        (4, [(1, 2, "Method"), (0, 3, "Task")], ["B-Task", "I-Task", "I-Task", "O"]),
        # crossing spans of equal length: the first one wins
        (4, [(1, 3, "Task"), (0, 2, "Method")], ["B-Method", "I-Method", "O", "O"]),
    ],
)
def test_spans_to_bio(length: int, spans: list[tuple[int, int, str]], tags: list[str]) -> None:
    assert spans_to_bio(length, spans) == tags


@pytest.mark.parametrize("span", [(2, 5, "Task"), (-1, 1, "Task"), (2, 2, "Task")])
def test_spans_to_bio_rejects_spans_outside_the_sentence(span: tuple[int, int, str]) -> None:
    with pytest.raises(ValueError, match="outside a sentence of 4 words"):
        spans_to_bio(4, [span])


@st.composite
def non_overlapping_spans(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, str]]]:
    length = draw(st.integers(1, 30))
    cuts = sorted(draw(st.sets(st.integers(0, length), max_size=12)))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        if start < end:
            spans.append((start, end, draw(st.sampled_from(["Method", "Task", "Metric"]))))
    return length, spans


@given(non_overlapping_spans())
def test_bio_round_trip_keeps_non_overlapping_spans(case: tuple[int, list]) -> None:
    length, spans = case
    assert list(bio_to_spans(spans_to_bio(length, spans))) == spans


@pytest.mark.parametrize(
    ("word_ids", "n_words", "expected"),
    [
        ([None, 0, 1, 2, None], 3, [1, 2, 3]),
        ([None, 0, 0, 0, 1, None], 2, [1, 4]),
        # truncated: the last word got no subword
        ([None, 0, 1, 1, None], 3, [1, 2, -1]),
        ([None, None], 0, []),
    ],
)
def test_first_subwords(word_ids: list[int | None], n_words: int, expected: list[int]) -> None:
    assert first_subwords(word_ids, n_words) == expected


def test_unlabelled_sample_is_deterministic_sane_length_and_unlabelled() -> None:
    unlabelled_sample = training_module("make_corpus").unlabelled_sample
    sentences = [
        Sentence("d", ("w",) * length, ((0, 1, "Method"),)) for length in (2, 5, 40, 80, 81, 200)
    ] * 5
    first = unlabelled_sample(sentences, 8)
    assert first == unlabelled_sample(sentences, 8, seed=0)
    assert len(first) == 8
    assert all(5 <= len(s.words) <= 80 and s.spans == () for s in first)
    assert len(unlabelled_sample(sentences, 1000)) == 15  # only the 15 usable ones
