"""The second pass of a streamed build by partitions: written in order, any partitioning and
any engine give the bytes of one partition in one process, whether the partitions' texts
travel back to the client or lie in part files the workers wrote."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.build.writers
import kg.export.report
from kg.build.stages import partition_files, partition_outputs, shared_files, shared_outputs
from kg.build.store import BuildStore, RdfLoader
from kg.build.writers import Broadcast, Partition, ShardedWriter, write_streamed
from kg.export.iri import DEFAULT_BASE_IRI
from kg.export.rdf import prefixes
from kg.export.report import ReportCollector
from kg.sample import SAMPLE_PATH
from scale_support import build_rules, output_bytes


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Broadcast]:
    """The sample's records as the store holds them, and the broadcast of its entity table."""
    out = tmp_path_factory.mktemp("stored")
    build_rules([SAMPLE_PATH], out, formats=("nt",))
    store = BuildStore.open(out / "store")
    try:
        lines = list(store.lines())
        entities = store.entities
        return lines, Broadcast(entities.node_of(), entities.nodes(), DEFAULT_BASE_IRI, True, True)
    finally:
        store.close()


def written(directory: Path, lines: list[str], shared: Broadcast, size: int, on_disk: bool = False,
            shared_piece: int = 10_000, **sinks: object) -> tuple[dict[str, bytes], object]:
    """Files and report of the records ``lines`` in partitions of ``size`` (the shared nodes in
    pieces of ``shared_piece``), their texts in part files (``partition_files``) when ``on_disk``;
    ``links.jsonl`` holds the entity links of every partition, also those left in part files
    (``StreamedGraph.links_parts``), the only part files left."""
    directory.mkdir()
    batches = [lines[at:at + size] for at in range(0, len(lines), size)]
    if on_disk:
        shared = replace(shared, parts_dir=str(directory.parent / f"{directory.name}-parts"))
        os.mkdir(shared.parts_dir)
        parts = (partition_files(item, shared) for item in enumerate(batches))
    else:
        parts = (partition_outputs(batch, shared) for batch in batches)

    def shared_parts(nodes: list[tuple[str, dict]]) -> Iterator[Partition]:
        pieces = [nodes[at:at + shared_piece] for at in range(0, len(nodes), shared_piece)]
        if on_disk:
            return (shared_files(item, shared) for item in enumerate(pieces))
        return (shared_outputs(piece, shared) for piece in pieces)

    report = ReportCollector(papers_in_graph=False)
    streamed = write_streamed(parts, records_path=directory / "papers.jsonl", triples_dir=directory,
                              links_path=directory / "links.jsonl", base_iri=DEFAULT_BASE_IRI,
                              shard_bytes=200_000, turtle_path=directory / "graph.ttl", report=report,
                              shared_parts=shared_parts, **sinks)
    files = {path.name: path.read_bytes() for path in sorted(directory.iterdir())}
    assert bool(streamed.links_parts) == on_disk
    files["links.jsonl"] += b"".join(path.read_bytes() for path in streamed.links_parts)
    if on_disk:  # every other part file was copied into place and deleted (or given to a loader)
        left = [path for path in Path(shared.parts_dir).iterdir() if not (sinks and path.suffix == ".nt")]
        assert sorted(left) == sorted(streamed.links_parts)
    return files, report.report()


@pytest.mark.parametrize("on_disk", [False, True], ids=["texts-returned", "part-files"])
@pytest.mark.parametrize(("size", "shared_piece"), [(1, 1), (3, 7), (16, 10_000)])
def test_partitions_written_in_order_equal_one_partition(tmp_path, stored, size, shared_piece, on_disk):
    lines, shared = stored
    one, one_report = written(tmp_path / "one", lines, shared, len(lines))
    parts, parts_report = written(tmp_path / "parts", lines, shared, size, on_disk=on_disk,
                                  shared_piece=shared_piece)
    assert len(lines) == 40 and len([name for name in one if name.endswith(".nt")]) > 1  # sharded
    assert parts == one
    assert parts_report == one_report


def test_part_files_copied_without_the_kernel_give_the_same_bytes(tmp_path, stored, monkeypatch):
    lines, shared = stored
    one, _ = written(tmp_path / "one", lines, shared, len(lines))

    def unsupported(*args: object, **kwargs: object) -> int:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(os, "copy_file_range", unsupported)
    parts, _ = written(tmp_path / "parts", lines, shared, 3, on_disk=True)
    assert parts == one


