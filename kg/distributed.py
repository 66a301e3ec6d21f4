"""Extraction on a Dask cluster: chunks of papers as futures, results merged in input order.

Without a scheduler address a ``LocalCluster`` of worker processes (one thread each) is
started for the run; with one, kg connects to that cluster (``dask scheduler`` plus
``dask worker ADDRESS`` on each machine, every worker with kg and the same model installed).
Papers are read by the client, which keeps at most two chunks per worker in flight and
takes the results back in submission order, so the output is the single-process output.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KGError
from kg.parallel import ordered_results
from kg.pipeline import ExtractedChunk, extract_chunk, warm_pipeline

__all__ = ["dask_extract"]

CONNECT_TIMEOUT = "30s"


def dask_extract(
    chunks: Iterable[list[dict]],
    *,
    scheduler: str | None = None,
    workers: int = 2,
    model: str | Path | None = "auto",
    batch_size: int = 64,
    min_confidence: float | None = None,
) -> Iterator[ExtractedChunk]:
    """Records of each chunk of paper dicts, extracted on Dask workers, in input order.

    ``scheduler`` is a scheduler address (``tcp://host:8786``); None starts a
    ``LocalCluster`` with ``workers`` processes for the duration of the run.
    """
    with _client(scheduler, workers) as client:
        client.run(warm_pipeline, model)
        slots = max(sum(client.nthreads().values()), 1)

        def submit(chunk: list[dict]) -> Callable[[], ExtractedChunk]:
            return client.submit(extract_chunk, chunk, model, batch_size, min_confidence,
                                 pure=False).result

        yield from ordered_results(submit, chunks, window=2 * slots)


@contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[object]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise KGError(f"--engine dask needs the 'distributed' package: {error}") from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as error:
            raise KGError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        with Client(cluster) as client:
            yield client
