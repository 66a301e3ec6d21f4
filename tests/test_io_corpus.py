"""read_corpus: many files, directories, duplicates, gzip, statistics."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.io import ReadStats, read_corpus, read_papers
from kg.io.stats import MAX_PROBLEMS

DATA = Path(__file__).parent / "data" / "io"


def test_same_paper_in_two_files_is_yielded_once():
    stats = ReadStats()
    files = [DATA / "arxiv-atom.xml", DATA / "arxiv-snapshot.jsonl", DATA / "s2.json"]
    papers = list(read_corpus(files, skip_bad=True, stats=stats))
    ids = [p.id for p in papers]
    assert ids == [
        "arxiv:2310.01234",
        "arxiv:hep-th/9901001",
        "arxiv:2402.00003",
        "arxiv:1706.03762",
        "s2:0123456789abcdef0123456789abcdef01234567",
    ]
    # the first file a paper appears in wins
    assert papers[0].source == "arxiv-atom"
    assert (stats.files, stats.records, stats.papers, stats.duplicates, stats.skipped) == (3, 10, 5, 2, 3)


def test_read_papers_keeps_repeats_within_a_file(tmp_path):
    path = tmp_path / "twice.jsonl"
    row = json.dumps({"id": "x", "title": "T", "abstract": "A."})
    path.write_text(f"{row}\n{row}\n", encoding="utf-8")
    stats = ReadStats()
    assert [p.source_line for p in read_papers(path, stats=stats)] == [1, 2]
    assert (stats.records, stats.papers, stats.duplicates) == (2, 2, 0)
    assert [p.source_line for p in read_corpus([path])] == [1]


def test_directory_expands_to_its_sorted_files(tmp_path):
    for name, title in [("b.jsonl", "Second"), ("a.jsonl", "First"), (".hidden.jsonl", "Hidden")]:
        (tmp_path / name).write_text(json.dumps({"title": title, "abstract": "A."}) + "\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_text(json.dumps({"title": "Nested", "abstract": "A."}) + "\n")
    papers = list(read_corpus([tmp_path]))
    assert [p.title for p in papers] == ["First", "Second"]
    assert papers[0].source_file == "a.jsonl"  # the name only: no local path in outputs


@pytest.mark.parametrize("name", ["papers.jsonl", "arxiv-atom.xml", "daily.txt", "papers.csv", "openalex.json"])
def test_gzip_is_read_transparently(tmp_path, name):
    zipped = tmp_path / f"{name}.gz"
    zipped.write_bytes(gzip.compress((DATA / name).read_bytes()))
    plain = list(read_papers(DATA / name, skip_bad=True))
    unzipped = list(read_papers(zipped, skip_bad=True))
    assert [p.to_dict() | {"source_file": ""} for p in unzipped] == [
        p.to_dict() | {"source_file": ""} for p in plain
    ]
    assert unzipped[0].source_file == zipped.name


def test_problems_keep_only_the_first_messages(tmp_path):
    path = tmp_path / "many-bad.jsonl"
    path.write_text("".join(json.dumps({"title": f"T{i}"}) + "\n" for i in range(30)), encoding="utf-8")
    stats = ReadStats()
    assert list(read_papers(path, skip_bad=True, stats=stats)) == []
    assert (stats.records, stats.skipped, len(stats.problems)) == (30, 30, MAX_PROBLEMS)
    assert stats.problems[0] == f"{path}:1: record has no 'abstract'"
    assert stats.problems[-1] == f"{path}:{MAX_PROBLEMS}: record has no 'abstract'"


def test_unknown_format_lists_the_valid_names():
    with pytest.raises(InputError) as caught:
        list(read_papers(DATA / "papers.jsonl", "bibtex"))
    message = str(caught.value)
    assert "unknown format 'bibtex'" in message
    assert "daily, jsonl, json, csv, tsv, arxiv-snapshot, arxiv-atom, openalex, s2" in message


@pytest.mark.parametrize("format_name", [None, "jsonl"])
def test_missing_file_is_named(tmp_path, format_name):
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(InputError) as caught:
        list(read_corpus([DATA / "papers.json", missing], format_name, skip_bad=True))
    assert str(caught.value) == f"{missing}: no such file"


def _twins(directory: Path) -> tuple[Path, Path]:
    """The same paper without an id (CSV) and with one (JSON Lines), spaced and cased apart."""
    table = directory / "papers.csv"
    table.write_text('title,abstract\n"FastNet:  fast image classification","We propose FastNet. '
                     'It reaches 81% on ImageNet."\nA second paper,Its abstract.\n', encoding="utf-8")
    lines = directory / "more.jsonl"
    lines.write_text(json.dumps({"arxiv_id": "2401.00001", "title": "FastNet: Fast Image Classification",
                                 "abstract": "We propose FastNet.\nIt reaches 81% on ImageNet."}) + "\n"
                     + json.dumps({"arxiv_id": "2401.00002", "title": "A second paper",
                                   "abstract": "Another abstract."}) + "\n", encoding="utf-8")
    return table, lines


@pytest.mark.parametrize("order", [1, -1])
def test_a_paper_without_an_id_and_the_same_with_one_are_kept_once(tmp_path, order):
    stats = ReadStats()
    files = list(_twins(tmp_path))[::order]
    papers = list(read_corpus(files, stats=stats))
    fastnet = [p for p in papers if p.title.lower().startswith("fastnet")]
    # the first one read is kept, the other counted as a duplicate
    assert len(fastnet) == 1 and fastnet[0].source == ("csv" if order == 1 else "jsonl")
    assert (stats.records, stats.papers, stats.duplicates) == (4, 3, 1)
    # "A second paper": the same title with another abstract is another paper
    assert sorted(p.abstract for p in papers if p.title == "A second paper") == ["Another abstract.", "Its abstract."]


def test_two_papers_with_ids_are_never_merged_by_their_text(tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps({"id": name, "title": "Same title", "abstract": "Same text."}) + "\n"
                            for name in ("a", "b")), encoding="utf-8")
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"id": "a", "title": "Other", "abstract": "Other."}) + "\n", encoding="utf-8")
    stats = ReadStats()
    assert [p.id for p in read_corpus([path, again], stats=stats)] == ["jsonl:a", "jsonl:b"]
    assert stats.duplicates == 1


def test_a_build_keeps_the_twins_once_and_counts_them(tmp_path):
    from kg.build import build

    table, lines = _twins(tmp_path)
    summary = build([table, lines], tmp_path / "out", formats=(), model=None)
    records = [json.loads(line) for line in (tmp_path / "out" / "papers.jsonl").read_text().splitlines()]
    assert [r["source"]["format"] for r in records] == ["csv", "csv", "jsonl"]
    assert summary.read.duplicates == 1 and "(1 duplicate(s) merged" in summary.lines()[0]
    # an update that brings the paper again, with its id, does not add it
    again = tmp_path / "again.jsonl"
    again.write_text(lines.read_text().splitlines()[0] + "\n", encoding="utf-8")
    updated = build([again], tmp_path / "out", update=True, model=None)
    assert updated.papers == 3 and updated.read.duplicates == 1
