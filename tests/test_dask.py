"""The Dask engine (a real LocalCluster of 2 worker processes) gives the single-process output."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KGError
from kg.build import extracted_chunks
from kg.sample import SAMPLE_PATH
from scale_support import FORMATS, build_rules, output_bytes

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("single")
    build_rules([SAMPLE_PATH], out)
    return output_bytes(out)


def test_default_local_cluster_matches_single_process(tmp_path: Path, single_process):
    summary = build_rules([SAMPLE_PATH], tmp_path, engine="dask", chunk_size=6)
    assert summary.papers == 40
    assert output_bytes(tmp_path) == single_process


def test_build_on_a_scheduler_address_matches_single_process(tmp_path: Path, single_process):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        result = CliRunner().invoke(cli, [
            "build", "--sample", "--model", "none", "-o", str(tmp_path), "-q",
            "--formats", ",".join(FORMATS), "--engine", "dask", "--scheduler", cluster.scheduler_address,
        ])
        workers_used = len(cluster.scheduler_info["workers"])
    assert result.exit_code == 0, result.output
    assert workers_used == 2
    assert output_bytes(tmp_path) == single_process


def test_scheduler_needs_the_dask_engine():
    with pytest.raises(KGError, match="dask engine"):
        next(extracted_chunks([], scheduler="tcp://127.0.0.1:8786"))


def test_streamed_build_on_a_local_cluster_matches_single_process(tmp_path: Path):
    build_rules([SAMPLE_PATH], tmp_path / "single", stream=True)
    summary = build_rules([SAMPLE_PATH], tmp_path / "dask", engine="dask", stream=True, chunk_size=2)
    assert summary.where == {"read": "client", "store": "client", "extract": "workers",
                             "partitions": "workers", "shared": "workers", "aggregate": "workers"}
    assert output_bytes(tmp_path / "dask") == output_bytes(tmp_path / "single")
