"""Tests for the bundled sample corpus (kg/sample/papers.jsonl)."""
from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest

from kg.records import Paper
from kg.sample import SAMPLE_PATH

RECORD_KEYS = {"id", "title", "abstract", "authors", "year", "url"}
CODE_URL = re.compile(r"\b(?:github\.com|gitlab\.com|huggingface\.co)/[\w.-]+/[\w.-]+")
NUMBER_WITH_METRIC = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:%|(?:top-1|BLEU|ROUGE(?:-[12L])?|mIoU|mAP|AP|FID|WER|F1|exact match"
    r"|perplexity|dB|SSIM|AUROC|MAE|RMSE|NDCG@\d+|MRR|Hits@\d+|R@\d+|MOTA|IDF1|HOTA|J&F|DSC)\b)"
)
PROPOSAL_TITLE = re.compile(r"^\S+: An? .+ for .+$")


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    lines = SAMPLE_PATH.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    """The set of ``size``-word windows of ``text``, lower-cased."""
    words = text.lower().split()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_sample_path_is_the_packaged_jsonl() -> None:
    assert SAMPLE_PATH.name == "papers.jsonl"
    assert SAMPLE_PATH.parent.name == "sample"
    assert SAMPLE_PATH.is_file()


def test_every_line_is_a_json_object() -> None:
    for number, line in enumerate(SAMPLE_PATH.read_text(encoding="utf-8").splitlines(), 1):
        assert isinstance(json.loads(line), dict), f"line {number} is not a JSON object"


def test_exactly_40_records(records: list[dict[str, Any]]) -> None:
    assert len(records) == 40


def test_records_have_the_documented_fields(records: list[dict[str, Any]]) -> None:
    for number, record in enumerate(records, 1):
        assert set(record) == RECORD_KEYS
        assert record["id"] == f"kgsample-{number:03d}"
        assert 2019 <= record["year"] <= 2025
        assert record["authors"] and all(isinstance(a, str) and a for a in record["authors"])
        assert record["url"] is None or record["url"].startswith("https://")


@pytest.mark.parametrize("field_name", ["id", "title"])
def test_ids_and_titles_are_unique(records: list[dict[str, Any]], field_name: str) -> None:
    values = [record[field_name] for record in records]
    assert len(set(values)) == len(values)


@pytest.mark.parametrize("field_name", ["title", "abstract"])
def test_titles_and_abstracts_are_not_empty(records: list[dict[str, Any]], field_name: str) -> None:
    assert all(record[field_name].strip() for record in records)


def test_abstracts_have_realistic_length(records: list[dict[str, Any]]) -> None:
    lengths = {record["id"]: len(record["abstract"].split()) for record in records}
    assert all(150 <= length <= 250 for length in lengths.values()), lengths


def test_records_convert_to_papers(records: list[dict[str, Any]]) -> None:
    papers = [Paper.from_dict(record) for record in records]
    assert all(isinstance(paper.authors, tuple) for paper in papers)
    assert papers[0].id == "kgsample-001"


def test_at_least_25_abstracts_link_code(records: list[dict[str, Any]]) -> None:
    assert sum(bool(CODE_URL.search(record["abstract"])) for record in records) >= 25


def test_at_least_30_abstracts_report_a_number_with_a_metric(records: list[dict[str, Any]]) -> None:
    assert sum(bool(NUMBER_WITH_METRIC.search(record["abstract"])) for record in records) >= 30


def test_at_least_12_titles_name_the_proposal(records: list[dict[str, Any]]) -> None:
    assert sum(bool(PROPOSAL_TITLE.match(record["title"])) for record in records) >= 12


def test_abstracts_are_distinct(records: list[dict[str, Any]]) -> None:
    abstracts = [record["abstract"] for record in records]
    assert len(set(abstracts)) == len(abstracts)
    for first, second in itertools.combinations(records, 2):
        a, b = shingles(first["abstract"]), shingles(second["abstract"])
        overlap = len(a & b) / len(a | b)
        assert overlap < 0.1, (first["id"], second["id"], overlap)


def test_corpus_contains_hostile_but_legitimate_characters(records: list[dict[str, Any]]) -> None:
    authors = [author for record in records for author in record["authors"]]
    abstracts = " ".join(record["abstract"] for record in records)
    assert any(not author.isascii() for author in authors)
    assert all(character in abstracts for character in ('"', "&", "O(n log n)", "k=5"))


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ("achieves 84.6% top-1 accuracy", True),
        ("reaches 28.9 BLEU on WMT14", True),
        ("an mIoU of 53.8 on ADE20K", False),
        ("trained on 400M image-text pairs", False),
    ],
)
def test_metric_pattern_recognises_reported_results(pattern: str, matches: bool) -> None:
    assert bool(NUMBER_WITH_METRIC.search(pattern)) is matches
