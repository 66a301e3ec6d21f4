"""Where the stages of a build run: in this process, in worker processes, or on Dask.

An engine knows nothing of kg's stages: it runs the picklable functions it is given.  Every
engine offers the same two operations, built on its own ``submit``:

* ``map(fn, items, *args)``: ``fn(item, *args)`` for each item, results in input order, at
  most ``window`` items in flight (memory stays flat however long the input is);
* ``reduce(fn, items)``: a tree (pairwise) reduction of ``items`` with ``fn(a, b)``, started
  as items arrive, so at most one pending value per level of the tree is held.

``InProcess`` calls the functions here; ``WorkerPool`` uses long-lived spawned processes
(``multiprocessing.Pool``), each warmed once by an initializer; ``DaskEngine`` uses a Dask
cluster's futures (a ``LocalCluster`` started for the run, or the scheduler at an address);
a reduction's partial results stay on the Dask workers as futures.
"""
from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.pool
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

from kg.errors import KGError

Item = TypeVar("Item")
Result = TypeVar("Result")
Warm = Callable[[], None]

__all__ = ["ENGINES", "DaskEngine", "Engine", "InProcess", "WorkerPool", "open_engine", "ordered_results"]

ENGINES = ("local", "dask")
CONNECT_TIMEOUT = "30s"


