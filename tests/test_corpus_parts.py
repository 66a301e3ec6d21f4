"""Reading a corpus in parts (``kg.io.CorpusParts``): ranges of lines read on their own, the
other files read whole, the repeats found afterwards in input order (``kg.io.Repeats``), give
the papers, counts and messages of ``read_corpus``; and a new build that reads on its
workers writes what a build of the corpus without its repeats writes."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kg.build.stages import extract_part, records_table
from kg.errors import InputError
from kg.io import CorpusParts, ReadStats, Repeats, read_corpus, read_range
from kg.io.ids import text_key
from kg.records import Paper
from scale_support import build_rules, output_bytes, sample_lines, write_corpus


def no_id(line: str) -> str:
    """The record of ``line`` without its identifiers: the same paper, known by its text."""
    record = json.loads(line)
    for key in ("id", "doi", "arxiv_id"):
        record.pop(key, None)
    return json.dumps(record) + "\n"


def cut_title(line: str) -> str:
    record = json.loads(line)
    record["title"] = record["title"] + " " + "x" * 2100
    return json.dumps(record) + "\n"


LINES = sample_lines()
CORPORA: dict[str, dict[str, list[str]]] = {
    "repeats-by-id-and-text": {"a.jsonl": [*LINES[:8], LINES[2], no_id(LINES[5]), *LINES[8:12], LINES[0]]},
    "bad-blank-and-bom": {"a.jsonl": ["\ufeff" + LINES[0], "\n", "{not json\n", *LINES[1:5], '{"title": "t"}\n',
                                       "  \n", cut_title(LINES[5]), LINES[6]]},
    "several-files": {"a.jsonl": LINES[:5], "b.csv": [], "c.jsonl.gz": [*LINES[3:9], no_id(LINES[0])],
                      "d.jsonl": [], "e.jsonl": [LINES[7], *LINES[9:13]]},
    "no-newline-at-the-end": {"a.jsonl": [*LINES[:4], LINES[4].rstrip("\n")]},
}


def corpus_files(directory: Path, name: str) -> list[str]:
    """The files of corpus ``name`` written in ``directory`` (``.gz`` compressed, CSV as CSV)."""
    paths = []
    for file_name, lines in CORPORA[name].items():
        path = directory / file_name
        if file_name.endswith(".csv"):
            path.write_text("title,abstract,id\nSome title,Some abstract,c1\n,no title,c2\n", encoding="utf-8")
        elif file_name.endswith(".gz"):
            path.write_bytes(gzip.compress("".join(lines).encode("utf-8")))
        else:
            write_corpus(path, lines)
        paths.append(str(path))
    return paths


def read_in_parts(paths: list[str], size: int, split: bool = True, **options) -> tuple[list[Paper], ReadStats]:
    """The papers and counts of ``paths`` read as a build's workers and client read them."""
    stats, repeats, kept = ReadStats(), Repeats(), []
    for part in CorpusParts(paths, size=size, split=split, **options):
        part_stats = part.stats
        papers = (list(read_range(part.lines, stats=part_stats, **options)) if part.lines is not None
                  else part.papers)
        stats.add(part_stats)
        for paper in papers:
            if repeats.repeated(paper.id, text_key(paper.title, paper.abstract)):
                stats.duplicates += 1
            else:
                stats.papers += 1
                kept.append(paper)
    return kept, stats


@pytest.mark.parametrize("size", [1, 2, 3, 1000])
@pytest.mark.parametrize("name", list(CORPORA))
def test_parts_give_the_papers_and_counts_of_one_read(tmp_path: Path, name: str, size: int):
    paths = corpus_files(tmp_path, name)
    options = {"skip_bad": True, "max_text_length": 2000}
    whole_stats = ReadStats()
    whole = list(read_corpus(paths, stats=whole_stats, **options))
    parts, parts_stats = read_in_parts(paths, size, **options)
    assert parts == whole
    assert parts_stats == whole_stats
    assert whole_stats.papers and (name != "repeats-by-id-and-text" or whole_stats.duplicates == 3)
    assert name != "bad-blank-and-bom" or (whole_stats.skipped == 2 and whole_stats.truncated == 1)


