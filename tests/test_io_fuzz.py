"""Every reader on hostile input: random bytes, damaged and deeply nested files, other
encodings.  Nothing but a KGError ever comes out, and every text a reader yields is clean."""
from __future__ import annotations

import gzip
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError, KGError
from kg.io import FORMATS, ReadStats, read_papers
from kg.io.hygiene import MAX_TEXT_LENGTH, clean_text

DATA = Path(__file__).parent / "data" / "io"
FIXTURES = {
    "daily": "daily.txt",
    "jsonl": "papers.jsonl",
    "json": "papers.json",
    "csv": "papers.csv",
    "tsv": "papers.tsv",
    "arxiv-snapshot": "arxiv-snapshot.jsonl",
    "arxiv-atom": "arxiv-atom.xml",
    "openalex": "openalex.json",
    "s2": "s2.json",
}
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_UNCLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def test_every_format_has_a_fixture():
    assert set(FIXTURES) == set(FORMATS)


def _texts(paper):
    yield from (paper.id, paper.title, paper.abstract, *paper.authors, *paper.categories)
    yield from (value for value in (paper.doi, paper.arxiv_id, paper.url, paper.date) if value)


def read_hostile(path: Path, format_name: str | None) -> list:
    """Read ``path`` strictly and with skip_bad: only KGError may stop it; texts are clean."""
    papers = []
    for skip_bad in (False, True):
        try:
            papers = list(read_papers(path, format_name, skip_bad=skip_bad))
        except KGError as error:
            assert str(error).startswith(str(path)), error
            continue
        for paper in papers:
            for text in _texts(paper):
                assert not _UNCLEAN.search(text), text
                assert unicodedata.is_normalized("NFC", text), text
    return papers


def _fixture(format_name: str) -> bytes:
    return (DATA / FIXTURES[format_name]).read_bytes()


@pytest.mark.parametrize("format_name", [*FORMATS, None])
@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes_raise_only_kg_errors(tmp_path, format_name, data):
    suffix = Path(FIXTURES[format_name or "jsonl"]).suffix
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    read_hostile(path, format_name)


@pytest.mark.parametrize("format_name", FORMATS)
@FUZZ
@given(data=st.data())
def test_damaged_files_raise_only_kg_errors(tmp_path, format_name, data):
    """A fixture cut short, with bytes replaced or inserted, gzipped or not."""
    content = _fixture(format_name)
    start = data.draw(st.integers(0, len(content)), label="start")
    end = data.draw(st.integers(start, min(len(content), start + 40)), label="end")
    inserted = data.draw(st.binary(max_size=12) | st.sampled_from([b"\xff", b"\xc3", b"\x00", b"{" * 50]))
    damaged = content[:start] + inserted + content[end:]
    if data.draw(st.booleans(), label="truncate"):
        damaged = damaged[: data.draw(st.integers(0, len(damaged)), label="cut")]
    if data.draw(st.booleans(), label="gzip"):
        packed = gzip.compress(damaged)
        cut = data.draw(st.integers(2, len(packed)), label="gzip cut")
        flip = data.draw(st.integers(0, cut - 1), label="gzip flip")
        damaged = bytearray(packed[:cut])
        damaged[flip] ^= data.draw(st.integers(0, 255), label="flip bits")
    path = tmp_path / f"damaged{Path(FIXTURES[format_name]).suffix}"
    path.write_bytes(bytes(damaged))
    read_hostile(path, format_name)
    read_hostile(path, None)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig"])
@pytest.mark.parametrize("format_name", FORMATS)
def test_other_encodings_raise_only_kg_errors(tmp_path, format_name, encoding):
    text = _fixture(format_name).decode("utf-8").replace("the ", "th\u00e9 ")
    path = tmp_path / f"encoded{Path(FIXTURES[format_name]).suffix}"
    path.write_bytes(text.encode(encoding, errors="replace"))
    papers = read_hostile(path, format_name)
    if encoding == "utf-8-sig":
        assert papers


DEEP = 100_000


@pytest.mark.parametrize(
    ("name", "format_name", "content", "line"),
    [
        ("deep.jsonl", "jsonl", "[" * DEEP + "]" * DEEP, 1),
        ("deep.jsonl", "s2", '{"a":' * DEEP + "1" + "}" * DEEP, 1),
        ("deep.json", "json", "[" * DEEP, 1),
        ("deep.json", "openalex", '{"results": [' + '{"a":' * DEEP + "1" + "}" * DEEP + "]}", 1),
        ("long.jsonl", "jsonl", '{"title": "T", "abstract": "A", "year": ' + "9" * 5000 + "}", 1),
    ],
)
def test_deeply_nested_json_is_an_input_error(tmp_path, name, format_name, content, line):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_papers(path, format_name))
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert "invalid JSON" in str(caught.value)


