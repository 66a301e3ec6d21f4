"""Tests of kg_candidates: name shapes, glued words and context typing."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.extract.candidates import add_spans, name_shape, name_words
from kg.extract.extensions import CANDIDATES_KEY, TERMS_KEY, LinkSpan


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_candidates")
    return nlp


def run(nlp, text: str, terms: tuple[tuple[str, str], ...] = (), abbreviations=(),
        links: tuple[str, ...] = ()) -> Doc:
    """Run ``nlp`` on ``text`` after setting what earlier components would have written."""
    doc = nlp.make_doc(text)
    doc.spans[TERMS_KEY] = [_span(doc, name, label) for name, label in terms]
    doc._.kg_abbreviations = [(_span(doc, short, ""), _span(doc, long, ""))
                              for short, long in abbreviations]
    doc._.kg_links = [LinkSpan(text.index(url), text.index(url) + len(url), url, url, True)
                      for url in links]
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _span(doc: Doc, text: str, label: str) -> Span:
    start = doc.text.index(text)
    return doc.char_span(start, start + len(text), label=label)


def found(doc: Doc) -> list[tuple[str, str]]:
    return [(span.text, span.label_) for span in doc.spans[CANDIDATES_KEY]]


@pytest.mark.parametrize("text,shape", [
    ("EvoPrompt", "strong"), ("FBNetV5", "strong"), ("UniRepLKNet", "strong"),
    ("PoolFormer", "strong"), ("PC-DARTS", "strong"), ("GPT-3.5", "strong"),
    ("YOLOv5", "strong"), ("ViT-B/16", "strong"), ("wav2vec", "strong"), ("T5", "strong"),
    ("MMLU-Pro", "strong"), ("3DGS", "strong"),
    ("BERT", "acronym"), ("COCO", "acronym"),
    ("AI", None), ("US", None), ("II", None), ("XIV", None), ("LLMs", None), ("FLOPs", None),
    ("GFLOPs", None), ("7B", None), ("100M", None), ("3D", None), ("1st", None),
    ("256x256", None), ("24GB", None), ("Deep", None), ("model", None), ("x86", None),
    ("https://github.com/a/b", None), ("O(1", None), ("LLaMA3.1-70B.", None), ("PhD", None),
])
def test_name_shape(text, shape):
    assert name_shape(text) == shape


@pytest.mark.parametrize("text,words", [
    ("We use CLIP-based PC-DARTS.", ["CLIP", "PC-DARTS"]),
    ("wav2vec 2.0 and LLaMA 2, not BERT 12 layers.", ["wav2vec 2.0", "LLaMA 2", "BERT"]),
    ("on LibriSpeech test-clean.", ["LibriSpeech test-clean"]),
    ("the human-engineered state-of-the-art FBNet-B's cost", ["FBNet-B"]),
    ("(EvoPrompt), ViT-B/16; multi-DARTS", ["EvoPrompt", "ViT-B/16", "DARTS"]),
])
def test_name_words(text, words):
    doc = spacy.blank("en")(text)
    assert [doc[w.start:w.end].text for w in name_words(doc)] == words


@pytest.mark.parametrize("text,expected", [
    ("We propose EvoPrompt for prompt optimization.", [("EvoPrompt", "METHOD")]),
    ("We evaluate on COCO and LVIS.", [("COCO", "DATASET")]),
    ("Experiments on the Visual Genome dataset.", [("Visual Genome", "DATASET")]),
    ("We fine-tune the BERT model.", [("BERT", "METHOD")]),
    ("We report the MAUVE score.", [("MAUVE", "METRIC")]),
    ("It is built on LLaMA and trained on SlimPajama.",
     [("LLaMA", "METHOD"), ("SlimPajama", "DATASET")]),
    ("Our method is faster than MobileNetV2.", [("MobileNetV2", "METHOD")]),
    ("It reaches 87.8% ImageNet top-1 accuracy.", [("ImageNet", "DATASET")]),
    ("We train GPT-3.5 and YOLOv5 on 8 A100 GPUs.", [("GPT-3.5", "METHOD"), ("YOLOv5", "METHOD")]),
    ("AI in the US and in the EU, part II.", []),
    ("We surpass the PET-only baseline.", [("PET", "METHOD")]),
    ("The F1 score and mAP and BLEU-4 improve.", []),
])
def test_candidates_typed_by_context(nlp, text, expected):
    assert found(run(nlp, text)) == expected


def test_confidence_follows_evidence(nlp):
    doc = run(nlp, "We propose EvoPrompt. UniRepLKNet is large. We evaluate on COCO.")
    confidence = {span.text: span._.kg_confidence for span in doc.spans[CANDIDATES_KEY]}
    assert confidence["EvoPrompt"] == 0.7  # context and a name shape
    assert confidence["UniRepLKNet"] == 0.5  # a name shape only
    assert confidence["COCO"] == 0.6  # context only
    assert all(span._.kg_source == "candidates" for span in doc.spans[CANDIDATES_KEY])


@pytest.mark.parametrize("abbreviation,expected", [
    (("NAS", "neural architecture search"), [("NAS", "METHOD"), ("NAS", "METHOD")]),
    (("VG", "visual genome benchmark"), [("VG", "DATASET"), ("VG", "DATASET")]),
    (("AAC", "automated audio captioning"), []),
    (("TaLK", "task-level knowledge"), []),
])
def test_short_forms_need_a_method_or_dataset_long_form(nlp, abbreviation, expected):
    short, long = abbreviation
    doc = run(nlp, f"Prior work studies {long} ({short}). Here {short} is hard.",
              abbreviations=[abbreviation])
    assert found(doc) == expected


def test_names_known_to_the_gazetteer_or_in_urls_are_skipped(nlp):
    url = "https://github.com/x/EvoPrompt"
    doc = run(nlp, f"We propose EvoPrompt and test on ImageNet, see {url} now.",
              terms=(("ImageNet", "DATASET"),), links=(url,))
    assert found(doc) == [("EvoPrompt", "METHOD")]


def test_existing_candidates_are_kept(nlp):
    doc = nlp.make_doc("We propose EvoPrompt.")
    add_spans(doc, CANDIDATES_KEY, [Span(doc, 0, 1, label="TASK")])
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert found(doc) == [("We", "TASK"), ("EvoPrompt", "METHOD")]


def test_config_overrides_head_words():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_candidates", config={"method_heads": ["gizmo"]})
    assert found(nlp("the FOO gizmo and the BAR model")) == [("FOO", "METHOD")]
