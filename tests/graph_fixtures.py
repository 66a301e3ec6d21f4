"""Hand-written papers and the graphs built from them, shared by the exporter tests.

The mentions are written by hand (not extracted), so exporter tests do not depend on the
extraction layer: ``small_graph()`` is a realistic little corpus, ``hostile_graph()`` has
names and titles that try to break every output format.
"""
from __future__ import annotations

import re

import networkx as nx

from kg.graph import build_graph
from kg.normalize import normalize
from kg.records import Abbreviation, Evidence, Link, Mention, Paper, PaperMentions, ResultMention


def evidence(paper: Paper, text: str, source: str = "gazetteer", nth: int = 0) -> Evidence:
    """Evidence for the ``nth`` occurrence of ``text`` in the title, else in the abstract."""
    found = [(field, m.start()) for field in ("title", "abstract")
             for m in re.finditer(re.escape(text), paper.text(field))]
    if len(found) <= nth:
        raise ValueError(f"{text!r} is not in paper {paper.id}")
    field, start = found[nth]
    body = paper.text(field)
    sentence_start = body.rfind(". ", 0, start) + 2 if body.rfind(". ", 0, start) >= 0 else 0
    sentence_end = body.find(". ", start)
    sentence_end = len(body) if sentence_end < 0 else sentence_end + 1
    return Evidence(text, field, start, start + len(text),
                    body[sentence_start:sentence_end], sentence_start, source)


def mention(paper: Paper, text: str, label: str, *, role: str | None = None,
            canonical: str | None = None, source: str = "gazetteer",
            confidence: float = 0.9, nth: int = 0) -> Mention:
    return Mention(label, evidence(paper, text, source, nth), confidence, canonical, role)


def result(paper: Paper, number: str, value: float, unit: str | None, *, metric: str | None,
           dataset: str | None, method: str | None = None) -> ResultMention:
    return ResultMention(value, unit, metric, dataset, method,
                         evidence(paper, number, "results"), 0.8)


def link(paper: Paper, written: str, url: str, repository: bool = True) -> Link:
    return Link(url, repository, evidence(paper, written, "urls"))


PAPER_A = Paper(
    id="arxiv:2401.00001",
    title="SparseMixFormer: Efficient Vision Transformers with Sparse Token Mixing",
    abstract=(
        "Vision Transformers (ViTs) are strong but slow. We propose SparseMixFormer, a sparse "
        "token mixer for image classification. SparseMixFormer achieves 84.1% top-1 accuracy on "
        "ImageNet and 48.2 mAP on COCO, outperforming ResNet-50. "
        "Code is available at https://github.com/vision-lab/sparsemixformer."
    ),
    authors=("Ana Pérez", "Li Wei"),
    year=2024,
    arxiv_id="2401.00001",
    url="https://arxiv.org/abs/2401.00001",
    source="jsonl",
    source_file="papers.jsonl",
    source_line=1,
)
PAPER_B = Paper(
    id="doi:10.1000/kg.2",
    title="Revisiting ResNet-50 Baselines for Image Classification",
    abstract=(
        "We revisit ResNet-50 with modern training recipes. On ImageNet our recipe reaches 80.4% "
        "top-1 accuracy, and ViT results improve as well. We also evaluate on CIFAR-10. "
        "Our code: https://gitlab.com/recipes/resnet-revisited."
    ),
    authors=("Kofi Mensah",),
    year=2023,
    doi="10.1000/kg.2",
    source="jsonl",
    source_file="papers.jsonl",
    source_line=2,
)
PAPER_C = Paper(
    id="title:0c1d2e3f4a5b6c7d",
    title="AudioCapsQA: A Benchmark for Audio Question Answering",
    abstract=(
        "We introduce AudioCapsQA, a benchmark for question answering over sound built from "
        "AudioCaps. Large language models (LLMs) with audio encoders reach 61.5% accuracy. "
        "We also test on ImageNet-style transfer. See https://audiocapsqa.github.io/."
    ),
    year=2025,
    source="csv",
    source_file="more.csv",
    source_line=3,
)