def test_deeply_nested_xml_raises_only_kg_errors(tmp_path):
    path = tmp_path / "deep.xml"
    entry = "<entry><id>x</id><title>T</title><summary>" + "<b>" * DEEP + "S" + "</b>" * DEEP
    path.write_text(f'<feed xmlns="http://www.w3.org/2005/Atom">{entry}</summary></entry></feed>')
    assert [p.abstract for p in read_hostile(path, "arxiv-atom")] == ["S"]


GOOD = {"title": "A Title", "abstract": "An abstract."}


def test_corrupt_gzip_is_an_input_error(tmp_path):
    path = tmp_path / "papers.jsonl.gz"
    packed = bytearray(gzip.compress((json.dumps(GOOD) + "\n").encode() * 200))
    packed[len(packed) // 2] ^= 0xFF
    path.write_bytes(bytes(packed))
    with pytest.raises(InputError, match="cannot read the file"):
        list(read_papers(path, "jsonl"))


def _bad_lines_file(tmp_path: Path, name: str, lines: list[bytes]) -> Path:
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize(
    ("name", "format_name", "lines", "bad_lines"),
    [
        ("a.jsonl", "jsonl", [json.dumps(GOOD | {"id": "1"}).encode(), b'{"title": "\xff"}',
                              b"[" * DEEP, json.dumps(GOOD | {"id": "2"}).encode()], [2, 3]),
        ("a.csv", "csv", [b"id,title,abstract", b"1,T,A.", b'2,"T\xff",A.', b'3,"T"x,A.', b"4,T,A."],
         [3, 4]),
        ("a.txt", "daily", [b"Daily Papers", b"", b"T1", b"", b"Abstract one.", b"", b"T\xff", b"",
                            b"T2", b"", b"Abstract two."], [7]),
    ],
)
def test_skip_bad_skips_one_record_and_reads_on(tmp_path, name, format_name, lines, bad_lines):
    path = _bad_lines_file(tmp_path, name, lines)
    stats = ReadStats()
    papers = list(read_papers(path, format_name, skip_bad=True, stats=stats))
    assert len(papers) == 2
    assert [problem.split(":")[1] for problem in stats.problems] == [str(n) for n in bad_lines]
    assert stats.skipped == len(bad_lines)


@FUZZ
@given(title=st.text(min_size=1, max_size=40), abstract=st.text(min_size=1, max_size=200))
def test_every_text_is_cleaned_once_at_the_reader(tmp_path, title, abstract):
    """Lone surrogates, NUL and other control characters, NFD: JSON can carry them all."""
    path = tmp_path / "texts.jsonl"
    path.write_text(json.dumps({"id": title, "title": title, "abstract": abstract}) + "\n")
    expected_title = " ".join(clean_text(title).split())
    if not expected_title or not " ".join(clean_text(abstract).split()):
        with pytest.raises(InputError, match="empty"):
            list(read_papers(path, "jsonl"))
        return
    [paper] = read_hostile(path, "jsonl")
    assert paper.title == expected_title


def test_clean_text_rule():
    assert clean_text("a\x00b\x1bc\td\ne\x7f\x85") == "abc\td\ne"
    assert clean_text("\ud800x\udfff") == "\ufffdx\ufffd"
    assert clean_text("Cafe\u0301") == "Caf\u00e9"


def test_an_overlong_abstract_is_cut_with_a_warning(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"title": "T", "abstract": "word " * 1_000_000}) + "\n")
    stats = ReadStats()
    [paper] = read_papers(path, "jsonl", stats=stats)
    assert len(paper.abstract) == MAX_TEXT_LENGTH
    assert stats.warnings == [f"{path}:1: abstract of 4,999,999 characters cut to 100,000"]
    [short] = read_papers(path, "jsonl", max_text_length=10)
    assert short.abstract == "word word "


def test_an_overlong_csv_cell_is_cut_not_an_error(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("title,abstract\nT," + "x" * 300_000 + "\n")
    [paper] = read_papers(path, "csv")
    assert len(paper.abstract) == MAX_TEXT_LENGTH
