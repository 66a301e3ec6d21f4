"""scripts/make_corpus.py: the benchmark corpora are distinct documents with a title and an abstract."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from make_corpus import documents  # noqa: E402

SENTENCES = [f"Sentence {n} reports results of model M{n} on dataset D{n} ." for n in range(40)] + [
    " ".join(f"cell{n}" for n in range(300)),  # a table flattened into one very long "sentence"
]


@pytest.mark.parametrize("words", [20, 60])
def test_every_document_has_a_title_an_abstract_and_enough_words(words):
    docs = list(documents(SENTENCES, 30, words, seed=0))
    assert len(docs) == 30
    assert len({(d["title"], d["abstract"]) for d in docs}) == 30
    assert len({d["id"] for d in docs}) == 30
    for doc in docs:
        assert doc["title"].strip() and doc["abstract"].strip()
        assert len(doc["title"].split()) + len(doc["abstract"].split()) >= words


def test_the_corpus_is_the_same_on_every_run():
    assert list(documents(SENTENCES, 12, 30, seed=3)) == list(documents(SENTENCES, 12, 30, seed=3))