def small_records():
    """The PaperMentions of the three fixture papers, written by hand."""
    a, b, c = PAPER_A, PAPER_B, PAPER_C
    return [
        PaperMentions(
            paper=a,
            mentions=(
                mention(a, "SparseMixFormer", "Method", role="proposed", source="proposed"),
                mention(a, "SparseMixFormer", "Method", source="candidates", confidence=0.6, nth=1),
                mention(a, "Vision Transformers", "Method", source="ner", confidence=0.8, nth=1),
                mention(a, "ViTs", "Method", source="ner", confidence=0.7),
                mention(a, "image classification", "Task", canonical="Image Classification"),
                mention(a, "top-1 accuracy", "Metric", canonical="Top-1 Accuracy"),
                mention(a, "ImageNet", "Dataset", canonical="ImageNet"),
                mention(a, "mAP", "Metric", canonical="mAP"),
                mention(a, "COCO", "Dataset", canonical="COCO"),
                mention(a, "ResNet-50", "Method", canonical="ResNet-50"),
            ),
            abbreviations=(Abbreviation("ViTs", "Vision Transformers", evidence(a, "Vision Transformers (ViTs)", "abbreviations")),),
            links=(link(a, "https://github.com/vision-lab/sparsemixformer",
                        "https://github.com/vision-lab/sparsemixformer"),),
            results=(
                result(a, "84.1%", 84.1, "%", metric="top-1 accuracy", dataset="ImageNet",
                       method="SparseMixFormer"),
                result(a, "48.2", 48.2, None, metric="mAP", dataset="COCO"),
            ),
        ),
        PaperMentions(
            paper=b,
            mentions=(
                mention(b, "ResNet-50", "Method", canonical="ResNet-50"),
                mention(b, "ResNet-50", "Method", canonical="ResNet-50", nth=1),
                mention(b, "Image Classification", "Task", canonical="Image Classification"),
                mention(b, "ImageNet", "Dataset", canonical="ImageNet"),
                mention(b, "top-1 accuracy", "Metric", canonical="Top-1 Accuracy"),
                mention(b, "ViT", "Method", source="ner", confidence=0.7),
                mention(b, "CIFAR-10", "Dataset", canonical="CIFAR-10"),
            ),
            links=(link(b, "https://gitlab.com/recipes/resnet-revisited",
                        "https://gitlab.com/recipes/resnet-revisited"),),
            results=(result(b, "80.4%", 80.4, "%", metric="top-1 accuracy", dataset="ImageNet",
                            method="ResNet-50"),),
        ),
        PaperMentions(
            paper=c,
            mentions=(
                mention(c, "AudioCapsQA", "Dataset", role="introduced", source="proposed"),
                mention(c, "AudioCapsQA", "Dataset", role="introduced", source="proposed", nth=1),
                mention(c, "Audio Question Answering", "Task", source="gazetteer"),
                mention(c, "question answering", "Task", canonical="Question Answering"),
                mention(c, "AudioCaps", "Dataset", canonical="AudioCaps", nth=1),
                mention(c, "Large language models", "Method", source="ner", confidence=0.75),
                mention(c, "LLMs", "Method", source="ner", confidence=0.7),
                mention(c, "accuracy", "Metric", canonical="Accuracy"),
                mention(c, "ImageNet", "Dataset", canonical="ImageNet", confidence=0.5),
            ),
            abbreviations=(Abbreviation("LLMs", "Large language models", evidence(c, "Large language models (LLMs)", "abbreviations")),),
            links=(link(c, "https://audiocapsqa.github.io/", "https://audiocapsqa.github.io/", False),),
            results=(result(c, "61.5%", 61.5, "%", metric="accuracy", dataset="AudioCapsQA",
                            method="LLMs"),),
        ),
    ]


def small_graph() -> nx.MultiDiGraph:
    """Three papers, two shared datasets, a shared baseline, code links and results."""
    return build_graph(normalize(pm) for pm in small_records())


HOSTILE_NAMES = (
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    'Quote " and \'apostrophe\' and `backtick`',
    "Back\\slash and \"\"\" triple quotes",
    "Line\nbreak\r\nand\ttab",
    "Ünïcödé — 数据集 — emoji 🧪",
    "angle <brackets> & ampersand ; semicolon | pipe",
    "x" * 600,
    "ctrl\x01char\x7f",
)


def hostile_graph() -> nx.MultiDiGraph:
    """Papers whose titles and entity names try to break HTML, RDF, CSV and XML writers."""
    records = []
    for index, name in enumerate(HOSTILE_NAMES):
        title = f"{name}: A Method"
        abstract = f"We propose {name} and evaluate it on {name} Dataset with {name} Score."
        paper = Paper(id=f"hostile:{index}", title=title, abstract=abstract,
                      authors=(name,), source="jsonl", source_file="hostile.jsonl",
                      source_line=index + 1)
        records.append(PaperMentions(
            paper=paper,
            mentions=(
                Mention("Method", evidence(paper, name, "proposed"), 0.9, None, "proposed"),
                Mention("Dataset", evidence(paper, f"{name} Dataset", "candidates"), 0.6),
                Mention("Metric", evidence(paper, f"{name} Score", "candidates"), 0.5),
            ),
        ))
    return build_graph(normalize(pm) for pm in records)
