"""Format detection by extension and by content."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.io import FORMATS, detect_format

DATA = Path(__file__).parent / "data" / "io"

SNAPSHOT_ROW = {"id": "2310.01234", "title": "T", "abstract": "A.", "categories": "cs.CL", "update_date": "2024-01-10"}
OPENALEX_WORK = {"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"A.": [0]}}
S2_PAPER = {"paperId": "abc", "title": "T", "abstract": "A."}
PLAIN = {"title": "T", "abstract": "A."}


def test_formats_are_the_documented_names():
    assert FORMATS == ("daily", "jsonl", "json", "csv", "tsv", "arxiv-snapshot", "arxiv-atom", "openalex", "s2")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("daily.txt", "daily"),
        ("papers.jsonl", "jsonl"),
        ("papers.json", "json"),
        ("papers.csv", "csv"),
        ("papers.tsv", "tsv"),
        ("arxiv-snapshot.jsonl", "arxiv-snapshot"),
        ("arxiv-atom.xml", "arxiv-atom"),
        ("openalex.json", "openalex"),
        ("s2.json", "s2"),
    ],
)
def test_fixtures_are_detected(name, expected, tmp_path):
    assert detect_format(DATA / name) == expected
    # the same content behind .gz, and with no telling extension at all (except tables)
    zipped = tmp_path / f"{name}.gz"
    zipped.write_bytes(gzip.compress((DATA / name).read_bytes()))
    assert detect_format(zipped) == expected
    if expected not in ("csv", "tsv"):
        bare = tmp_path / "download"
        shutil.copy(DATA / name, bare)
        assert detect_format(str(bare)) == expected


def _lines(records):
    return "".join(json.dumps(record) + "\n" for record in records)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # The Kaggle snapshot is JSON Lines named .json
        ("arxiv-metadata-oai-snapshot.json", _lines([SNAPSHOT_ROW, SNAPSHOT_ROW]), "arxiv-snapshot"),
        ("works.jsonl", _lines([OPENALEX_WORK, OPENALEX_WORK]), "openalex"),
        ("work.json", json.dumps(OPENALEX_WORK, indent=2), "openalex"),
        ("page.json", json.dumps({"meta": {}, "results": [OPENALEX_WORK]}), "openalex"),
        ("papers.json", json.dumps({"data": [S2_PAPER]}), "s2"),
        ("paper.json", json.dumps(S2_PAPER), "s2"),
        ("s2.jsonl", _lines([S2_PAPER, S2_PAPER]), "s2"),
        ("array.json", json.dumps([PLAIN, PLAIN], indent=1), "json"),
        ("rows.json", _lines([PLAIN, PLAIN]), "jsonl"),
        ("rows.ndjson", "not json\n" + _lines([PLAIN]), "jsonl"),
        ("empty.json", "[]", "json"),
        ("feed.atom", '<?xml version="1.0"?>\n<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>', "arxiv-atom"),
        ("dump.txt", "\n\nJun 6\n\nA Title\n\nAn abstract.\n", "daily"),
        ("dump", "Daily Papers\n\nA Title\n\nAn abstract.\n", "daily"),
    ],
)
def test_content_decides_within_a_family(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert detect_format(path) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("notes.txt", "Some notes\n\nabout nothing.\n", "text without the daily-papers header"),
        ("data.xml", "<rss><channel/></rss>", "XML but not an Atom feed"),
        ("data.bin", "plain words\n", "an unknown layout"),
        ("empty", "", "an unknown layout"),
    ],
)
def test_undetectable_files_raise_naming_the_file(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        detect_format(path)
    assert str(caught.value).startswith(f"{path}: cannot tell the format")
    assert expected in str(caught.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match=r"nowhere\.jsonl: no such file"):
        detect_format(tmp_path / "nowhere.jsonl")
