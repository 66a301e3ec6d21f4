"""``kg build --update``: new papers are added without re-extracting old ones, idempotently."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.build.plan
from kg.cli import cli
from kg.errors import InputError
from kg.build.store import open_rdf_store
from scale_support import build_rules, output_bytes, sample_lines, write_corpus


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of every paper sent to extraction (single-process builds)."""
    seen: list[str] = []
    original = kg.build.plan.extract_chunk

    def counting(papers, *args):
        seen.extend(paper["id"] for paper in papers)
        return original(papers, *args)

    monkeypatch.setattr(kg.build.plan, "extract_chunk", counting)
    return seen


@pytest.fixture
def corpora(tmp_path: Path) -> tuple[Path, Path]:
    """The first 25 sample papers, and papers 20-40 (5 of them already in the first)."""
    lines = sample_lines()
    return (write_corpus(tmp_path / "in" / "old.jsonl", lines[:25]),
            write_corpus(tmp_path / "in" / "new.jsonl", lines[20:]))


def test_update_extracts_only_new_papers_and_equals_a_full_build(tmp_path, corpora, extracted):
    old, new = corpora
    build_rules([old], tmp_path / "full-old")
    build_rules([old, new], tmp_path / "full")
    extracted.clear()
    summary = build_rules([new], tmp_path / "full-old", update=True, formats=None)
    assert extracted == [f"jsonl:kgsample-{number:03d}" for number in range(26, 41)]
    assert summary.known == 5 and summary.papers == 40
    assert output_bytes(tmp_path / "full-old") == output_bytes(tmp_path / "full")


def test_second_update_with_the_same_input_changes_nothing(tmp_path, corpora, extracted):
    old, new = corpora
    out = tmp_path / "out"
    build_rules([old], out)
    build_rules([new], out, update=True, formats=None)
    before = output_bytes(out)
    extracted.clear()
    summary = build_rules([new], out, update=True, formats=None)
    assert extracted == []
    assert summary.known == 20
    assert output_bytes(out) == before
    papers = [line for line in before["papers.jsonl"].decode().splitlines()]
    assert len(papers) == len(set(papers)) == 40
    triples = before["graph.nt"].decode().splitlines()
    assert len(triples) == len(set(triples))


def test_update_through_the_command_keeps_the_build_formats(tmp_path, corpora):
    old, new = corpora
    runner = CliRunner()
    out = tmp_path / "out"
    first = runner.invoke(cli, ["build", str(old), "-o", str(out), "--model", "none", "-q",
                                "--formats", "nt,gexf"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["build", "--update", str(out), str(new), "--model", "none"])
    assert second.exit_code == 0, second.output
    assert "papers: 40" in second.output and "5 already in the store" in second.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "graph.gexf", "graph.nt", "papers.jsonl", "store"]


def test_update_needs_an_earlier_build(tmp_path, corpora):
    with pytest.raises(InputError, match="no kg build store"):
        build_rules([corpora[0]], tmp_path / "nothing", update=True)
    result = CliRunner().invoke(cli, ["build", "--update", str(tmp_path / "nothing"), str(corpora[0]),
                                      "--model", "none"])
    assert result.exit_code == 2
    assert "no kg build store" in result.output


def test_sparql_runs_on_the_store_of_an_updated_build(tmp_path, corpora):
    old, new = corpora
    out = tmp_path / "out"
    build_rules([old], out, formats=("ttl",))
    build_rules([new], out, update=True, formats=None)
    store = open_rdf_store(out)
    query = ("SELECT (COUNT(DISTINCT ?paper) AS ?n) WHERE { "
             "?paper a <http://schema.org/ScholarlyArticle> }")
    assert int(next(iter(store.query(query)))["n"].value) == 40
    assert len(store) == sum(1 for _ in open_rdf_store(out / "store"))


@pytest.mark.parametrize("chunk_size", [3, 256])
def test_repeated_papers_in_one_build_are_counted_and_extracted_once(tmp_path, extracted, chunk_size):
    """The build keeps the ids it read in its store, not a set: repeats within a chunk in
    flight, across stored chunks and of papers stored by an earlier build are all caught."""
    lines = sample_lines()
    first = write_corpus(tmp_path / "in" / "first.jsonl", lines[:8])
    repeated = write_corpus(tmp_path / "in" / "repeated.jsonl", lines[:12] + lines[2:4] + lines[10:12])
    out = tmp_path / "out"
    build_rules([first], out, chunk_size=chunk_size)
    extracted.clear()
    summary = build_rules([repeated], out, update=True, formats=None, chunk_size=chunk_size)
    assert extracted == [f"jsonl:kgsample-{number:03d}" for number in range(9, 13)]
    assert (summary.known, summary.read.duplicates, summary.read.papers) == (8, 4, 12)
    fresh = build_rules([repeated, first], tmp_path / "fresh", chunk_size=chunk_size)
    assert (fresh.read.duplicates, fresh.read.papers, fresh.papers) == (12, 12, 12)


