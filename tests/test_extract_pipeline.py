"""Tests of the extraction pipeline and the doc -> records conversion (kg.extract)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ModelError
from kg.extract import extract, extract_paper, load_pipeline
from kg.records import Paper

ROOT = Path(__file__).resolve().parents[1]
OWN_CONFIG = ROOT / "tests" / "data" / "extract" / "pipeline_own.cfg"
SEEDS = ROOT.parent / "shared" / "seeds"

TITLE = "ResNet-50 on ImageNet"
ABSTRACT = (
    "Large language models (LLMs) reach 80% top-1 accuracy on ImageNet-1K with mAP gains. "
    "Code: https://github.com/a/ResNet-50."
)


@pytest.fixture(scope="module")
def rules():
    return load_pipeline(OWN_CONFIG, model=None)


def test_pipeline_order(rules) -> None:
    assert rules.pipe_names == ["sentencizer", "kg_urls", "kg_abbreviations", "kg_terms"]
    assert load_pipeline(OWN_CONFIG, model=None) is rules


def test_extract_paper_records(rules) -> None:
    paper = Paper(id="x:1", title=TITLE, abstract=ABSTRACT)
    found = extract_paper(paper, rules)
    assert found.paper is paper
    spans = [(m.label, m.evidence.field, m.text, m.canonical, m.confidence) for m in found.mentions]
    assert spans == [
        ("Method", "title", "ResNet-50", "ResNet-50", 0.9),
        ("Dataset", "title", "ImageNet", "ImageNet", 0.9),
        ("Method", "abstract", "Large language models", "large language model", 0.9),
        ("Method", "abstract", "LLMs", "large language model", 0.9),
        ("Metric", "abstract", "top-1 accuracy", "top-1 accuracy", 0.9),
        ("Dataset", "abstract", "ImageNet-1K", "ImageNet", 0.9),
        ("Metric", "abstract", "mAP", "mAP", 0.7),
    ]
    for mention in found.mentions:
        evidence = mention.evidence
        assert paper.text(evidence.field)[evidence.start:evidence.end] == evidence.text
        assert evidence.sentence[evidence.start - evidence.sentence_start:][:len(evidence.text)] == evidence.text
        assert evidence.source == "gazetteer"
    [link] = found.links
    assert (link.url, link.repository, link.evidence.text) == (
        "https://github.com/a/ResNet-50", True, "https://github.com/a/ResNet-50")
    [abbreviation] = found.abbreviations
    assert (abbreviation.short, abbreviation.long) == ("LLMs", "Large language models")
    assert abbreviation.evidence.text == "Large language models (LLMs)"
    assert found.results == ()


def test_extract_streams_in_order_with_progress(rules) -> None:
    papers = [Paper(id=f"x:{i}", title=f"Paper {i} on CIFAR-10", abstract="We use BERT.") for i in range(7)]
    seen: list[int] = []
    results = extract(iter(papers), nlp=rules, batch_size=3, progress=seen.append)
    first = next(results)
    assert first.paper.id == "x:0" and seen == [1]
    rest = list(results)
    assert [r.paper.id for r in [first, *rest]] == [p.id for p in papers]
    assert all([m.text for m in r.mentions] == ["CIFAR-10", "BERT"] for r in rest)
    assert sum(seen) == 7


def test_missing_model_and_config_raise_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no-such-model"):
        load_pipeline(OWN_CONFIG, model=tmp_path / "no-such-model")
    with pytest.raises(ModelError, match="missing.cfg"):
        load_pipeline(tmp_path / "missing.cfg", model=None)


def test_trained_model_is_sourced_before_terms() -> None:
    model = ROOT / "kg" / "models" / "kg_ner"
    if not (model / "meta.json").is_file():
        pytest.skip("no trained NER shipped yet")
    nlp = load_pipeline(OWN_CONFIG, model=model)
    # the sourced NER holds the weights (disabled); kg_ner decodes it, right before kg_terms
    assert "ner" in nlp.component_names and "ner" not in nlp.pipe_names
    assert nlp.pipe_names.index("kg_ner") == nlp.pipe_names.index("kg_terms") - 1
    found = extract_paper(Paper(id="x:1", title=TITLE, abstract=ABSTRACT), nlp)
    assert all(m.label in ("Method", "Dataset", "Metric", "Task") for m in found.mentions)
    assert not any("github.com" in m.text for m in found.mentions)


def seed_papers() -> list[Paper]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not available")
    from kg.io import read_papers

    return [paper for path in sorted(SEEDS.glob("*.txt")) for paper in read_papers(path)]


def test_all_seed_papers_extract(rules) -> None:
    papers = seed_papers()
    found = list(extract(papers, nlp=rules))
    assert len(found) == len(papers) == 87
    assert sum(len(f.links) for f in found) >= 22
    for record in found:
        for mention in record.mentions:
            evidence = mention.evidence
            assert record.paper.text(evidence.field)[evidence.start:evidence.end] == evidence.text


@pytest.mark.parametrize(("ner_label", "expected"), [("METHOD", "Task"), ("TASK", "Task")])
def test_an_ner_entity_does_not_take_the_attributes_of_a_rule_span_at_its_offsets(
        ner_label: str, expected: str) -> None:
    """spaCy keys span attributes by offsets: an entity where the gazetteer found a Task must
    not become a gazetteer-sourced Method with the gazetteer's canonical name."""
    import spacy
    from spacy.tokens import Span

    from kg.extract.extensions import TERMS_KEY, register_extensions
    from kg.extract.mentions import AGREEMENT_BONUS, resolve_spans

    register_extensions()
    doc = spacy.blank("en")("We study image classification here .")
    doc.ents = [Span(doc, 2, 4, label=ner_label)]
    term = Span(doc, 2, 4, label="TASK")
    term._.kg_canonical, term._.kg_source, term._.kg_confidence = "image classification", "gazetteer", 0.8
    doc.spans[TERMS_KEY] = [term]
    [mention] = resolve_spans(doc)
    assert (mention.label, mention.canonical, mention.evidence.source) == (expected, "image classification", "gazetteer")
    agreeing = ner_label == "TASK"  # the NER and the gazetteer agree only when their labels do
    assert mention.confidence == pytest.approx(0.8 + AGREEMENT_BONUS if agreeing else 0.8)


