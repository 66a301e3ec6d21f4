"""Mentions cut short are widened to the longer name the paper writes at the same place."""
from __future__ import annotations

import pytest

from kg.normalize.extents import extend_mentions
from kg.records import Evidence, Mention


def _mention(sentence: str, text: str, label: str = "Method", field: str = "abstract") -> Mention:
    start = sentence.index(text)
    return Mention(label, Evidence(text, field, 10 + start, 10 + start + len(text), sentence, 10, "ner"), 0.7)


@pytest.mark.parametrize(("sentence", "text", "names", "widened"), [
    # another mention of the same type in the paper
    ("We propose an asymmetric tri-training method.", "tri-training", ["Asymmetric Tri-training"],
     "asymmetric tri-training"),
    # a long form the paper defines
    ("We propose a Shorten Spatial-spectral RNN with Parallel-GRU (St-SS-pGRU).", "Shorten Spatial-spectral RNN",
     [], "Shorten Spatial-spectral RNN with Parallel-GRU"),
    # no longer name written here, or one only as part of a word ("method" of "methods")
    ("Tri-training leverages three classifiers.", "Tri-training", ["Asymmetric Tri-training"], "Tri-training"),
    ("We propose tri-training methods.", "tri-training", [], "tri-training"),
])
def test_a_mention_is_widened_to_the_name_around_it(sentence: str, text: str, names: list[str],
                                                    widened: str) -> None:
    title = "Asymmetric Tri-training for Domain Adaptation"
    others = [_mention(title, name, field="title") for name in names if name in title]
    long_forms = ["Shorten Spatial-spectral RNN with Parallel-GRU", "tri-training method"]
    mention = _mention(sentence, text)
    out = extend_mentions([mention, *others], long_forms)
    evidence = out[0].evidence
    assert evidence.text == widened
    assert sentence[evidence.start - 10:evidence.end - 10] == widened  # offsets index the field


def test_a_name_of_another_type_does_not_widen_and_a_held_span_is_not_repeated() -> None:
    sentence = "We report ImageNet classification results."
    dataset, task = _mention(sentence, "ImageNet", "Dataset"), _mention(sentence, "ImageNet classification", "Task")
    assert extend_mentions([dataset, task], []) == [dataset, task]
    short, whole = _mention(sentence, "ImageNet", "Task"), task
    assert extend_mentions([short, whole], []) == [whole]
