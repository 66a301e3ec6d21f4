"""Extraction on every core of one machine: long-lived worker processes, results in input order.

Each worker loads the spaCy pipeline once (in its initializer) and then takes whole chunks
of papers (as dicts) and returns their records (``kg.pipeline.ExtractedChunk``).  At most
``window`` chunks are in flight, so memory stays flat however long the input is.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from kg.pipeline import ExtractedChunk, extract_chunk, warm_pipeline

Item = TypeVar("Item")
Result = TypeVar("Result")

__all__ = ["WorkerPool", "ordered_results"]


def ordered_results(
    submit: Callable[[Item], Callable[[], Result]], items: Iterable[Item], window: int
) -> Iterator[Result]:
    """Submit ``items`` with at most ``window`` pending and yield their results in input order.

    ``submit`` starts the work on one item and returns a function that waits for its result
    (``AsyncResult.get``, ``distributed.Future.result``), so both engines share this loop.

    >>> list(ordered_results(lambda x: (lambda: x * 2), [1, 2, 3], window=2))
    [2, 4, 6]
    """
    pending: deque[Callable[[], Result]] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft()()
    while pending:
        yield pending.popleft()()


class WorkerPool:
    """``workers`` spawned processes that each load the pipeline of ``model`` once.

    >>> with WorkerPool(2, model=None) as pool:                    # doctest: +SKIP
    ...     for chunk in pool.extract(chunks_of_paper_dicts):
    ...         ...
    """

    def __init__(self, workers: int, *, model: str | Path | None = "auto", batch_size: int = 64,
                 min_confidence: float | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self.workers = workers
        self._model = model
        self._batch_size = batch_size
        self._min_confidence = min_confidence
        self._pool = context.Pool(workers, initializer=warm_pipeline, initargs=(model,))

    def extract(self, chunks: Iterable[list[dict]]) -> Iterator[ExtractedChunk]:
        """Records of each chunk of paper dicts, in the order the chunks came."""

        def submit(chunk: list[dict]) -> Callable[[], ExtractedChunk]:
            return self._pool.apply_async(
                extract_chunk, (chunk, self._model, self._batch_size, self._min_confidence)).get

        return ordered_results(submit, chunks, window=2 * self.workers)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self._pool.close()
        else:
            self._pool.terminate()
        self._pool.join()