@pytest.mark.parametrize("stream", [False, True], ids=["in-memory", "streamed-loaded-beside"])
def test_the_rdf_store_loaded_in_small_pieces_holds_every_triple(tmp_path, monkeypatch, stream):
    import pyoxigraph as ox

    import kg.build.store

    monkeypatch.setattr(kg.build.store, "LOAD_BYTES", 4096)
    out = tmp_path / "out"
    summary = build_rules([write_corpus(tmp_path / "in.jsonl", sample_lines()[:6])], out, stream=stream)
    nt = out / "graph.nt"
    pieces = list(kg.build.store._line_pieces(nt, 4096))
    assert len(pieces) > 10 and b"".join(pieces) == nt.read_bytes()
    assert all(piece.endswith(b"\n") for piece in pieces)
    expected = {quad.triple for quad in ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)}
    store = open_rdf_store(out)
    assert {quad.triple for quad in store} == expected
    assert ("rdf-store" in summary.background) == stream


def test_the_rdf_loader_raises_the_error_of_its_thread_in_the_build(tmp_path):
    from kg.build.store import RdfLoader

    with pytest.raises(SyntaxError, match="line 2"):
        with RdfLoader(tmp_path / "rdf") as loader:
            loader.add("<https://a.example/s> <https://a.example/p> <https://a.example/o> .\n")
            loader.add("not a triple\n")
    with RdfLoader(tmp_path / "rdf2") as loader:
        loader.add("<https://a.example/s> <https://a.example/p> <https://a.example/o> .\n")
    assert len(open_rdf_store(tmp_path / "rdf2")) == 1


@pytest.mark.parametrize("stream", [False, True])
def test_a_build_without_the_rdf_store_writes_the_same_files_and_says_so(tmp_path, corpora, stream):
    old, new = corpora
    with_store = build_rules([old], tmp_path / "with", stream=stream)
    without = build_rules([old], tmp_path / "without", stream=stream, rdf_store=False)
    assert output_bytes(tmp_path / "without") == output_bytes(tmp_path / "with")
    assert (tmp_path / "with" / "store" / "rdf").is_dir()
    assert sorted(p.name for p in (tmp_path / "without" / "store").iterdir()) == ["kg.sqlite"]
    assert any("--no-rdf-store" in note for note in without.notes)
    assert not any("--no-rdf-store" in note for note in with_store.notes)
    with pytest.raises(InputError, match="no-rdf-store"):
        open_rdf_store(tmp_path / "without")
    # An update keeps the build's choice unless told otherwise.
    build_rules([new], tmp_path / "without", update=True, formats=None)
    assert not (tmp_path / "without" / "store" / "rdf").exists()
    build_rules([new], tmp_path / "without", update=True, formats=None, rdf_store=True)
    assert len(open_rdf_store(tmp_path / "without")) > 0


def test_no_rdf_store_from_the_command_line(tmp_path, corpora):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(corpora[0]), "-o", str(out), "--model", "none",
                                      "--formats", "ttl", "--no-rdf-store"])
    assert result.exit_code == 0, result.output
    assert "rdf store: not loaded" in result.output
    assert not (out / "store" / "rdf").exists()
    query = CliRunner().invoke(cli, ["query", "proposed-methods", str(out)])
    assert query.exit_code == 2 and "query its graph.ttl" in query.output
    assert CliRunner().invoke(cli, ["query", "proposed-methods", str(out / "graph.ttl")]).exit_code == 0


@pytest.mark.parametrize("formats", [("nt",), ("ttl",)])
def test_the_rdf_store_loaded_as_a_separate_step_equals_the_one_a_build_loads(tmp_path, formats):
    corpus = write_corpus(tmp_path / "in.jsonl", sample_lines()[:6])
    build_rules([corpus], tmp_path / "with", formats=formats)
    build_rules([corpus], tmp_path / "later", formats=formats, rdf_store=False)
    result = CliRunner().invoke(cli, ["store", str(tmp_path / "later")])
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'later' / 'store' / 'rdf'}" in result.output
    assert {q.triple for q in open_rdf_store(tmp_path / "later")} == \
        {q.triple for q in open_rdf_store(tmp_path / "with")}
    assert len(open_rdf_store(tmp_path / "later")) > 100
    assert not any(p.name.endswith(".loading") for p in (tmp_path / "later" / "store").iterdir())
    # From now on the build has a store: an update loads it again.
    new = write_corpus(tmp_path / "new.jsonl", sample_lines()[6:9])
    build_rules([new], tmp_path / "later", update=True, formats=None)
    build_rules([new], tmp_path / "with", update=True, formats=None)
    assert len(open_rdf_store(tmp_path / "later")) == len(open_rdf_store(tmp_path / "with"))


def test_the_separate_rdf_store_step_needs_an_rdf_export(tmp_path):
    out = tmp_path / "out"
    build_rules([write_corpus(tmp_path / "in.jsonl", sample_lines()[:3])], out, formats=("html",),
                rdf_store=False)
    result = CliRunner().invoke(cli, ["store", str(out)])
    assert result.exit_code != 0 and "no graph.nt or graph.ttl" in result.output
    assert not (out / "store" / "rdf").exists()
    missing = CliRunner().invoke(cli, ["store", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0 and "no such build directory" in missing.output
