"""Extraction time grows linearly with the text on adversarial texts (no quadratic rule or
tokenizer path), and texts spaCy cannot take are one-line input errors."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.extract import extract, load_pipeline
from kg.extract.tokens import MAX_CHUNK, make_doc
from kg.build import extract_chunk
from kg.records import Paper

SHORT, LONG = 5_000, 40_000  # eight times as long: linear work grows 8x, quadratic 64x
# Generous: fixed costs make the small case relatively dear, and the machine is shared.
MAX_RATIO = 20.0

# name -> (what the text opens with, the unit repeated up to the length)
ADVERSARIAL = {
    "open parentheses": ("", "("),
    "open brackets": ("", "["),
    "url then closing parentheses": ("see https://github.com/a/b", ")"),
    "acronym definitions": ("", "Convolutional Neural Network (CNN), Long Short Term Memory (LSTM), "),
    "short forms first": ("", "CNN (Convolutional Neural Network) and LSTM (long short term memory) "),
    "one long sentence of results": ("", "ResNet achieves 90.1% accuracy and 3.2 BLEU on ImageNet, "),
    "proposals without sentence ends": ("", "we propose ResNet which achieves 90.1% on ImageNet and "),
    "title-case names": ("", "Very Large Model Name "),
    "bare urls": ("", "https://github.com/a/b "),
    "hyphens": ("", "a-"),
}


def _cpu_seconds(text: str) -> float:
    """The least CPU time of two runs of the rule pipeline and normalisation over ``text``."""
    paper = Paper(id="x:1", title="T", abstract=text).to_dict()
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        extract_chunk([paper], None)
        best = min(best, time.process_time() - started)
    return best


def _ratio(prefix: str, unit: str) -> float:
    """CPU time on a text of ``LONG`` characters over that on one of ``SHORT``."""
    extract_chunk([Paper(id="x:1", title="T", abstract="warm up").to_dict()], None)
    short, long = ((prefix + unit * (length // len(unit) + 1))[:length] for length in (SHORT, LONG))
    return _cpu_seconds(long) / max(_cpu_seconds(short), 1e-3)


@pytest.mark.parametrize(("prefix", "unit"), ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_extraction_time_grows_linearly(prefix, unit):
    assert _ratio(prefix, unit) < MAX_RATIO


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.text(alphabet="([{)]}.,;:-/ aA1%", min_size=1, max_size=6))
def test_extraction_time_grows_linearly_on_any_repeated_unit(unit):
    assert _ratio("", unit) < MAX_RATIO


@pytest.mark.parametrize("text", ["(" * 5000, "a" * 5000 + " b", "x (" + "y" * 700 + ") z."])
def test_long_chunks_keep_the_text(text):
    doc = make_doc(load_pipeline(model=None), text)
    assert doc.text == text
    assert max(len(token) for token in doc) <= MAX_CHUNK


def test_text_longer_than_spacy_max_length_is_an_input_error():
    nlp = load_pipeline(model=None)
    paper = Paper(id="x:1", title="T", abstract="a " * (nlp.max_length // 2 + 1),
                  source_file="big.jsonl", source_line=3)
    with pytest.raises(InputError, match=r"^big.jsonl:3: paper x:1: cannot tokenise its abstract"):
        list(extract([paper], nlp=nlp))


def test_lone_surrogate_is_an_input_error_not_a_crash():
    with pytest.raises(InputError, match="lone surrogate U\\+D800"):
        list(extract([Paper(id="x:1", title="T \ud800", abstract="A.")], nlp=load_pipeline(model=None)))