@pytest.mark.parametrize("on_disk", [False, True], ids=["texts-returned", "part-files"])
def test_the_rdf_loader_takes_the_triples_of_either_kind_of_partition(tmp_path, stored, on_disk):
    lines, shared = stored
    with RdfLoader(tmp_path / "rdf") as loader:
        files, _ = written(tmp_path / "out", lines, shared, 3, on_disk=on_disk,
                           triples_sink=loader.add, triples_file_sink=loader.add_file)
    expected = {(quad.subject, quad.predicate, quad.object) for name in files if name.endswith(".nt")
                for quad in ox.parse(files[name], ox.RdfFormat.N_TRIPLES)}
    loaded = ox.Store.read_only(str(tmp_path / "rdf"))
    assert {(quad.subject, quad.predicate, quad.object) for quad in loaded} == expected
    if on_disk:  # the loader deleted the N-Triples part files it was given
        assert not list((tmp_path / "out-parts").glob("*.nt"))


@pytest.mark.parametrize("max_bytes", [1, 25, 60, 10_000])
def test_a_sharded_copy_cuts_shards_where_the_writes_would(tmp_path, max_bytes):
    runs = [b"a\n" * 3, b"", b"bb\n" * 5, b"c\n", b"dddd\n" * 4, b"e\n" * 9]
    source = tmp_path / "source.nt"
    source.write_bytes(b"".join(runs))
    written_shards, copied_shards = tmp_path / "written", tmp_path / "copied"
    with ShardedWriter(written_shards, "graph", ".nt", max_bytes) as shards:
        for run in runs:
            shards.write(run)
    with ShardedWriter(copied_shards, "graph", ".nt", max_bytes) as shards, source.open("rb") as handle:
        shards.copy(handle, [len(run) for run in runs])
    expected = {path.name: path.read_bytes() for path in written_shards.iterdir()}
    assert {path.name: path.read_bytes() for path in copied_shards.iterdir()} == expected
    assert (len(expected) > 1) == (max_bytes < len(source.read_bytes()))


def test_the_turtle_of_partitions_is_one_pass_of_the_serializer_over_the_ntriples(tmp_path, stored):
    lines, shared = stored
    files, _ = written(tmp_path / "parts", lines, shared, 3)
    shards = [ox.parse(files[name], ox.RdfFormat.N_TRIPLES) for name in sorted(files) if name.endswith(".nt")]
    one_pass = ox.serialize((triple for shard in shards for triple in shard), None, ox.RdfFormat.TURTLE,
                            prefixes=prefixes(DEFAULT_BASE_IRI))
    assert files["graph.ttl"].startswith(b"@prefix ") and b" ;\n" in files["graph.ttl"]
    assert files["graph.ttl"] == one_pass


def test_the_report_of_partitions_keeps_the_caps_of_one_pass(tmp_path, stored, monkeypatch):
    for module in (kg.export.report, kg.build.writers):
        monkeypatch.setattr(module, "_ROWS_KEPT", 1)
        monkeypatch.setattr(module, "PAPERS_WITH_CODE", 2)
    lines, shared = stored
    _, one = written(tmp_path / "one", lines, shared, len(lines))
    _, parts = written(tmp_path / "parts", lines, shared, 3)
    assert one.rows_left_out > 0 and len(one.code) == 2
    assert parts == one


@pytest.mark.parametrize("options", [
    {"workers": 2, "chunk_size": 1},
    {"workers": 1, "chunk_size": 1},
    {"workers": 1, "chunk_size": 64},
], ids=["2-workers-partitions-of-8", "partitions-of-8", "one-partition"])
def test_streamed_builds_give_the_same_bytes_on_any_engine_and_partitioning(tmp_path, options):
    reference = tmp_path / "reference"
    build_rules([SAMPLE_PATH], reference, stream=True, chunk_size=5)
    summary = build_rules([SAMPLE_PATH], tmp_path / "out", stream=True, **options)
    assert summary.where["partitions"] == ("workers" if options["workers"] > 1 else "client")
    assert output_bytes(tmp_path / "out") == output_bytes(reference)
    assert not (tmp_path / "out" / "store" / "parts").exists()  # the workers' part files are gone


def test_the_report_merge_knows_every_field_of_the_collector():
    # kg.build.writers._merge_report adds up each of these; a new field needs its merge there.
    # (``entities`` are added by the client afterwards, ``papers_in_graph`` is the client's.)
    assert {f.name for f in fields(ReportCollector)} == {
        "papers_in_graph", "papers", "results", "years", "rows", "rows_left_out", "code",
        "code_total", "entities", "names", "directions"}
