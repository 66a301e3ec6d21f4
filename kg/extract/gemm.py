"""Matrix products for the NER on numpy's BLAS, exact row by row.

thinc's ``NumpyOps.gemm`` runs on blis, which on this project's machine (AMD EPYC, one core)
reaches a third of the speed of the OpenBLAS numpy ships: 30-36 against ~100 GFLOP/s for the
tok2vec's 288x288 product, and the tok2vec's products were 77% of its time, the tok2vec 74%
of the NER's.  OpenBLAS is not exact row by row, though: a row's result depends on where the
row falls in the matrix (its kernels treat edge rows and pairs of row groups differently), so
a paper's vectors would depend on the papers batched with it, and a paper could come out
differently in an update than in a full build.  blis gives every row the same arithmetic.

``RowExactOps.gemm`` keeps that property and most of OpenBLAS's speed: it multiplies the
rows in blocks of a few rows, stacked (``matmul`` of an ``(n_blocks, block, k)`` array), the
last block padded with zeros, so every row goes through one call of the same shape.  For each
shape of weights it first checks, with random numbers, that every position in a block gives a
row the same bits; it takes the largest block that does (8, 4, 2 or 1 rows) and falls back to
blis when none does.  The floats differ from blis's in their last bits, the entities do not
(``scripts/bench_rules`` counts the texts whose entities differ: none of 2,000).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
from thinc.api import Model, NumpyOps
from threadpoolctl import ThreadpoolController

__all__ = ["BLOCKS", "RowExactOps", "one_blas_thread", "row_exact_block", "use_row_exact_ops"]

# Rows per block, largest first: bigger blocks reuse each weight more often and run faster.
BLOCKS = (8, 4, 2, 1)
_PROBE_BLOCKS = 3  # blocks in one probing call, so the stacked loop is exercised too


def row_exact_block(k: int, n: int, dtype: np.dtype = np.dtype("float32"),
                    blocks: Iterable[int] = BLOCKS, seed: int = 0) -> int | None:
    """The largest block of rows for which stacked ``matmul`` gives a row of a ``(?, k)`` array
    times a ``(k, n)`` matrix the same bits at every position of a block; ``None`` when none.
    """
    rng = np.random.default_rng(seed)
    weights = rng.standard_normal((k, n)).astype(dtype)
    row = rng.standard_normal(k).astype(dtype)
    for block in blocks:
        seen: set[bytes] = set()
        for position in range(block * _PROBE_BLOCKS):
            rows = rng.standard_normal((block * _PROBE_BLOCKS, k)).astype(dtype)
            rows[position] = row
            seen.add(_stacked(rows, weights, block)[position].tobytes())
            if len(seen) > 1:
                break
        if len(seen) == 1:
            return block
    return None


def _stacked(rows: np.ndarray, weights: np.ndarray, block: int) -> np.ndarray:
    """``rows @ weights`` computed in stacked blocks of ``block`` rows, the last one padded."""
    count, k = rows.shape
    rows = np.ascontiguousarray(rows)
    whole = count - count % block
    product = np.empty((count, weights.shape[1]), dtype=np.result_type(rows, weights))
    if whole:
        np.matmul(rows[:whole].reshape(whole // block, block, k), weights,
                  out=product[:whole].reshape(whole // block, block, weights.shape[1]))
    if whole != count:
        last = np.zeros((1, block, k), dtype=rows.dtype)
        last[0, :count - whole] = rows[whole:]
        product[whole:] = np.matmul(last, weights)[0, :count - whole]
    return product


class RowExactOps(NumpyOps):
    """``NumpyOps`` whose ``gemm`` of float32 matrices runs on numpy's BLAS in probed blocks."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._blocks: dict[tuple[int, int, str], int | None] = {}

    def gemm(self, x: np.ndarray, y: np.ndarray, out: np.ndarray | None = None,
             trans1: bool = False, trans2: bool = False) -> np.ndarray:
        left = x.T if trans1 else x
        right = y.T if trans2 else y
        if left.ndim != 2 or right.ndim != 2 or left.dtype != np.float32 or right.dtype != np.float32:
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        key = (left.shape[1], right.shape[1], left.dtype.str)
        with one_blas_thread():
            if key not in self._blocks:
                self._blocks[key] = row_exact_block(key[0], key[1], left.dtype)
            block = self._blocks[key]
            if block is None:
                return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
            product = _stacked(left, np.ascontiguousarray(right), block)
        if out is None:
            return product
        out[...] = product
        return out


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


_limited = False  # whether a one_blas_thread block holds the limit now


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread inside the block (blocks of 8 rows gain nothing from more,
    and each worker of a build has a core of its own).  ``RowExactOps.gemm`` limits the threads
    itself outside such a block, at some cost per product: wrap long runs of the NER in it.
    Blocks nest; the outermost one sets the limit and restores the threads on leaving.
    """
    global _limited
    if _limited:
        yield
        return
    with _controller().limit(limits=1, user_api="blas"):
        _limited = True
        try:
            yield
        finally:
            _limited = False


def use_row_exact_ops(model: Model, ops: RowExactOps | None = None) -> RowExactOps:
    """Run every layer of ``model`` on ``ops`` (a new ``RowExactOps`` by default); returns it."""
    ops = ops if ops is not None else RowExactOps()
    for node in model.walk():
        node.ops = ops
    return ops
