"""Tests for kg.evaluation: corpus readers, label mappings, exact-span scoring, the runner."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.evaluation import format_table, run
from kg.evaluation.corpora import (
    Sentence,
    load,
    read_conll_bio,
    read_dygie,
    read_scirex,
    relabel,
)
from kg.evaluation.labels import (
    KG_LABELS,
    SCIER_TO_KG,
    SCIERC_TO_KG,
    SCIREX_TO_KG,
    TDMSCI_TO_KG,
    map_label,
)
from kg.evaluation.scoring import score
from kg.evaluation.speed import group_sentences

DATA = Path(__file__).parent / "data" / "evaluation"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def sentence(*spans: tuple[int, int, str]) -> Sentence:
    return Sentence("d", ("w",) * 10, spans)


def test_read_dygie_makes_sentence_relative_exclusive_spans() -> None:
    first, second = read_dygie(DATA / "scierc_mini.json")
    assert first.words[3:5] == ("CRF", "tagger")
    assert set(first.spans) == {(3, 5, "Method"), (7, 9, "Material"), (4, 5, "OtherScientificTerm")}
    assert set(second.spans) == {(2, 3, "Metric"), (4, 5, "Task"), (0, 1, "Generic")}
    assert first.doc_id == second.doc_id == "A1"


def test_read_dygie_reads_scier_pure_jsonl() -> None:
    first, second = read_dygie(DATA / "scier_mini.jsonl")
    assert first.spans == ((0, 1, "Method"), (4, 5, "Dataset"))
    assert second.spans == ((0, 2, "Task"),)
    assert second.words[0:2] == ("Question", "answering")


def test_read_conll_bio_joins_i_tags_and_starts_spans_on_orphan_i() -> None:
    first, second = read_conll_bio(DATA / "tdmsci_mini.conll")
    assert first.spans == ((2, 3, "METRIC"), (4, 6, "DATASET"), (7, 9, "TASK"))
    assert second.spans == ((0, 1, "DATASET"), (1, 3, "METRIC"))


def test_read_scirex_splits_document_spans_by_sentence() -> None:
    first, second = read_scirex(DATA / "scirex_mini.jsonl")
    assert first.spans == ((0, 1, "Method"), (3, 4, "Material"))
    assert second.words == ("Top-1", "accuracy", "rises", ".")
    assert second.spans == ((0, 2, "Metric"),)


@pytest.mark.parametrize(
    ("content", "reader"),
    [
        ('{"sentences": [["a"]]}\n', read_dygie),
        ("not json\n", read_dygie),
        ('{"words": ["a"]}\n', read_scirex),
    ],
)
def test_readers_name_file_and_line_on_bad_input(tmp_path: Path, content: str, reader) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n" + content, encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        list(reader(path))


def test_read_conll_bio_rejects_unknown_tags(tmp_path: Path) -> None:
    path = tmp_path / "bad.conll"
    path.write_text("word\t0\tO\nother\t5\tX-TASK\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.conll:2"):
        list(read_conll_bio(path))


@pytest.mark.parametrize(
    ("label", "mapping", "expected"),
    [
        ("Material", SCIERC_TO_KG, "DATASET"),
        ("Method", SCIERC_TO_KG, "METHOD"),
        ("Metric", SCIERC_TO_KG, "METRIC"),
        ("Task", SCIERC_TO_KG, "TASK"),
        ("Generic", SCIERC_TO_KG, None),
        ("OtherScientificTerm", SCIERC_TO_KG, None),
        ("Material", SCIREX_TO_KG, "DATASET"),
        ("Dataset", SCIER_TO_KG, "DATASET"),
        ("METRIC", TDMSCI_TO_KG, "METRIC"),
    ],
)
def test_label_mappings(label: str, mapping, expected: str | None) -> None:
    assert map_label(label, mapping) == expected


def test_every_mapping_targets_kg_labels() -> None:
    for mapping in (SCIERC_TO_KG, SCIREX_TO_KG, SCIER_TO_KG, TDMSCI_TO_KG):
        assert set(mapping.values()) <= set(KG_LABELS)


def test_relabel_drops_unmapped_spans() -> None:
    (first, _) = relabel(read_dygie(DATA / "scierc_mini.json"), SCIERC_TO_KG)
    assert set(first.spans) == {(3, 5, "METHOD"), (7, 9, "DATASET")}


def test_score_exact_spans_per_label_and_micro() -> None:
    gold = [sentence((0, 2, "A"), (3, 4, "B")), sentence((5, 7, "A"))]
    predicted = [sentence((0, 2, "A"), (3, 5, "B")), sentence((5, 7, "B"), (8, 9, "A"))]
    result = score(gold, predicted, ["A", "B"])
    assert (result["A"]["tp"], result["A"]["fp"], result["A"]["fn"]) == (1, 1, 1)
    assert result["A"]["f1"] == 50.0
    assert (result["B"]["tp"], result["B"]["fp"], result["B"]["fn"]) == (0, 2, 1)
    assert result["B"]["f1"] == 0.0
    assert result["micro"]["p"] == 25.0
    assert result["micro"]["r"] == pytest.approx(33.33)
    assert result["micro"]["f1"] == pytest.approx(28.57)


def test_score_ignores_labels_not_asked_for() -> None:
    gold = [sentence((0, 1, "A"))]
    predicted = [sentence((0, 1, "A"), (2, 3, "OTHER"))]
    assert score(gold, predicted, ["A"])["micro"]["p"] == 100.0


def test_score_same_span_in_other_sentence_does_not_match() -> None:
    gold = [sentence((0, 1, "A")), sentence()]
    predicted = [sentence(), sentence((0, 1, "A"))]
    assert score(gold, predicted, ["A"])["micro"]["tp"] == 0


def test_score_rejects_misaligned_inputs() -> None:
    with pytest.raises(ValueError):
        score([sentence()], [], ["A"])


def test_format_table_lists_every_label_and_micro() -> None:
    scores = score([sentence((0, 1, "A"))], [sentence((0, 1, "A"))], ["A", "B"])
    table = format_table({"sets": [{"name": "Mini test", "scores": scores}]})
    rows = table.splitlines()
    assert len(rows) == 4
    assert rows[1].split()[:3] == ["Mini", "test", "A"]
    assert rows[3].split()[2:] == ["micro", "100.0", "100.0", "100.0", "1"]


def test_load_rejects_unknown_split() -> None:
    with pytest.raises(InputError, match="scierc/nope"):
        load(DATA, "scierc", "nope")


@pytest.mark.parametrize(
    ("corpus", "split", "entities"),
    [("scierc", "test", 1685), ("tdmsci", "test", 762), ("scier", "test", 2948)],
)
def test_shared_corpora_entity_counts(corpus: str, split: str, entities: int) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is absent")
    assert sum(len(s.spans) for s in load(SHARED, corpus, split)) == entities


def test_tdmsci_dev_is_held_out_of_train() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is absent")
    train = load(SHARED, "tdmsci", "train")
    dev = load(SHARED, "tdmsci", "dev")
    whole = [s.words for s in read_conll_bio(SHARED / "tdmsci" / "train_1500_v2.conll")]
    assert len(dev) == 150
    assert [s.words for s in train + dev] == whole


def test_run_scores_every_test_set_from_a_data_dir(tmp_path: Path) -> None:
    layout = {
        "scierc/json/test.json": "scierc_mini.json",
        "tdmsci/test_500_v2.conll": "tdmsci_mini.conll",
        "scier/PLM/test.jsonl": "scier_mini.jsonl",
        "scier/PLM/test_ood.jsonl": "scier_mini.jsonl",
    }
    for target, fixture in layout.items():
        (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / target).write_text((DATA / fixture).read_text(encoding="utf-8"))
    model = Path(__file__).resolve().parents[1] / "kg" / "models" / "kg_ner"
    results = run(model, tmp_path, scierc6_model_path=model)
    by_name = {s["name"]: s for s in results["sets"]}
    assert list(by_name) == [
        "SciERC test (6 labels)",
        "SciERC test (4 labels)",
        "TDMSci test",
        "SciER test",
        "SciER test_ood",
        "SciERC test (4 labels), kg extract",
        "TDMSci test, kg extract",
        "SciER test, kg extract",
        "SciER test_ood, kg extract",
    ]
    pipeline = by_name["TDMSci test, kg extract"]
    assert pipeline["model"] == "pipeline"
    assert pipeline["scores"]["micro"]["tp"] + pipeline["scores"]["micro"]["fn"] == 5
    four = by_name["SciERC test (4 labels)"]["scores"]
    assert set(four) == {*KG_LABELS, "micro"}
    assert four["micro"]["tp"] + four["micro"]["fn"] == 4
    tdmsci = by_name["TDMSci test"]["scores"]
    assert tdmsci["micro"]["tp"] + tdmsci["micro"]["fn"] == 5
    assert "METHOD" not in tdmsci
    assert by_name["SciERC test (6 labels)"]["scores"]["micro"]["fn"] + by_name[
        "SciERC test (6 labels)"]["scores"]["micro"]["tp"] == 6


def test_group_sentences_builds_texts_of_at_least_the_word_budget() -> None:
    sentences = [Sentence("d", ("w",) * n, ()) for n in (3, 4, 2, 5, 1)]
    texts = list(group_sentences(sentences, words=6))
    assert [len(t.split()) for t in texts] == [7, 7, 1]
