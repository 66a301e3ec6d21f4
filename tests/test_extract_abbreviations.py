"""Tests of Schwartz-Hearst abbreviation detection (kg.extract.abbreviations)."""
from __future__ import annotations

import pytest
import spacy

from kg.extract.abbreviations import find_abbreviations, long_form_start, parenthesised, short_form_ok


def pairs(text: str) -> list[tuple[str, str]]:
    return [(text[m.short_start:m.short_end], text[m.long_start:m.long_end]) for m in find_abbreviations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Connecting large language models (LLMs) with search.", [("LLMs", "large language models")]),
        ("the idea of Evolutionary Algorithms (EAs) as they", [("EAs", "Evolutionary Algorithms")]),
        ("We study inductive out-of-context reasoning (OOCR).", [("OOCR", "out-of-context reasoning")]),
        ("We use NAS (neural architecture search) to design nets.", [("NAS", "neural architecture search")]),
        ("Vision Transformers (ViTs) and convolutional neural networks (CNNs) differ.",
         [("ViTs", "Vision Transformers"), ("CNNs", "convolutional neural networks")]),
        ("graph neural networks (GNNs (Scarselli et al., 2009)) work", [("GNNs", "graph neural networks")]),
        ("pre-trained language models (PLMs; Devlin et al., 2019) help", [("PLMs", "pre-trained language models")]),
        ("mean intersection over union (mIoU) rises", [("mIoU", "mean intersection over union")]),
        ("Contrastive Language-Image Pre-Training (CLIP) model", [("CLIP", "Contrastive Language-Image Pre-Training")]),
        ("Results improve. Reasoning (R) helps", []),
        ("results (see Fig. 2) are better", []),
        ("the map (x,f(x)) is smooth", []),
        ("as shown by OpenAI (2023) before", []),
        ("strong models (e.g., BERT) are used", []),
        ("BERT (Devlin et al., 2019) is a model", []),
        ("an unclosed (LLMs parenthesis", []),
    ],
)
def test_find_abbreviations(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    ("candidate", "ok"),
    [("LLMs", True), ("mIoU", True), ("NeRF", True), ("2023", False), ("x,f(x)", False),
     ("see", False), ("A", False), ("ABCDEFGHIJK", False), ("GPT 3", False)],
)
def test_short_form_ok(candidate: str, ok: bool) -> None:
    assert short_form_ok(candidate) is ok


def test_long_form_start_requires_word_start_for_first_letter() -> None:
    assert long_form_start("EAs", "evolutionary algorithms") == 0
    assert long_form_start("XY", "box yard") is None
    assert parenthesised("f (a (b) c) (d)") == [(2, 10), (12, 14)]


def test_component_pairs_are_spans() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_abbreviations")
    doc = nlp("Large Language Models (LLMs) excel, and so do diffusion models.")
    [(short, long)] = doc._.kg_abbreviations
    assert (short.text, long.text) == ("LLMs", "Large Language Models")
    assert (short.start_char, long.start_char, long.end_char) == (23, 0, 21)
