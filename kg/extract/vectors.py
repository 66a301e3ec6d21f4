"""Floret static vectors that remember the vectors they computed.

A floret table has no row per word: each token's vector is the sum of the rows of its
character n-grams, hashed afresh every time the NER embeds a token (about 14% of the NER's
time on abstracts).  Words repeat a lot, so ``MemoFloretVectors`` keeps the vector of each
key it computed, up to ``max_keys`` keys (then it starts over), and returns the same numbers.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.vectors import Mode, Vectors

__all__ = ["MemoFloretVectors", "memoized"]

# Keys remembered at most: 200k vectors of 96 floats are 77 MB once all are used.
MAX_KEYS = 200_000


class MemoFloretVectors(Vectors):
    """A floret ``Vectors`` table whose ``get_batch`` remembers each key's vector."""

    def __init__(self, floret: Vectors, max_keys: int = MAX_KEYS) -> None:
        super().__init__(strings=floret.strings, data=floret.data, name=floret.name, mode=Mode.floret,
                         minn=floret.minn, maxn=floret.maxn, hash_count=floret.hash_count,
                         hash_seed=floret.hash_seed, bow=floret.bow, eow=floret.eow, attr=floret.attr)
        self.max_keys = max_keys
        self._rows: dict[int, int] = {}
        self._memo: np.ndarray | None = None

    def get_batch(self, keys: Iterable[int | str]) -> np.ndarray:
        """The vectors of ``keys`` (string hashes or strings), as ``Vectors.get_batch``."""
        hashes = [key if isinstance(key, int) else self.strings.as_int(key) for key in _as_list(keys)]
        rows = self._rows
        missing = [key for key in dict.fromkeys(hashes) if key not in rows]
        if missing:
            if self._memo is None or len(rows) + len(missing) > self.max_keys:
                rows.clear()
                missing = list(dict.fromkeys(hashes))
                # np.empty maps pages lazily: memory grows with the keys actually remembered.
                self._memo = np.empty((max(self.max_keys, len(missing)), self.data.shape[1]),
                                      dtype=self.data.dtype)
            computed = super().get_batch(np.asarray(missing, dtype="uint64"))
            start = len(rows)
            self._memo[start:start + len(missing)] = computed
            rows.update(zip(missing, range(start, start + len(missing))))
        assert self._memo is not None
        return self._memo[[rows[key] for key in hashes]]


def memoized(vectors: Vectors, max_keys: int = MAX_KEYS) -> Vectors:
    """``vectors`` as a ``MemoFloretVectors`` when it is a floret table, else unchanged."""
    if not isinstance(vectors, Vectors) or vectors.mode != Mode.floret or isinstance(vectors, MemoFloretVectors):
        return vectors
    return MemoFloretVectors(vectors, max_keys)


def _as_list(keys: Iterable[int | str]) -> list[int | str]:
    return keys.tolist() if isinstance(keys, np.ndarray) else list(keys)
