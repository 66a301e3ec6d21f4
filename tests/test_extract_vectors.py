"""MemoFloretVectors: the memoised floret table gives the NER exactly the plain table's vectors."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import ORTH
from spacy.vectors import Mode, Vectors

import kg
from kg.extract import load_pipeline
from kg.extract.vectors import MemoFloretVectors, memoized

MODEL = Path(kg.__file__).resolve().parent / "models" / "kg_ner"
TEXTS = [
    "We fine-tune ResNet-50 on ImageNet and report top-1 accuracy.",
    "EvoPrompt reaches 87.8% on BIG-Bench Hard, beating chain-of-thought prompting.",
    "Our FBNetV5 is 2.4x smaller than MobileNetV2 on COCO object detection.",
]


@pytest.fixture(scope="module")
def trained() -> spacy.Language:
    return spacy.load(MODEL)


def token_keys(nlp: spacy.Language, text: str) -> np.ndarray:
    return nlp.make_doc(text).to_array(ORTH)


@pytest.mark.parametrize("max_keys", [8, 64, 10_000])
def test_memoised_vectors_equal_the_floret_ones(trained, max_keys):
    plain = trained.vocab.vectors
    memo = memoized(plain, max_keys=max_keys)
    assert isinstance(memo, MemoFloretVectors) and memo.mode == Mode.floret
    for _ in range(2):  # the second round reads remembered vectors (or starts over: max_keys 8)
        for text in TEXTS:
            keys = token_keys(trained, text)
            expected, got = plain.get_batch(keys), memo.get_batch(keys)
            assert got.dtype == expected.dtype and np.array_equal(got, expected)
    assert len(memo._rows) <= max(max_keys, max(len(set(token_keys(trained, t))) for t in TEXTS))
    assert np.array_equal(memo.get_batch(["transformer", "ImageNet"]),
                          plain.get_batch(["transformer", "ImageNet"]))


def test_only_floret_tables_are_memoised():
    table = Vectors(shape=(3, 4))
    assert memoized(table) is table


def test_the_extraction_pipeline_runs_on_memoised_vectors(trained):
    nlp = load_pipeline(model=MODEL)
    assert isinstance(nlp.vocab.vectors, MemoFloretVectors)
    assert memoized(nlp.vocab.vectors) is nlp.vocab.vectors
    # The sourced NER on the memoised vectors finds exactly what the model alone finds.
    with nlp.select_pipes(enable=["kg_ner"]):
        for text in TEXTS:
            assert [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents] == \
                [(e.start_char, e.end_char, e.label_) for e in trained(text).ents]