def ordered_results(
    submit: Callable[[Item], Callable[[], Result]], items: Iterable[Item], window: int
) -> Iterator[Result]:
    """Submit ``items`` with at most ``window`` pending and yield their results in input order.

    ``submit`` starts the work on one item and returns a function that waits for its result
    (``AsyncResult.get``, ``distributed.Future.result``), so every engine shares this loop.

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


class Engine:
    """The operations every engine offers; subclasses say how one call is submitted."""

    #: Worker processes (or Dask threads) the engine runs calls on; 1 for ``InProcess``.
    slots = 1
    #: Where the calls run, for reports: "client" or "workers".
    where = "workers"
    #: Whether the calls run where this process's files are (workers of this machine), so
    #: they can write files the client then moves into place.
    shares_files = False
    #: Whether results passed on to later calls stay on the workers (Dask futures); else
    #: each one comes back through this process, so a reduction of large values costs here.
    keeps_results = False

    def submit(self, fn: Callable[..., Result], *args: Any) -> Any:
        """Start ``fn(*args)``; returns a handle that ``wait`` turns into the result.  A handle
        may be passed as an argument to a later ``submit`` (Dask keeps it on the workers)."""
        raise NotImplementedError

    def wait(self, handle: Any) -> Any:
        """The result of a ``submit`` handle."""
        raise NotImplementedError

    def broadcast(self, value: Any) -> Any:
        """A handle of ``value`` for the arguments of many calls (Dask sends it to every
        worker once; the other engines pass the value itself)."""
        return value

    def map(self, fn: Callable[..., Result], items: Iterable[Any], *args: Any) -> Iterator[Result]:
        """``fn(item, *args)`` for each of ``items``, in input order."""

        def submit(item: Any) -> Callable[[], Result]:
            handle = self.submit(fn, item, *args)
            return lambda: self.wait(handle)

        return ordered_results(submit, items, window=2 * self.slots)

    def reduce(self, fn: Callable[[Result, Result], Result], items: Iterable[Result],
               empty: Result) -> Result:
        """``fn`` folded over ``items`` as a balanced tree (``fn`` must be associative and
        commutative for the result not to depend on the tree's shape); ``empty`` when none.

        Like a binary counter: level ``k`` holds at most one value standing for ``2**k``
        items; a second one at that level is merged with it (submitted) into level ``k+1``.
        """
        levels: list[Any] = []
        for item in items:
            value, level = item, 0
            while level < len(levels) and levels[level] is not None:
                value = self.submit(fn, levels[level], value)
                levels[level] = None
                level += 1
            if level == len(levels):
                levels.append(None)
            levels[level] = value
        rest = [value for value in levels if value is not None]
        if not rest:
            return empty
        total = rest[0]
        for value in rest[1:]:
            total = self.submit(fn, value, total)
        return self.wait(total)

    def close(self, failed: bool) -> None:
        """Release the engine's processes (at once when ``failed``)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(kind is not None)


class _Done:
    """The handle of a call already made."""

    def __init__(self, value: Any) -> None:
        self.value = value


class InProcess(Engine):
    """Every call in this process, when it is submitted."""

    where = "client"
    shares_files = True

    def __init__(self, warm: Warm | None = None) -> None:
        if warm is not None:
            warm()

    def submit(self, fn: Callable[..., Result], *args: Any) -> _Done:
        return _Done(fn(*(arg.value if isinstance(arg, _Done) else arg for arg in args)))

    def wait(self, handle: Any) -> Any:
        return handle.value if isinstance(handle, _Done) else handle


class WorkerPool(Engine):
    """``workers`` spawned processes, each warmed once by ``warm`` (e.g. loading a pipeline).

    >>> with WorkerPool(2, warm=functools.partial(load_pipeline, model=None)) as pool:  # doctest: +SKIP
    ...     for result in pool.map(extract_chunk, chunks_of_paper_dicts):
    ...         ...
    """

    def __init__(self, workers: int, warm: Warm | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self.slots = workers
        self.shares_files = True
        # A failing initializer would make the pool spawn workers again and again, forever:
        # the error is kept in the worker instead and raised by its first call.
        self._pool = context.Pool(workers, initializer=_warm_worker, initargs=(warm,))

    def submit(self, fn: Callable[..., Result], *args: Any) -> Any:
        return self._pool.apply_async(_call_warmed, (fn, *(self.wait(arg) for arg in args)))

    def wait(self, handle: Any) -> Any:
        return handle.get() if isinstance(handle, multiprocessing.pool.AsyncResult) else handle

    def close(self, failed: bool) -> None:
        if failed:
            self._pool.terminate()
        else:
            self._pool.close()
        self._pool.join()


_warm_error: BaseException | None = None  # in a pool's worker: what its warm-up raised


def _warm_worker(warm: Warm | None) -> None:
    global _warm_error
    try:
        if warm is not None:
            warm()
    except Exception as error:  # noqa: BLE001  (raised again by the worker's calls)
        _warm_error = error


def _call_warmed(fn: Callable[..., Result], *args: Any) -> Result:
    if _warm_error is not None:
        raise _warm_error
    return fn(*args)


class DaskEngine(Engine):
    """Calls as futures of a Dask ``client``; each worker is warmed once by ``warm``.
    ``shares_files``: the workers run on this machine (a ``LocalCluster``)."""

    keeps_results = True

    def __init__(self, client: Any, warm: Warm | None = None, shares_files: bool = False) -> None:
        self._client = client
        self.shares_files = shares_files
        if warm is not None:
            client.run(warm)
        self.slots = max(sum(client.nthreads().values()), 1)

    def submit(self, fn: Callable[..., Result], *args: Any) -> Any:
        return self._client.submit(fn, *args, pure=False)

    def broadcast(self, value: Any) -> Any:
        return self._client.scatter(value, broadcast=True)

    def wait(self, handle: Any) -> Any:
        from distributed import Future

        return handle.result() if isinstance(handle, Future) else handle


@contextmanager
def open_engine(engine: str = "local", *, workers: int | None = None, scheduler: str | None = None,
                warm: Warm | None = None) -> Iterator[Engine]:
    """The engine a build asked for, closed (its processes ended) on exit.

    ``engine="local"`` runs in this process (``workers`` 1 or None) or in ``workers``
    spawned processes; ``engine="dask"`` on the Dask cluster at ``scheduler`` or on a local
    one of ``workers`` (default 2) processes of one thread each.
    """
    if engine not in ENGINES:
        raise KGError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise KGError("a scheduler address needs the dask engine (--engine dask)")
    if engine == "dask":
        with _dask_client(scheduler, workers or 2) as client:
            yield DaskEngine(client, warm, shares_files=scheduler is None)
        return
    chosen: Engine = WorkerPool(workers, warm) if workers is not None and workers > 1 else InProcess(warm)
    with chosen:
        yield chosen


@contextmanager
def _dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
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
