"""Tests of kg_results and kg.extract.numbers; a smoke run of the three components on the seeds."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from extract_support import run_components
from kg.extract.extensions import CANDIDATES_KEY, PROPOSED_KEY, TERMS_KEY
from kg.extract.numbers import is_year, normalise_unit, parse_number, split_quantity

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    for name in ("sentencizer", "kg_candidates", "kg_proposed", "kg_results"):
        nlp.add_pipe(name)
    return nlp


def readable(doc: Doc) -> list[tuple]:
    """Each result as (text, value, unit, metric, dataset, method) with spans as their text."""
    return [
        (doc.text[r.start_char:r.end_char], r.value, r.unit,
         *(span.text if span is not None else None for span in (r.metric, r.dataset, r.method)))
        for r in doc._.kg_results
    ]


@pytest.mark.parametrize("text,terms,expected", [
    ("UniRepLKNet achieves 87.8% ImageNet top-1 accuracy.", (),
     [("87.8%", 87.8, "%", "top-1 accuracy", "ImageNet", "UniRepLKNet")]),
    ("DiT-XL/2 reaches an FID of 2.05 at 256x256 on ImageNet.", (),
     [("2.05", 2.05, None, "FID", "ImageNet", "DiT-XL/2")]),
    ("The Transformer obtains 41.2 BLEU on WMT14 English-German.",
     (("Transformer", "METHOD"), ("WMT14 English-German", "DATASET")),
     [("41.2 BLEU", 41.2, None, "BLEU", "WMT14 English-German", "Transformer")]),
    ("ResNet-50 reaches a top-1 accuracy of 79.3% on ImageNet.", (),
     [("79.3%", 79.3, "%", "top-1 accuracy", "ImageNet", "ResNet-50")]),
    ("Our detector improves mAP by 3.1 points on COCO.", (),
     [("3.1 points", 3.1, "points", "mAP", "COCO", None)]),
    ("FBNet-B is 2.4x smaller and 1.5x faster than MobileNetV2.", (),
     [("2.4x", 2.4, "x", "smaller", None, "FBNet-B"),
      ("1.5x", 1.5, "x", "faster", None, "FBNet-B")]),
    ("EvoPrompt significantly outperforms human-engineered prompts by up to 25%.", (),
     [("25%", 25.0, "%", None, None, "EvoPrompt")]),
    ("wav2vec 2.0 achieves a WER of 2.1% on LibriSpeech test-clean.", (),
     [("2.1%", 2.1, "%", "WER", "LibriSpeech test-clean", "wav2vec 2.0")]),
    ("The model obtains an F1 score of 92.4.", (), [("92.4", 92.4, None, "F1 score", None, None)]),
    ("It achieves SPIDEr scores of 44.1% and 30.5% on AudioCaps and Clotho, respectively.",
     (("AudioCaps", "DATASET"), ("Clotho", "DATASET")),
     [("44.1%", 44.1, "%", "SPIDEr scores", "AudioCaps", None),
      ("30.5%", 30.5, "%", "SPIDEr scores", "Clotho", None)]),
    ("FBNets achieve 1.5% to 6.4% higher accuracy than MobileNetV2.", (),
     [("1.5%", 1.5, "%", "accuracy", None, "FBNets"),
      ("6.4%", 6.4, "%", "accuracy", None, "FBNets")]),
    ("The model needs only 5.4M params.", (),
     [("5.4M params", 5.4, "M params", "params", None, None)]),
    ("We observed a 1.7% absolute reduction in SPIDEr score.", (),
     [("1.7%", 1.7, "%", "SPIDEr score", None, None)]),
    ("It improves PSNR by 0.5 dB and runs at 23.1 ms latency.", (),
     [("0.5 dB", 0.5, "dB", "PSNR", None, None), ("23.1 ms", 23.1, "ms", "latency", None, None)]),
    ("It reduces tunable parameters by over 3,000 times.", (),
     [("3,000 times", 3000.0, "x", "parameters", None, None)]),
    ("On GLUE, BERT-large scores 80.5 percent accuracy.", (("GLUE", "DATASET"),),
     [("80.5 percent", 80.5, "%", "accuracy", "GLUE", "BERT-large")]),
    # a range is read as its first number, in the unit of its last
    ("GridNet achieves a 20-30% relative improvement in final error rate.", (),
     [("20", 20.0, "%", "error rate", None, "GridNet")]),
])
def test_results(nlp, text, terms, expected):
    assert readable(run_components(nlp, text, terms=terms)) == expected


def slots(doc: Doc) -> list[tuple]:
    """Each result as (text, metric, dataset, method, kind) with spans as their text."""
    return [
        (doc.text[r.start_char:r.end_char],
         *(span.text if span is not None else None for span in (r.metric, r.dataset, r.method)),
         r.kind)
        for r in doc._.kg_results
    ]


# Which method, dataset and metric each number belongs to, in the shapes abstracts write
# results in (every text is written for the test).
@pytest.mark.parametrize("text,terms,expected", [
    # the subject opens the clause, after "Our" or an opening "On X,"
    ("Our GridNet achieves 85.1% top-1 accuracy on ImageNet.", (),
     [("85.1%", "top-1 accuracy", "ImageNet", "GridNet", "absolute")]),
    ("On COCO, it reaches 52.3 box AP.", (),
     [("52.3 box AP", "box AP", "COCO", None, "absolute")]),
    ("We obtain a BLEU of 28.4 on WMT'14 English-German.",
     (("WMT'14 English-German", "DATASET"),),
     [("28.4", "BLEU", "WMT'14 English-German", None, "absolute")]),
    ("Using GridNet, we achieve 80.1% accuracy.", (),
     [("80.1%", "accuracy", None, "GridNet", "absolute")]),
    ("We build a strong GridNet model, which achieves an F1 score of 51.0%.", (),
     [("51.0%", "F1 score", None, "GridNet", "absolute")]),
    ("GridNet outperforms KiteNet, and reaches 80.2% accuracy.", (),
     [("80.2%", "accuracy", None, "GridNet", "absolute")]),
    # an anaphor of the paper's own method is left to the paper's proposed method
    ("The generative model achieves a perplexity of 30.2 on PTB.",
     (("generative model", "METHOD"), ("PTB", "DATASET")),
     [("30.2", "perplexity", "PTB", None, "absolute")]),
    # a task name before a result verb acts as the method
    ("Sequence-level training achieves 41.5 BLEU.", (("Sequence-level training", "TASK"),),
     [("41.5 BLEU", "BLEU", None, "Sequence-level training", "absolute")]),
    # two results in one sentence: each its own metric, a dataset after one is its own
    ("KiteNet reaches 81.2% top-1 accuracy on ImageNet and 45.0 mIoU on ADE20K at once.",
     (("ADE20K", "DATASET"),),
     [("81.2%", "top-1 accuracy", "ImageNet", "KiteNet", "absolute"),
      ("45.0 mIoU", "mIoU", "ADE20K", "KiteNet", "absolute")]),
    ("KiteNet reaches 81.2% top-1 accuracy on ImageNet and 45.0 mIoU at once.", (),
     [("81.2%", "top-1 accuracy", "ImageNet", "KiteNet", "absolute"),
      ("45.0 mIoU", "mIoU", None, "KiteNet", "absolute")]),
    # "respectively" with the datasets before the numbers
    ("On the PTB and CTB test sets, respectively, GridNet achieves F1 scores of 93.3 and 86.9.",
     (("PTB", "DATASET"), ("CTB", "DATASET")),
     [("93.3", "F1 scores", "PTB", "GridNet", "absolute"),
      ("86.9", "F1 scores", "CTB", "GridNet", "absolute")]),
    # a dataset written in the metric's name; a difference in parentheses shares its names
    ("GridNet improves the WikiSQL denotation accuracy to 89.5% (+2.3%).",
     (("WikiSQL", "DATASET"),),
     [("89.5%", "denotation accuracy", "WikiSQL", "GridNet", "absolute"),
      ("+2.3%", "denotation accuracy", "WikiSQL", "GridNet", "relative")]),
    # the metric of the sentence before; the dataset of the sentence before
    ("KiteNet reaches an accuracy of 99.6% on LFW. On YTF it achieves 95.1%.",
     (("LFW", "DATASET"), ("YTF", "DATASET")),
     [("99.6%", "accuracy", "LFW", "KiteNet", "absolute"),
      ("95.1%", "accuracy", "YTF", None, "absolute")]),
    ("We run experiments on the TIMIT dataset. GridNet achieves a 17.3% phone error rate.",
     (("TIMIT", "DATASET"),),
     [("17.3%", "phone error rate", "TIMIT", "GridNet", "absolute")]),
    # one number on both datasets reported before
    ("GridNet reaches 99.1% accuracy on LFW. On YTF it reaches 95.1%. It cuts the error rate "
     "by 30% on both datasets.", (("LFW", "DATASET"), ("YTF", "DATASET")),
     [("99.1%", "accuracy", "LFW", "GridNet", "absolute"),
      ("95.1%", "accuracy", "YTF", None, "absolute"),
      ("30%", "error rate", "LFW", None, "relative"),
      ("30%", "error rate", "YTF", None, "relative")]),
    # the value compared with is no result of the paper
    ("On LAMBADA, GridNet reaches 66.5% compared to the previous best accuracy of 63.2%.", (),
     [("66.5%", "accuracy", "LAMBADA", "GridNet", "absolute")]),
    ("GridNet improves the accuracy on VQA from 60.3% to 60.5%.", (("VQA", "DATASET"),),
     [("60.5%", "accuracy", "VQA", "GridNet", "absolute")]),
    ("GridNet improves every benchmark, including CORD (0.9493 → 0.9601).", (),
     [("0.9601", None, "CORD", "GridNet", "absolute")]),
    ("LogReg reaches an F1 score of 51.0%, a large gain over a simple baseline (20%).", (),
     [("51.0%", "F1 score", None, "LogReg", "absolute")]),
    # ... unless the text names the method it is for
    ("GridDiff achieves an FID of 2.05 on ImageNet, compared with 2.27 FID for KiteDiff.",
     (("KiteDiff", "METHOD"),),
     [("2.05", "FID", "ImageNet", "GridDiff", "absolute"),
      ("2.27 FID", "FID", None, "KiteDiff", "absolute")]),
    # a range is one result
    ("GridNet is between 10x and 20x smaller.", (),
     [("10x", "smaller", None, "GridNet", "relative")]),
    # what a number is measured on is no dataset when it is a task
    ("GridNet gains +2.4% F1 score on NER.", (("NER", "TASK"),),
     [("+2.4%", "F1 score", None, None, "relative")]),
    # what is counted after "fewer"; a metric named before "by"; an improvement after it
    ("GridNet achieves the same accuracy with 14 times fewer training steps.", (),
     [("14 times", "training steps", None, "GridNet", "relative")]),
    ("Distillation reduces the size of the model by 40%.", (),
     [("40%", "size", None, None, "relative")]),
    ("GridNet improves biomedical NER (0.62% F1 score improvement).", (),
     [("0.62%", "F1 score", None, "GridNet", "relative")]),
    # an acronym of the metric table is read only as written
    ("It takes 3 ms per step.", (), [("3 ms", None, None, None, "absolute")]),
    # a metric name continued after a parenthesis
    ("It reaches 25.1% top-1 (7.8% top-5) error on ImageNet.", (),
     [("25.1%", "top-1 (7.8% top-5) error", "ImageNet", None, "absolute"),
      ("7.8%", "top-5) error", "ImageNet", None, "absolute")]),
    # a verb of change right before the number makes a difference, "improved to" does not
    ("GridNet reduces 71% FLOPs of activation.", (),
     [("71%", "FLOPs", None, "GridNet", "relative")]),
    ("With ResNet, the accuracy is further improved to 62.1% on VQA.", (("VQA", "DATASET"),),
     [("62.1%", "accuracy", "VQA", None, "absolute")]),
    # a list after "by" is a list of differences
    ("We obtain large gains on WMT (+ 2.8-3.7 BLEU).", (("WMT", "DATASET"),),
     [("2.8", "BLEU", "WMT", None, "relative")]),
    ("Compared to LoRA, GridNet reduces training time by 22%.", (("LoRA", "METHOD"),),
     [("22%", "training time", None, "GridNet", "relative")]),
    ("GridNet beats the baseline by 7.06 mAP for NuImages and 12.9 mAP for COCO at once.",
     (("NuImages", "DATASET"), ("COCO", "DATASET")),
     [("7.06 mAP", "mAP", "NuImages", "GridNet", "relative"),
      ("12.9 mAP", "mAP", "COCO", "GridNet", "relative")]),
    # a ranking cut-off tagged a dataset is part of the metric ("zero-shot top-1 accuracy")
    ("GridNet achieves 71.8% zero-shot top-1 accuracy on ImageNet.",
     (("zero-shot top-1", "DATASET"), ("accuracy", "METRIC"), ("ImageNet", "DATASET")),
     [("71.8%", "zero-shot top-1", "ImageNet", "GridNet", "absolute")]),
    ("On Natural Questions it raises the top-20 retrieval accuracy of GridNet to 84.0%.",
     (("Natural Questions", "DATASET"), ("retrieval accuracy", "METRIC")),
     [("84.0%", "top-20 retrieval accuracy", "Natural Questions", None, "absolute")]),
])
def test_result_slots(nlp, text, terms, expected):
    assert slots(run_components(nlp, text, terms=terms)) == expected


@pytest.mark.parametrize("text", [
    "In 2023, we study 9 datasets and 5 tasks with 8 GPUs.",
    "We pre-train on 100M images and compare 7B models.",
    "As shown in Fig. 3 and Table 2, GPT-3.5 and FBNetV5 differ.",
    "Images are resized to 256x256 or 512 x 512 pixels [12].",
    "Model sizes range from 7B to 70B parameters.",
    "We use only 10% of the labeled data.",
    "MobileNetV2-1.3 and ViT-B/16 are our baselines.",
    "The accuracy of models in 2023 improved (1) quickly.",
    "We find that (1) accuracy matters; 2) accuracy is cheap.",
])
def test_numbers_that_are_not_results(nlp, text):
    assert run_components(nlp, text)._.kg_results == []


def test_result_spans_belong_to_the_sentence(nlp):
    doc = run_components(nlp, "We study COCO. FBNet-B achieves 74.1% top-1 accuracy on ImageNet with "
                   "295M FLOPs and 23.1 ms latency. It is 2.4x smaller.")
    assert len(doc._.kg_results) == 4
    for result in doc._.kg_results:
        sentence = doc.char_span(result.start_char, result.end_char,
                                 alignment_mode="expand").sent
        for span in (result.metric, result.dataset, result.method):
            assert span is None or (span.doc is doc and span.sent == sentence)
    # ImageNet is the dataset of the accuracy written before it, not of the costs after it
    assert [r.confidence for r in doc._.kg_results] == [0.9, 0.8, 0.8, 0.6]


def test_own_metric_names_become_candidates(nlp):
    doc = run_components(nlp, "It reaches a top-1 accuracy of 79.3% and is 2.4x smaller. Accuracy matters.")
    metrics = [(s.text, s._.kg_source, s._.kg_confidence)
               for s in doc.spans[CANDIDATES_KEY] if s.label_ == "METRIC"]
    assert metrics == [("top-1 accuracy", "results", 0.6)]


def test_gazetteer_metrics_are_used_not_copied(nlp):
    doc = run_components(nlp, "It reaches a top-1 accuracy of 79.3%.",
                         terms=(("top-1 accuracy", "METRIC"),))
    [result] = doc._.kg_results
    assert result.metric == doc.spans[TERMS_KEY][0]
    assert [s for s in doc.spans[CANDIDATES_KEY] if s.label_ == "METRIC"] == []


def test_results_without_sentences():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_results")
    doc = nlp("A WER of 2.1% on it.")
    assert [(r.value, r.unit, r.metric.text) for r in doc._.kg_results] == [(2.1, "%", "WER")]


@pytest.mark.parametrize("text,value", [
    ("1,024", 1024.0), ("87.8%", 87.8), ("-0.5", -0.5), ("+3.1", 3.1), (".5", 0.5),
    ("2.4x", 2.4), ("v2", None), ("GPT-3.5", None), ("1,02", None), ("", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text,suffix", [
    ("295M", "M"), ("1.5×", "×"), ("23.1ms", "ms"), ("42", ""), ("256x256", None),
])
def test_split_quantity(text, suffix):
    quantity = split_quantity(text)
    assert (quantity.suffix if quantity else None) == suffix


@pytest.mark.parametrize("text,unit", [
    ("%", "%"), ("percent", "%"), ("×", "x"), ("X", "x"), ("pp", "points"), ("Points", "points"),
    ("DB", "dB"), ("ms", "ms"), ("GPUs", None), ("datasets", None),
])
def test_normalise_unit(text, unit):
    assert normalise_unit(text) == unit


@pytest.mark.parametrize("text,year", [("2023", True), ("1999", True), ("2023.5", False),
                                       ("1024", False), ("20230", False)])
def test_is_year(text, year):
    assert is_year(text) is year


def _seed_papers() -> list[tuple[str, str]]:
    """(title, abstract) of every seed paper, read by kg.io."""
    from kg.io import read_papers

    return [(paper.title, paper.abstract) for path in sorted(SEEDS.glob("*.txt"))
            for paper in read_papers(path, "daily")]


def test_seeds_smoke(nlp):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not there")
    papers = _seed_papers()
    assert len(papers) == 87
    with_proposal, results = 0, 0
    for title, abstract in papers:
        proposals = 0
        for field, text in (("title", title), ("abstract", abstract)):
            doc = nlp.make_doc(text)
            doc._.kg_field = field
            doc = nlp(doc)
            proposals += len(doc.spans[PROPOSED_KEY])
            results += len(doc._.kg_results)
            for result in doc._.kg_results:
                assert math.isfinite(result.value) and 0 <= result.start_char < result.end_char
                assert all(isinstance(s, Span) and s.doc is doc
                           for s in (result.metric, result.dataset, result.method) if s)
            for span in doc.spans[CANDIDATES_KEY]:
                if span._.kg_source == "candidates":
                    assert 0.4 <= span._.kg_confidence <= 0.7
        with_proposal += proposals > 0
    assert with_proposal >= len(papers) // 2
    assert results >= 50
