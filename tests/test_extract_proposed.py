"""Tests of kg_proposed: the method a paper proposes and the dataset it introduces."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from extract_support import run_components
from kg.extract.extensions import CANDIDATES_KEY, PROPOSED_KEY, TERMS_KEY
from kg.extract.proposed import head_label, title_name


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    for name in ("sentencizer", "kg_candidates", "kg_proposed"):
        nlp.add_pipe(name)
    return nlp


def proposed(doc: Doc) -> list[tuple[str, str, str]]:
    return [(s.text, s.label_, s._.kg_role) for s in doc.spans[PROPOSED_KEY]]


@pytest.mark.parametrize("text,expected", [
    ("To automate this, we propose a novel framework for discrete prompt optimization, called "
     "EvoPrompt, which borrows the idea of evolutionary algorithms.",
     [("EvoPrompt", "METHOD", "proposed")]),
    ("We present CLIP-NeRF, a multi-modal 3D object manipulation method.",
     [("CLIP-NeRF", "METHOD", "proposed")]),
    ("Inspired by this, we propose Continual Parameter-Efficient Tuning (ConPET), a "
     "generalizable paradigm.", [("ConPET", "METHOD", "proposed")]),
    ("In this paper, we further introduce MgNO, utilizing multigrid structures.",
     [("MgNO", "METHOD", "proposed")]),
    ("We propose a model retrieval scheme, named Know2Vec, that acts as a proxy.",
     [("Know2Vec", "METHOD", "proposed")]),
    ("We present Mamba, a new architecture for sequences.", [("Mamba", "METHOD", "proposed")]),
    ("We propose a differentiable neural architecture search (DNAS) framework that uses "
     "gradients.", [("DNAS", "METHOD", "proposed")]),
    ("This paper introduces GraphCast, a learned weather simulator.",
     [("GraphCast", "METHOD", "proposed")]),
    ("Experiments show that our Know2Vec achieves superior accuracy.",
     [("Know2Vec", "METHOD", "proposed")]),
    ("Our method HyperNet-X is simple.", [("HyperNet-X", "METHOD", "proposed")]),
    ("WaveGlow, a new flow-based network, synthesizes speech.",
     [("WaveGlow", "METHOD", "proposed")]),
    ("We release SciBench, a benchmark of 700 college-level problems.",
     [("SciBench", "DATASET", "introduced")]),
    ("We introduce a new dataset, WildChat, of 1M conversations.",
     [("WildChat", "DATASET", "introduced")]),
    ("We collect a large corpus called OpenWebMath from the web.",
     [("OpenWebMath", "DATASET", "introduced")]),
    ("Finally, we create the ML77 benchmark, covering 77 languages.",
     [("ML77", "DATASET", "introduced")]),
    # what the apposition after a defined name says it is; "in this paper" before the name
    ("We introduce Probably Asked Questions (PAQ), a very large resource of 65M QA-pairs.",
     [("PAQ", "DATASET", "introduced")]),
    ("We propose in this paper Periodic Interaction Primitives -a probabilistic framework.",
     [("Periodic Interaction Primitives", "METHOD", "proposed")]),
    # the parts a colon lists after "N methods/components"
    ("We herein present two novel methods for calibrated intervals: empirical calibration and "
     "temperature scaling.", [("empirical calibration", "METHOD", "proposed"),
                              ("temperature scaling", "METHOD", "proposed")]),
    ("We propose AnsNet with three components: answer pointer, no-answer pointer, and answer verifier.",
     [("AnsNet", "METHOD", "proposed"), ("answer pointer", "METHOD", "proposed"),
      ("no-answer pointer", "METHOD", "proposed"), ("answer verifier", "METHOD", "proposed")]),
    ("We propose two changes: (1) dynamic quantization, a form of optimization, and (2) a stable "
     "embedding layer to reduce variance.", [("dynamic quantization", "METHOD", "proposed"),
                                             ("stable embedding layer", "METHOD", "proposed")]),
])
def test_proposed_names_in_abstracts(nlp, text, expected):
    assert proposed(run_components(nlp, text)) == expected


@pytest.mark.parametrize("text", [
    "Instead, we propose to implicitly represent a concept in this space.",
    "We propose a concise neural operator architecture for operator learning.",
    "We introduce a disentangled conditional NeRF architecture that allows control.",
    "We propose a unified framework that allows manipulating NeRF.",
    "BERT, a pre-trained language model, is widely used.",
    "We provide our PyTorch implementation.",
    "It was proposed by Smith et al. in 2020.",
    "We propose a method: it is fast and it is small.",
    "We compare two baselines: BERT and GPT.",
])
def test_no_name_no_span(nlp, text):
    assert proposed(run_components(nlp, text)) == []


@pytest.mark.parametrize("title,expected", [
    ("EvoPrompt: Connecting LLMs with Evolutionary Algorithms",
     [("EvoPrompt", "METHOD", "proposed")]),
    ("CLIP-NeRF: Text-and-Image Driven Manipulation of Neural Radiance Fields",
     [("CLIP-NeRF", "METHOD", "proposed")]),
    ("SciBench: A Benchmark for College-Level Scientific Problem Solving",
     [("SciBench", "DATASET", "introduced")]),
    ("MMLU-Pro: A More Robust Multi-Task Language Understanding Benchmark",
     [("MMLU-Pro", "DATASET", "introduced")]),
    ("Visual Genome: Connecting Language and Vision", [("Visual Genome", "METHOD", "proposed")]),
    ("DendroMap: Visual Exploration of Large-Scale Image Datasets",
     [("DendroMap", "METHOD", "proposed")]),
    ("Deep Learning: A Survey", []),
    ("A Survey: Deep Models", []),
    ("Connecting the Dots: LLMs can Infer Latent Structure", []),
    ("Large Language Models: Ten Lessons", []),
    ("A Neural Space-Time Representation for Text-to-Image Personalization", []),
    # a title that names its technique by its first words, without "X:"
    ("Mode Seeking Generative Adversarial Networks for Diverse Image Synthesis",
     [("Mode Seeking Generative Adversarial Networks", "METHOD", "proposed")]),
    ("Asymmetric Tri-training for Unsupervised Domain Adaptation",
     [("Asymmetric Tri-training", "METHOD", "proposed")]),
    ("Spatial Transformer Networks", [("Spatial Transformer Networks", "METHOD", "proposed")]),
    ("Improving Neural Machine Translation Models with Monolingual Data", []),
    ("Deep Residual Learning for Image Recognition", []),
    ("On Gradient Regularizers for MMD GANs", []),
    ("arXiv:2103.00020", []),
])
def test_title_names(nlp, title, expected):
    assert proposed(run_components(nlp, title, field="title")) == expected


def test_title_rule_only_applies_to_titles(nlp):
    assert proposed(run_components(nlp, "Visual Genome: Connecting Language and Vision")) == []


def test_title_name_helper():
    doc = spacy.blank("en")("SciBench: A Benchmark for Problem Solving")
    assert title_name(doc) == (0, 1, "DATASET", True)


@pytest.mark.parametrize("words,label", [
    (["a", "large", "benchmark", "of", "models"], "DATASET"),
    (["a", "simple", "model", "for", "datasets"], "METHOD"),
    (["a", "simple", "idea"], "METHOD"),
])
def test_head_label(words, label):
    assert head_label(words) == label


def test_role_reaches_spans_at_the_same_place(nlp):
    doc = run_components(nlp, "We present EvoPrompt, a new method. EvoPrompt is fast.",
              terms=(("EvoPrompt", "METHOD"),))
    gazetteer = doc.spans[TERMS_KEY][0]
    gazetteer._.kg_source = "gazetteer"
    assert gazetteer._.kg_role == "proposed"
    [span] = doc.spans[PROPOSED_KEY]
    assert (span.start, span.end, span._.kg_confidence) == (2, 3, 0.85)


def test_proposed_span_keeps_gazetteer_source_and_sets_candidate_roles(nlp):
    doc = nlp.make_doc("We propose ImageNet-X today. Then ImageNet-X wins.")
    doc.spans[TERMS_KEY] = [doc.char_span(11, 21, label="DATASET")]
    doc.spans[TERMS_KEY][0]._.kg_source = "gazetteer"
    for _, component in nlp.pipeline:
        doc = component(doc)
    [span] = doc.spans[PROPOSED_KEY]
    assert (span.text, span._.kg_source, span._.kg_role) == ("ImageNet-X", "gazetteer", "proposed")
    later = [s for s in doc.spans[CANDIDATES_KEY] if s.start > span.start]
    assert [(s.text, s._.kg_role) for s in later] == [("ImageNet-X", None)]


def test_proposed_confidences_are_in_range(nlp):
    doc = run_components(nlp, "We present Mamba, a new architecture. Our method Mamba-2 is fast.")
    assert [s._.kg_confidence for s in doc.spans[PROPOSED_KEY]] == [0.85, 0.7]
    assert all(s._.kg_source == "proposed" for s in doc.spans[PROPOSED_KEY])
