"""Normalisation: names, acronyms, plurals, generic heads, roles and results per paper."""
from __future__ import annotations

import pytest

from graph_fixtures import PAPER_A, PAPER_C, evidence, mention, small_records
from kg.normalize import normalize
from kg.normalize.names import display_name, entity_id, is_acronym, is_generic, name_key, slugify
from kg.records import Abbreviation, Mention, PaperMentions, ResultMention


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CIFAR-10", "CIFAR10"),
        ("large language models", "Large Language Model"),
        ("PC-DARTS", "PC DARTS"),
        ("LLMs", "LLM"),
        ("GANs", "GAN"),
        ("top-1 accuracy", "Top-1 Accuracy"),
        ("strategies", "strategy"),
        ("the ImageNet dataset.", "ImageNet dataset"),
        ("MMLU dataset", "MMLU"),
        ("EfficientNet architecture", "EfficientNet"),
        ("ConvNeXts", "ConvNeXt"),
        ("FBNets", "FBNet"),
    ],
)
def test_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("AudioCaps", "AudioSet"), ("ViT-B/16", "ViT-B/32"), ("corpus", "corpu"), ("GPT-3.5", "GPT-3"),
     ("Large Language Model", "Large Language")],
)
def test_distinct_names_keep_distinct_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("our proposed method", True),
        ("the framework", True),
        ("existing datasets", True),
        ("a novel approach", True),
        ("models", True),
        ("2023", True),
        ("EvoPrompt", False),
        ("ImageNet", False),
        ("accuracy", False),
        ("graph neural network", False),
        # parts every model has, affiliations, hardware, what a model computes
        ("the discriminator", True),
        ("neural encoder network", True),
        ("encoder-decoder", False),
        ("TheUniversityofEdinburgh", True),
        ("Tesla K40c GPU", True),
        ("latent representations", True),
        ("universal sentence representations", False),
        ("semi-supervised settings", True),
        ("regularization method", True),
        ("pooling layer", True),
        ("activation functions", True),
        ("stable embedding layer", False),
        ("online triplet mining method", False),
        ("Korean NLP research", True),
    ],
)
def test_generic_heads_are_never_entities(text: str, generic: bool) -> None:
    assert is_generic(text) is generic


@pytest.mark.parametrize(
    ("text", "expected"),
    [("LLMs", True), ("OOCR", True), ("mAP", True), ("BERT", True), ("EvoPrompt", False),
     ("a", False), ("Transformer", False), ("large language model", False)],
)
def test_is_acronym(text: str, expected: bool) -> None:
    assert is_acronym(text) is expected


def test_display_name_strips_acronym_and_determiner() -> None:
    assert display_name("the evolutionary algorithms (EAs)") == "evolutionary algorithm"


@pytest.mark.parametrize("name", ['a"b', "x" * 500, "Ünïcödé 数据", "<script>", "a/b c"])
def test_ids_are_iri_safe_and_stable(name: str) -> None:
    entity = entity_id("Method", name)
    assert entity == entity_id("Method", name)
    slug = entity.split("/", 1)[1]
    assert slug and len(slug) <= 80
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert slugify(name) != slugify(name + "x")


def test_acronym_and_long_form_become_one_entity() -> None:
    record = normalize(small_records()[2])
    methods = [e for e in record.entities if e.type == "Method"]
    assert len(methods) == 1
    assert methods[0].name == "Large language model"
    assert "LLM" in methods[0].aliases
    assert len(methods[0].mentions) == 2


def test_roles_from_mentions() -> None:
    records = [normalize(pm) for pm in small_records()]
    roles = {(r.paper.id, e.name): e.role for r in records for e in r.entities}
    assert roles[(PAPER_A.id, "SparseMixFormer")] == "proposed"
    assert roles[(PAPER_A.id, "ResNet-50")] == "used"
    assert roles[(PAPER_C.id, "AudioCapsQA")] == "introduced"
    assert roles[(PAPER_C.id, "accuracy")] is None


