"""Wall and CPU time per stage of code that moves from stage to stage.

The CPU time is that of the calling thread (``time.thread_time``): what a stage of the
client costs when the client has a core of its own (on a cluster), whatever else shares
this machine's cores; the wall time is what it took here.

>>> clock = StageClock()
>>> clock.switch("read"); clock.switch("extract"); clock.switch(None)
>>> sorted(clock.seconds) == sorted(clock.cpu) == ["extract", "read"]
True
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

Item = TypeVar("Item")

__all__ = ["StageClock"]


class StageClock:
    """Seconds per stage: ``switch(stage)`` ends the running stage's interval (if any) and
    starts ``stage``'s (None: no stage runs); ``stage`` runs one for a block, then returns
    to the one before."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()
        self._running: str | None = None
        self._wall = self._thread = 0.0

    def switch(self, stage: str | None) -> None:
        wall, thread = time.perf_counter(), time.thread_time()
        if self._running is not None:
            self.seconds[self._running] += wall - self._wall
            self.cpu[self._running] += thread - self._thread
        self._running, self._wall, self._thread = stage, wall, thread

    @contextmanager
    def stage(self, stage: str) -> Iterator[None]:
        before = self._running
        self.switch(stage)
        try:
            yield
        finally:
            self.switch(before)

    def timed(self, items: Iterable[Item], stage: str) -> Iterator[Item]:
        """``items``, the time spent getting each one charged to ``stage``."""
        iterator = iter(items)
        while True:
            with self.stage(stage):
                item = next(iterator, _END)
            if item is _END:
                return
            yield item  # type: ignore[misc]


_END = object()
