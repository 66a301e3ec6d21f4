"""Results tied to a paper's entities: the method of a result without one, dataset names,
metric entities made for results, one number on two datasets.

Every paper here is written for the test.
"""
from __future__ import annotations

import pytest

from graph_fixtures import evidence, mention
from kg.normalize.names import entity_id, name_key
from kg.normalize.results import dataset_and_setting, main_proposed, normalize_results, title_method
from kg.records import EntityRef, Paper, ResultMention

PAPER = Paper(
    id="test:grid",
    title="GridAttention for Visual Question Answering",
    abstract="GridAttention reaches 42.2% AP on MS COCO. The model obtains 30.2 on PTB with "
             "word-level perplexities. It cuts the error rate by 30% on both datasets.",
)


def entity(name: str, entity_type: str, *written: str, role: str | None = None,
           nth: int = 0) -> EntityRef:
    """An entity of PAPER mentioned where each of ``written`` (default: its name) occurs."""
    mentions = tuple(mention(PAPER, text, entity_type, role=role, nth=nth)
                     for text in (written or (name,)))
    return EntityRef(entity_id(entity_type, name), entity_type, name, (), (name_key(name),), role,
                     0.9, mentions)


def result(number: str, value: float, unit: str | None, *, metric: str | None,
           dataset: str | None, method: str | None = None) -> ResultMention:
    return ResultMention(value, unit, metric, dataset, method, evidence(PAPER, number, "results"),
                         0.9)


@pytest.mark.parametrize("written,expected", [
    ("COCO test-dev", ("COCO", "test-dev")),
    ("MOT17 test set", ("MOT17", "test")),
    ("CTB 5.1 test sets", ("CTB 5.1", "test")),
    ("WMT 15 task English-German", ("WMT 15", None)),
    ("WMT'14 English-French task", ("WMT'14 English-French", None)),
    ("PTB § 23", ("PTB", None)),
    ("ICDAR 2015 dataset", ("ICDAR 2015", None)),
    ("Penn Treebank", ("Penn Treebank", None)),
    (None, (None, None)),
])
def test_a_dataset_name_without_its_kind_word_split_or_section(written, expected):
    assert dataset_and_setting(written) == expected


def test_the_main_proposed_method_is_the_one_mentioned_most_then_the_title_one():
    often = entity("GridNet", "Method", "GridAttention", "GridAttention", role="proposed")
    titled = entity("GridAttention", "Method", role="proposed")  # the title mention
    assert main_proposed([titled, often]) == often.id
    once = entity("GridNet", "Method", "The model", role="proposed")
    assert main_proposed([once, titled]) == titled.id
    assert main_proposed([entity("MS COCO", "Dataset")]) is None
    # a coined name before a component described in words, however often that is written
    scheme = entity("grid scheme", "Method", "datasets", "error rate", role="proposed")
    assert main_proposed([scheme, titled]) == titled.id


def test_the_title_names_the_method_when_none_is_proposed():
    task = entity("GridAttention", "Task")
    made = title_method([task, entity("Visual Question Answering", "Task")])
    assert (made.id, made.type, made.role) == ("method/gridattention", "Method", "proposed")
    assert title_method([entity("Visual Question Answering", "Task")]) is None
    assert title_method([entity("GridAttention", "Task", nth=1)]) is None  # not the title's


def test_results_without_a_method_belong_to_the_title_method_and_metrics_keep_the_written_form():
    results, made = normalize_results(PAPER.id, (
        result("42.2%", 42.2, "%", metric="AP", dataset="MS COCO"),
        result("30.2", 30.2, None, metric="word-level perplexities", dataset="PTB"),
    ), [entity("GridAttention", "Task")], {})
    by_id = {e.id: e for e in made}
    assert {r.method for r in results} == {"method/gridattention"}
    box_ap = by_id[results[0].metric]
    # "AP" on COCO is box AP: the written "AP" is where it was read, not one of its names
    assert (box_ap.name, box_ap.aliases, [m.text for m in box_ap.mentions]) == ("box AP", (), ["AP"])
    perplexity = by_id[results[1].metric]
    assert perplexity.name == "perplexity"
    assert set(perplexity.aliases) == {"word-level perplexities", "word-level perplexity"}
    assert [by_id[r.dataset].name for r in results] == ["MS COCO", "PTB"]


def test_a_number_on_both_datasets_is_two_results():
    both = [result("30%", 30.0, "%", metric="error rate", dataset=name, method="GridAttention")
            for name in ("LFW", "YTF")]
    results, _ = normalize_results(PAPER.id, tuple(both), [], {})
    assert len({r.id for r in results}) == 2
    assert len({r.dataset for r in results}) == 2