def test_an_undefined_acronym_of_the_title_name_is_that_name() -> None:
    from kg.records import Paper

    paper = Paper(id="t:acr", title="Squeezed Very Deep Convolutional Neural Networks for Text Classification",
                  abstract="We shrink the network. The squeezed model (SVDCNN) is 10x smaller than DCNN.")
    pm = PaperMentions(paper, mentions=(
        mention(paper, "Squeezed Very Deep Convolutional Neural Networks", "Method", role="proposed", source="proposed"),
        mention(paper, "SVDCNN", "Method", source="ner"),
        mention(paper, "DCNN", "Method", source="ner"),
    ))
    methods = {e.name: e for e in normalize(pm, min_confidence=0.0).entities}
    assert methods["SVDCNN"].role == "proposed"  # the coined acronym names the proposed method
    assert "Squeezed Very Deep Convolutional Neural Networks" in methods["SVDCNN"].aliases
    assert methods["DCNN"].role == "used"  # initials of part of the name only


def test_generic_mentions_are_dropped() -> None:
    paper = PAPER_A
    pm = PaperMentions(paper, mentions=(
        mention(paper, "SparseMixFormer", "Method"),
        Mention("Method", evidence(paper, "a sparse token mixer"), 0.6),
        Mention("Method", evidence(paper, "Code"), 0.3),
    ))
    names = [e.name for e in normalize(pm).entities]
    assert "SparseMixFormer" in names
    assert "Code" not in names


def test_tasks_cut_after_a_participle_and_circumstances_are_dropped() -> None:
    from kg.records import Paper

    paper = Paper(id="t:cut", title="", abstract="It is weakly-supervised and works in the semi-supervised "
                                                 "setting for image classification.")
    pm = PaperMentions(paper, mentions=tuple(
        Mention("Task", evidence(paper, text), 0.7)
        for text in ("weakly-supervised", "semi-supervised setting", "image classification")))
    names = {e.name for e in normalize(pm, min_confidence=0.0).entities}
    assert names == {"image classification"}


def test_results_tie_to_entity_ids_and_fall_back_to_the_proposed_method() -> None:
    record = normalize(small_records()[0])
    by_value = {r.value: r for r in record.results}
    top1 = by_value[84.1]
    assert (top1.method, top1.dataset, top1.metric, top1.unit) == (
        "method/sparsemixformer", "dataset/imagenet", "metric/top-1-accuracy", "%")
    implicit = by_value[48.2]
    assert implicit.method == "method/sparsemixformer"
    assert implicit.confidence < top1.confidence


def test_result_names_no_entity_holds_become_entities() -> None:
    paper = PAPER_A
    pm = PaperMentions(paper, results=(
        ResultMention(48.2, None, "mAP", "PASCAL VOC", None, evidence(paper, "48.2", "results"),
                      0.8),))
    record = normalize(pm)
    assert {e.id for e in record.entities} == {"metric/map", "dataset/pascal-voc"}
    assert record.results[0].metric == "metric/map"


def test_repositories_and_urls() -> None:
    record = normalize(small_records()[0])
    assert [r.url for r in record.repositories] == ["https://github.com/vision-lab/sparsemixformer"]
    assert normalize(small_records()[2]).urls == ("https://audiocapsqa.github.io/",)


def test_abbreviation_defined_later_still_groups() -> None:
    paper = PAPER_C
    pm = PaperMentions(
        paper,
        mentions=(mention(paper, "LLMs", "Method", source="ner", confidence=0.6),
                  mention(paper, "Large language models", "Method", source="ner")),
        abbreviations=(Abbreviation("LLMs", "Large language models",
                                    evidence(paper, "Large language models (LLMs)")),),
    )
    entities = normalize(pm).entities
    assert len(entities) == 1 and entities[0].id == "method/large-language-model"


@pytest.mark.parametrize(
    ("text", "ok"),
    [("closed-", False), ("capabilities of", False), ("of LLMs", False), ("(a", False),
     ("2.5", False), ("ResNet-50", True), ("large language models (LLMs)", True),
     ("question answering", True)],
)
def test_malformed_fragments_are_rejected(text: str, ok: bool) -> None:
    from kg.normalize.names import is_well_formed

    assert is_well_formed(text) is ok


def test_paper_definition_beats_gazetteer_canonical_names() -> None:
    paper = PAPER_C
    pm = PaperMentions(
        paper,
        mentions=(mention(paper, "Large language models", "Method", canonical="Large Language Model"),
                  mention(paper, "LLMs", "Method", canonical="LLM")),
        abbreviations=(Abbreviation("LLMs", "Large language models",
                                    evidence(paper, "Large language models (LLMs)")),),
    )
    entities = normalize(pm).entities
    assert [e.id for e in entities] == ["method/large-language-model"]
    assert "LLM" in entities[0].aliases
