"""Extraction on worker processes gives the single-process output, in input order."""
from __future__ import annotations

import threading
import time
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import ModelError
from kg.build.engines import WorkerPool, ordered_results
from kg.build.stages import extract_chunk, warm_pipeline
from kg.records import Paper
from kg.sample import SAMPLE_PATH
from scale_support import build_rules, output_bytes


def test_ordered_results_waits_for_earlier_items():
    finished: list[int] = []

    def submit(item: int):
        done = threading.Event()

        def work() -> None:
            time.sleep(0.05 if item == 0 else 0)  # the first item finishes last
            finished.append(item)
            done.set()

        threading.Thread(target=work).start()
        return lambda: (done.wait(), item)[1]

    assert list(ordered_results(submit, range(4), window=4)) == [0, 1, 2, 3]
    assert finished[-1] == 0


@pytest.mark.parametrize("window", [1, 2, 5])
def test_ordered_results_keeps_at_most_window_pending(window):
    pending: list[int] = []
    high_water = []

    def submit(item: int):
        pending.append(item)
        high_water.append(len(pending))
        return lambda: pending.remove(item) or item

    assert list(ordered_results(submit, range(7), window=window)) == list(range(7))
    assert max(high_water) == window


def test_pool_returns_chunks_in_order_as_in_process():
    papers = [Paper(id=f"t:{i}", title=f"BERT on SQuAD {i}", abstract="We use ResNet-50 on ImageNet.").to_dict()
              for i in range(6)]
    chunks = [papers[:1], papers[1:4], papers[4:]]
    with WorkerPool(2, warm=partial(warm_pipeline, None)) as pool:
        pooled = list(pool.map(extract_chunk, chunks, None))
    serial = [extract_chunk(chunk, None) for chunk in chunks]
    assert [c.ids for c in pooled] == [["t:0"], ["t:1", "t:2", "t:3"], ["t:4", "t:5"]]
    assert [(c.lines, c.entities) for c in pooled] == [(c.lines, c.entities) for c in serial]


def test_a_worker_that_cannot_warm_up_fails_the_call_instead_of_respawning(tmp_path: Path):
    chunk = [Paper(id="t:0", title="BERT", abstract="").to_dict()]
    with pytest.raises(ModelError, match="no-such-model"):
        with WorkerPool(2, warm=partial(warm_pipeline, str(tmp_path / "no-such-model"))) as pool:
            list(pool.map(extract_chunk, [chunk], None))


def test_two_workers_write_the_single_process_bytes(tmp_path: Path):
    build_rules([SAMPLE_PATH], tmp_path / "one", workers=1, chunk_size=7)
    summary = build_rules([SAMPLE_PATH], tmp_path / "two", workers=2, chunk_size=7)
    one, two = output_bytes(tmp_path / "one"), output_bytes(tmp_path / "two")
    assert summary.papers == 40
    assert "papers.jsonl" in one and "graph.nt" in one
    assert one == two


def test_extract_command_with_workers_matches_one_process(tmp_path: Path):
    runner = CliRunner()
    outputs = []
    for workers in ("1", "2"):
        target = tmp_path / f"records-{workers}.jsonl"
        result = runner.invoke(cli, ["extract", "--sample", "--model", "none", "--workers", workers,
                                     "-o", str(target), "-q"])
        assert result.exit_code == 0, result.output
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 40