def test_only_uncompressed_json_lines_are_cut_into_ranges(tmp_path: Path):
    paths = corpus_files(tmp_path, "several-files")
    parts = list(CorpusParts(paths, size=2, skip_bad=True))
    cut = {Path(part.lines.path).name for part in parts if part.lines is not None}
    read_here = {paper.source_file for part in parts for paper in part.papers}
    assert cut == {"a.jsonl", "d.jsonl", "e.jsonl"} and read_here == {"b.csv", "c.jsonl.gz"}
    assert sum(part.stats.files for part in parts) == 5  # the empty files are counted too


@pytest.mark.parametrize("size", [2, 1000])
def test_parts_not_split_are_papers_read_here_with_the_same_counts(tmp_path: Path, size: int):
    paths = corpus_files(tmp_path, "several-files")
    whole_stats = ReadStats()
    whole = list(read_corpus(paths, stats=whole_stats, skip_bad=True))
    assert all(part.lines is None for part in CorpusParts(paths, size=size, skip_bad=True, split=False))
    assert read_in_parts(paths, size, split=False, skip_bad=True) == (whole, whole_stats)


def test_a_bad_line_of_a_range_raises_what_reading_the_file_raises(tmp_path: Path):
    paths = corpus_files(tmp_path, "bad-blank-and-bom")
    with pytest.raises(InputError) as whole:
        list(read_corpus(paths))
    ranges = [part.lines for part in CorpusParts(paths, size=2)]
    with pytest.raises(InputError) as part:
        for lines in ranges:
            list(read_range(lines))
    assert str(part.value) == str(whole.value) and whole.value.line == 3


def test_a_part_read_on_a_worker_carries_keys_counts_and_the_table_of_its_records(tmp_path: Path):
    paths = corpus_files(tmp_path, "bad-blank-and-bom")
    part = next(iter(CorpusParts(paths, size=6, skip_bad=True)))
    result = extract_part(part, model=None, skip_bad=True)
    assert result.stats.files == 1 and result.stats.skipped == 1 and len(result.chunk.ids) == 4
    assert result.keys == [text_key(p.title, p.abstract) for p in read_range(part.lines, skip_bad=True)]
    assert records_table(result.chunk.lines) == result.chunk.entities


@pytest.mark.parametrize("options", [{"workers": 1}, {"workers": 2}], ids=["in-process", "2-workers"])
def test_a_build_read_in_parts_writes_the_build_of_the_corpus_without_its_repeats(tmp_path: Path, options):
    # The repeats blanked out: the same papers on the same lines, and nothing to drop.
    repeated = CORPORA["repeats-by-id-and-text"]["a.jsonl"]
    blanked = [line if index not in (8, 9, 14) else "\n" for index, line in enumerate(repeated)]
    with_repeats = write_corpus(tmp_path / "with" / "a.jsonl", repeated)
    without = write_corpus(tmp_path / "without" / "a.jsonl", blanked)
    summary = build_rules([with_repeats], tmp_path / "out-with", stream=True, chunk_size=3, **options)
    reference = build_rules([without], tmp_path / "out-without", stream=True, chunk_size=3, **options)
    assert (summary.read.duplicates, summary.read.papers, reference.read.duplicates) == (3, 12, 0)
    assert output_bytes(tmp_path / "out-with") == output_bytes(tmp_path / "out-without")


def test_a_bad_record_read_on_a_worker_fails_the_build_naming_its_file_and_line(tmp_path: Path):
    corpus = write_corpus(tmp_path / "in" / "a.jsonl", [*LINES[:5], "{not json\n", *LINES[5:8]])
    with pytest.raises(InputError) as error:
        build_rules([corpus], tmp_path / "out", workers=2, chunk_size=2)
    assert (error.value.path, error.value.line) == (str(corpus), 6)
    assert str(error.value).startswith(f"{corpus}:6: invalid JSON")
    assert not (tmp_path / "out" / "papers.jsonl").exists()


def test_read_stats_add_and_take_know_every_field():
    # ReadStats.add sums these counts and keeps the first messages; a new field needs its merge.
    from dataclasses import fields

    import kg.io.stats

    assert {f.name for f in fields(ReadStats)} == {*kg.io.stats._COUNTS, "problems", "warnings"}
    first, second = ReadStats(files=1, records=3, problems=["a"]), ReadStats(records=2, skipped=1, problems=["b"])
    first.add(second)
    assert (first.files, first.records, first.skipped, first.problems) == (1, 5, 1, ["a", "b"])
    taken = first.take()
    assert taken.records == 5 and first == ReadStats()