def test_a_name_that_ends_a_sentence_leaves_its_period_behind() -> None:
    paper = Paper(id="x:3", title="t", abstract="Our model reaches 52.1 mIoU on ADE20K. It gets 88.0% "
                                                "top-1 accuracy on ImageNet-1K. In the U.S. it is used.")
    found = extract_paper(paper)
    texts = {m.text for m in found.mentions}
    assert {"mIoU", "ADE20K", "ImageNet-1K"} <= texts and not any(t.endswith(".") for t in texts)
    assert [(r.value, r.dataset) for r in found.results] == [(52.1, "ADE20K"), (88.0, "ImageNet-1K")]


@pytest.mark.parametrize(("title", "readable"), [
    ("TEMPORAL ENSEMBLING FOR SEMI-SUPERVISED LEARNING", "Temporal Ensembling for Semi-Supervised Learning"),
    ("FINDING REMO (RELATED MEMORY OBJECT): A SIMPLE ARCHITECTURE",
     "Finding Remo (Related Memory Object): A Simple Architecture"),
    ("ResNet-50 on ImageNet", None),
    ("BERT", None),
])
def test_titles_in_capitals_are_read_in_title_case(title: str, readable: str | None) -> None:
    from kg.extract.casing import recased

    assert recased(title) == readable
    if readable is not None:
        assert len(readable) == len(title)


def test_a_title_in_capitals_keeps_its_offsets_and_written_evidence() -> None:
    title = "TEMPORAL ENSEMBLING FOR SEMI-SUPERVISED LEARNING"
    found = extract_paper(Paper(id="t:caps", title=title, abstract="We evaluate it on CIFAR-10."))
    in_title = [m for m in found.mentions if m.evidence.field == "title"]
    assert {m.text for m in in_title} >= {"TEMPORAL ENSEMBLING", "SEMI-SUPERVISED LEARNING"}
    assert all(title[m.evidence.start:m.evidence.end] == m.text for m in in_title)
