"""Bad input in every format: the InputError names the file, the line and what was expected."""
from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.io import ReadStats, read_papers

GOOD = {"title": "A Title", "abstract": "An abstract."}
ATOM = '<feed xmlns="http://www.w3.org/2005/Atom">\n{}\n</feed>\n'
ENTRY = "<entry><id>http://arxiv.org/abs/2301.0000{n}v1</id><title>T</title><summary>S.</summary></entry>"


def _jsonl(*records):
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


@pytest.mark.parametrize(
    ("name", "format_name", "content", "line", "expected"),
    [
        ("a.json", "json", '[\n  {"title": "T",\n   "abstract": "A."\n  ,,\n]', 4, "invalid JSON: Expecting property name"),
        ("a.json", "json", "42", 1, "expected a JSON array or object"),
        ("a.json", "json", "  \n", None, "the file is empty"),
        ("a.json", "json", json.dumps([GOOD, "just a string"]), 2, "expected a JSON object, found a string"),
        ("a.jsonl", "jsonl", _jsonl(GOOD, GOOD | {"year": "around 2020"}), 2, "'year' should be a year like 2021, found 'around 2020'"),
        ("a.jsonl", "jsonl", _jsonl(GOOD | {"authors": 3}), 1, "'authors' should be a list of names, found a number"),
        ("a.jsonl", "jsonl", _jsonl(GOOD | {"authors": [["x"]]}), 1, "should hold names or {'name': ...} objects"),
        ("a.jsonl", "jsonl", _jsonl(GOOD | {"title": ["T"]}), 1, "'title' should be text, found an array"),
        ("a.jsonl", "jsonl", _jsonl(GOOD | {"abstract": " \n "}), 1, "record has an empty 'abstract'"),
        ("a.jsonl", "jsonl", _jsonl(GOOD, '{"title": "T" "abstract": "A."}'), 2, "invalid JSON: Expecting ',' delimiter (column 15)"),
        ("a.csv", "csv", "title,abstract\nT,A.\n\"Unclosed,A.\n", 3, "malformed CSV record"),
        ("a.csv", "csv", "\n\nTitle,Summary\nT,A.\n", 3, "the header has no 'abstract' column"),
        ("a.tsv", "tsv", "title\tabstract\nT\tA.\tEXTRA\n", 2, "expected 2 fields as in the header, found 3"),
        ("a.xml", "arxiv-atom", ATOM.format(ENTRY.format(n=1) + "\n<entry><title>T</entry>"), 3, "malformed XML: mismatched tag"),
        ("a.xml", "arxiv-atom", ATOM.format("<entry><id>x</id><summary>S.</summary></entry>"), 1, "entry has no 'title'"),
        (
            "a.xml", "arxiv-atom",
            ATOM.format("<entry><id>http://arxiv.org/api/errors#incorrect_id</id><title>Error</title>"
                        "<summary>incorrect id format for 1234</summary></entry>"),
            1, "the arXiv API returned an error: 'incorrect id format for 1234'",
        ),
        (
            "bomb.xml", "arxiv-atom",
            '<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;">\n]>\n<feed>&lol2;</feed>',
            3, "entity declarations are not allowed",
        ),
        ("w.json", "openalex", json.dumps({"id": "https://openalex.org/W1", "title": "T"}), 1, "work has no abstract"),
        (
            "w.json", "openalex",
            json.dumps({"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"A": "0"}}),
            1, "'abstract_inverted_index' should map each word to a list of positions",
        ),
        ("p.jsonl", "s2", _jsonl({"paperId": "a"} | GOOD, {"paperId": "b", "title": "T", "abstract": None}), 2, "record has no 'abstract'"),
        ("s.jsonl", "arxiv-snapshot", _jsonl({"title": "T", "abstract": "A."}, GOOD), 1, "record has no 'id'"),
        ("d.txt", "daily", "Daily Papers\n\nAug 12\n\nT\n\nAbstract.\n\nT2\n", 9, "'T2' has no abstract"),
    ],
)
def test_bad_input_names_file_line_and_expectation(tmp_path, name, format_name, content, line, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_papers(path, format_name))
    error = caught.value
    assert (error.path, error.line) == (str(path), line)
    assert expected in str(error)
    assert str(error).startswith(f"{path}:{line}: " if line else f"{path}: ")


def test_bad_json_lines_are_skipped_with_skip_bad(tmp_path):
    path = tmp_path / "page.jsonl"
    path.write_text(_jsonl({"paperId": "a"} | GOOD, "{oops", {"paperId": "b"} | GOOD), encoding="utf-8")
    stats = ReadStats()
    papers = list(read_papers(path, "s2", skip_bad=True, stats=stats))
    assert [(p.id, p.source_line) for p in papers] == [("s2:a", 1), ("s2:b", 3)]
    assert stats.problems == [f"{path}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"]


def test_non_utf8_text_is_reported_at_its_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(_jsonl(GOOD, GOOD).encode() + '{"title": "Café", "abstract": "A."}\n'.encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.jsonl:3: not UTF-8 text"):
        list(read_papers(path))


def test_file_level_errors_are_not_skipped(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.json:1: invalid JSON"):
        list(read_papers(path, skip_bad=True))


def test_utf8_bom_is_ignored(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufefftitle,abstract\nT,A.\n".encode())
    assert [(p.title, p.abstract) for p in read_papers(path)] == [("T", "A.")]
