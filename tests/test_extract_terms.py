"""Tests of gazetteer term matching (kg.extract.terms)."""
from __future__ import annotations

import pytest
import spacy

from kg.extract.terms import TermMatcher, case_sensitive, name_confidence
from kg.resources import Term

TERMS = [
    Term("ImageNet", "Dataset", ("ImageNet-1K", "ILSVRC 2012"), "curated"),
    Term("mAP", "Metric", ("mean average precision",), "curated"),
    Term("semantic segmentation", "Task", (), "curated"),
    Term("segmentation", "Task", (), "pwc"),
    Term("ResNet", "Method", (), "curated"),
    Term("ResNet-50", "Method", ("ResNet50",), "curated"),
    Term("coco stuff", "Dataset", (), "pwc"),
]


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("kg_terms", config={"terms_path": None})
    return pipeline


def matched(doc: spacy.tokens.Doc) -> list[tuple[str, str, str, float]]:
    return [(s.text, s.label_, s._.kg_canonical, s._.kg_confidence) for s in doc.spans["kg_terms"]]


def test_small_term_list_exact_spans() -> None:
    nlp = spacy.blank("en")
    doc = TermMatcher(nlp, TERMS)(nlp("ResNet50 beats ResNet on ILSVRC 2012 in Semantic Segmentation "
                                     "and COCO Stuff; the map of mean average precision (mAP) sets."))
    assert matched(doc) == [
        ("ResNet50", "METHOD", "ResNet-50", 0.9),
        ("ResNet", "METHOD", "ResNet", 0.9),
        ("ILSVRC 2012", "DATASET", "ImageNet", 0.9),
        ("Semantic Segmentation", "TASK", "semantic segmentation", 0.9),
        ("COCO Stuff", "DATASET", "coco stuff", 0.5),
        ("mean average precision", "METRIC", "mAP", 0.9),
        ("mAP", "METRIC", "mAP", 0.7),
    ]
    assert {s._.kg_source for s in doc.spans["kg_terms"]} == {"gazetteer"}


def test_names_match_in_the_plural() -> None:
    nlp = spacy.blank("en")
    terms = [Term("Markov chain", "Method", (), "gold"), Term("word embedding", "Method", (), "gold"),
             Term("Word Embeddings", "Task", (), "pwc"),
             Term("query", "Task", (), "pwc"), Term("queries", "Dataset", (), "pwc")]
    doc = TermMatcher(nlp, terms)(nlp("No Markov chains, no word embeddings, no word embedding, two queries."))
    assert [(s.text, s.label_, s._.kg_canonical) for s in doc.spans["kg_terms"]] == [
        ("Markov chains", "METHOD", "Markov chain"),
        ("word embeddings", "METHOD", "word embedding"),  # the more trusted list's plural wins
        ("word embedding", "METHOD", "word embedding"),
        ("queries", "DATASET", "queries"),  # a listed plural keeps its term against one as trusted
    ]


@pytest.mark.parametrize(("name", "plural"), [
    ("Markov chain", "Markov chains"), ("word embedding", "word embeddings"), ("query", "queries"),
    ("box", "boxes"), ("ResNet", None), ("mAP", None), ("graph neural networks", None), ("5x", None),
])
def test_plural_name(name: str, plural: str | None) -> None:
    from kg.extract.terms import plural_name

    assert plural_name(name) == plural


def test_longest_match_wins_and_lists_are_case_sensitive_for_short_names() -> None:
    nlp = spacy.blank("en")
    doc = TermMatcher(nlp, TERMS)(nlp("resnet and MAP and segmentation of imagenet-1k"))
    assert matched(doc) == [("segmentation", "TASK", "segmentation", 0.3)]


def test_shipped_gazetteer(nlp: spacy.Language) -> None:
    doc = nlp("We fine-tune ResNet-50 on CIFAR10 and MS COCO and report top-1 accuracy and FID.")
    assert matched(doc) == [
        ("ResNet-50", "METHOD", "ResNet-50", 0.9),
        ("CIFAR10", "DATASET", "CIFAR-10", 0.9),
        ("MS COCO", "DATASET", "COCO", 0.9),
        ("top-1 accuracy", "METRIC", "top-1 accuracy", 0.9),
        ("FID", "METRIC", "FID", 0.7),
    ]


@pytest.mark.parametrize(
    ("name", "sensitive"),
    [("mAP", True), ("sets", True), ("ResNet-50", True), ("Cityscapes", False), ("image classification", False),
     ("Reading Comprehension", False), ("Semi-Supervised Learning", False), ("Visual Genome", False),
     ("DeepLab v3", True), ("PC-DARTS", True)],
)
def test_case_sensitive(name: str, sensitive: bool) -> None:
    assert case_sensitive(name) is sensitive


def test_name_confidence_orders_sources() -> None:
    assert name_confidence("ImageNet", "curated") > name_confidence("ImageNet", "gold") > name_confidence(
        "ImageNet", "pwc")
    assert name_confidence("FID", "curated") < name_confidence("ImageNet", "curated")
