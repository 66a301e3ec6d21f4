"""Tests for the NER model shipped in kg/models/kg_ner: offline load, labels, entities, sourcing."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

import kg
from kg.evaluation.labels import KG_LABELS

MODEL = Path(kg.__file__).resolve().parent / "models" / "kg_ner"


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return spacy.load(MODEL)


def entities(nlp: spacy.Language, text: str) -> set[tuple[str, str]]:
    return {(ent.text, ent.label_) for ent in nlp(text).ents}


def test_model_ships_inside_the_package() -> None:
    assert (MODEL / "config.cfg").is_file()
    assert (MODEL / "ner" / "model").is_file()


def test_model_has_the_four_labels_and_only_ner(nlp: spacy.Language) -> None:
    assert nlp.pipe_names == ["ner"]
    assert set(nlp.get_pipe("ner").labels) == set(KG_LABELS)


def test_ner_embeds_its_own_tok2vec(nlp: spacy.Language) -> None:
    assert "tok2vec" not in nlp.pipe_names
    assert "Tok2VecListener" not in nlp.config["components"]["ner"]["model"]["tok2vec"]["@architectures"]


def test_finds_datasets_and_metric(nlp: spacy.Language) -> None:
    found = entities(nlp, "We evaluate on ImageNet and COCO using top-1 accuracy.")
    assert ("ImageNet", "DATASET") in found
    assert any(label == "DATASET" and "COCO" in text for text, label in found)
    assert any(label == "METRIC" and "accuracy" in text for text, label in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We propose a convolutional neural network for machine translation.",
         {("convolutional neural network", "METHOD"), ("machine translation", "TASK")}),
        ("Our parser improves F1 on the Penn Treebank.", {("F1", "METRIC")}),
    ],
)
def test_finds_obvious_entities(nlp: spacy.Language, text: str, expected: set) -> None:
    assert expected <= entities(nlp, text)


def test_ner_can_be_sourced_into_a_blank_pipeline(nlp: spacy.Language) -> None:
    blank = spacy.blank("en")
    blank.vocab.vectors = nlp.vocab.vectors
    blank.add_pipe("ner", source=nlp)
    text = "We evaluate on ImageNet and COCO using top-1 accuracy."
    assert entities(blank, text) == entities(nlp, text)
