"""The state of a build in ``OUT/store/``: what ``kg build --update`` and ``kg query`` read.

* ``kg.sqlite``: every paper's record with per-paper entity ids (table ``papers``, in input
  order: ``seq``), the entity table (``EntityTable.to_dict``) and the build settings
  (table ``meta``).  Updates add papers whose id is new and never re-extract old ones.
* ``rdf/``: a pyoxigraph on-disk store holding the triples of the graph, reloaded by
  every build, so SPARQL runs on it without parsing an export (left out by builds made
  with ``--no-rdf-store``).  ``RdfLoader`` loads it in a thread of its own while the
  triples are written (Oxigraph's bulk loader releases the GIL), so the load runs beside
  the rest of the build instead of after it.

Changes of one build are committed together at ``commit()``, so a failed update leaves the
previous state.
"""
from __future__ import annotations

import json
import queue
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError
from kg.graph.build import EntityTable
from kg.records import PaperRecord

__all__ = ["BuildStore", "RdfLoader", "STORE_DIRNAME", "TextKeys", "is_store", "open_rdf_store"]

STORE_DIRNAME = "store"
_DATABASE = "kg.sqlite"
_RDF = "rdf"
# Bytes of N-Triples per bulk load into the RDF store (see ``RdfLoader``).
LOAD_BYTES = 32 * 2**20
# Pieces of LOAD_BYTES waiting for the loader thread (each held in memory).
_PIECES_QUEUED = 2
# Triples of a Turtle export given to the loader at once.
_TURTLE_BATCH = 100_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS texts (key TEXT PRIMARY KEY);
"""


class BuildStore:
    """Records, entity table and RDF triples of one build directory.

    >>> store = BuildStore.create("out/store")          # doctest: +SKIP
    >>> store.add(ids, lines)                           # doctest: +SKIP
    >>> store.add_entities(entity_table_dict)           # doctest: +SKIP
    >>> store.commit()                                  # doctest: +SKIP
    """

    def __init__(self, directory: Path, connection: sqlite3.Connection) -> None:
        self.directory = directory
        self._connection = connection
        self.entities = EntityTable.from_dict(self._meta("entities", {}))

    @classmethod
    def create(cls, directory: str | Path) -> BuildStore:
        """A new, empty store in ``directory`` (replacing any store already there)."""
        directory = Path(directory)
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        return cls._connect(directory)

    @classmethod
    def open(cls, directory: str | Path) -> BuildStore:
        """The store of an earlier build; ``InputError`` when ``directory`` holds none."""
        directory = Path(directory)
        if not is_store(directory):
            raise InputError(f"no kg build store here (expected {_DATABASE}, written by `kg build`)",
                             str(directory))
        return cls._connect(directory)

    @classmethod
    def open_copy(cls, directory: str | Path, into: str | Path) -> BuildStore:
        """A copy, in the new directory ``into``, of the store of an earlier build, so an
        update changes the copy and the earlier store stays whole until the switch
        (``kg.build.outdir``).  The RDF store is not copied: every build loads it anew."""
        earlier = cls.open(directory)
        into = Path(into)
        into.mkdir(parents=True)
        copy = sqlite3.connect(into / _DATABASE)
        try:
            earlier._connection.backup(copy)
        finally:
            copy.close()
            earlier.close()
        return cls._connect(into)

    @classmethod
    def _connect(cls, directory: Path) -> BuildStore:
        connection = sqlite3.connect(directory / _DATABASE)
        connection.executescript(_SCHEMA)
        return cls(directory, connection)

    def __len__(self) -> int:
        return self._connection.execute("SELECT COUNT(*) FROM papers").fetchone()[0]

    def __contains__(self, paper_id: object) -> bool:
        return self.position(paper_id) is not None

    def position(self, paper_id: object) -> int | None:
        """Where the paper ``paper_id`` stands in the store (1, 2, ...), None when absent."""
        row = self._connection.execute("SELECT seq FROM papers WHERE id = ?", (paper_id,)).fetchone()
        return None if row is None else int(row[0])

    def last_position(self) -> int:
        """The position of the last paper stored (0 when empty)."""
        return int(self._connection.execute("SELECT COALESCE(MAX(seq), 0) FROM papers").fetchone()[0])

    def add(self, ids: Iterable[str], lines: Iterable[str]) -> None:
        """Add papers: their ids and record lines, in input order."""
        self._connection.executemany(
            "INSERT INTO papers (id, record) VALUES (?, ?)", zip(ids, lines, strict=True))

    @property
    def texts(self) -> TextKeys:
        """The text keys of the papers read (``kg.io.corpus.read_corpus``'s ``seen_texts``)."""
        return TextKeys(self._connection)

    def add_entities(self, entities: dict[str, dict]) -> None:
        """Add the entity table (``EntityTable.to_dict``) of the papers added."""
        self.entities.update(EntityTable.from_dict(entities))

    def lines(self) -> Iterator[str]:
        """Every record (per-paper entity ids) as its JSON line, in input order, streamed."""
        for (line,) in self._connection.execute("SELECT record FROM papers ORDER BY seq"):
            yield line

    def records(self) -> Iterator[PaperRecord]:
        """Every record (per-paper entity ids) in input order, streamed."""
        for line in self.lines():
            yield PaperRecord.from_dict(json.loads(line))

    def settings(self) -> dict[str, Any]:
        """The settings saved by the last build (``formats``, ``export_options``, ...)."""
        return self._meta("settings", {})

    def commit(self, settings: dict[str, Any]) -> None:
        """Save the entity table and ``settings`` and commit everything added."""
        rows = (("entities", json.dumps(self.entities.to_dict(), separators=(",", ":"))),
                ("settings", json.dumps(settings, sort_keys=True)))
        self._connection.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", rows)
        self._connection.commit()

    def rdf_loader(self, path: Path | None = None) -> RdfLoader:
        """A loader replacing the RDF store's triples (or making the store at ``path``) with
        the N-Triples given to it."""
        path = path or self.directory / _RDF
        if path.exists():
            shutil.rmtree(path)
        return RdfLoader(path)

    def load_rdf_from_exports(self, exports: Path) -> Path:
        """Load the RDF store from the N-Triples (``graph*.nt``) or Turtle (``graph.ttl``)
        that the build wrote in ``exports``: the store of a build made without one.  It is
        loaded beside and renamed into place when whole, so a kill leaves none half loaded."""
        ntriples = sorted(exports.glob("graph*.nt"))
        turtle = exports / "graph.ttl"
        if not ntriples and not turtle.is_file():
            raise InputError("no graph.nt or graph.ttl to load the RDF store from; rebuild with "
                             "--formats nt (or ttl) and --rdf-store", str(exports))
        loading = self.directory / f"{_RDF}.loading"
        if ntriples:
            self.load_rdf(ntriples, loading)
        else:
            with self.rdf_loader(loading) as loader:
                batch: list[str] = []
                for quad in ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE):
                    batch.append(f"{quad.triple} .\n")
                    if len(batch) == _TURTLE_BATCH:
                        loader.add("".join(batch))
                        batch = []
                loader.add("".join(batch))
        self.drop_rdf()
        return loading.replace(self.directory / _RDF)

    def load_rdf(self, ntriples: Iterable[Path], path: Path | None = None) -> Path:
        """Replace the RDF store's triples (or make the store at ``path``) with those of the
        N-Triples files; returns its path."""
        with self.rdf_loader(path) as loader:
            for file in ntriples:
                for piece in _line_pieces(file, LOAD_BYTES):
                    loader.add(piece)
        return loader.path

    def drop_rdf(self) -> None:
        """Remove the RDF store (a build without one must not leave an outdated one)."""
        shutil.rmtree(self.directory / _RDF, ignore_errors=True)

    def close(self) -> None:
        self._connection.close()

    def _meta(self, key: str, default: Any) -> Any:
        row = self._connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])


def is_store(directory: str | Path) -> bool:
    """Whether ``directory`` holds the store of a kg build (its ``kg.sqlite``)."""
    return (Path(directory) / _DATABASE).is_file()


class RdfLoader:
    """Loads N-Triples into a new RDF store at ``path`` in a thread, while they are written.

    ``add`` takes whole lines; they are loaded in pieces of at most ``LOAD_BYTES`` (or of
    one ``add``, when larger): the bulk loader holds a piece's triples in memory (about
    1.5 GB for 4M triples at once), so pieces keep the peak flat, and at most
    ``_PIECES_QUEUED`` wait; ``add_file`` queues a file of lines, which the thread reads in
    such pieces and then deletes.  The triples are kg's own, already valid terms, so the loader
    skips validating them.  Leaving the ``with`` block waits for the last piece and closes
    the store (``waited``: how long that took; ``busy``: seconds the thread spent loading);
    an error of the loader is raised there (and at the next ``add``).

    >>> with store.rdf_loader() as loader:            # doctest: +SKIP
    ...     loader.add(ntriples_text)
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.waited = 0.0
        self.busy = 0.0
        self._rdf: ox.Store | None = ox.Store(str(path))
        self._pieces: queue.Queue[bytes | Path | None] = queue.Queue(_PIECES_QUEUED)
        self._buffer: list[bytes] = []
        self._size = 0
        self._failed = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="kg-rdf-loader", daemon=True)
        self._thread.start()

    def add(self, lines: str | bytes) -> None:
        """Queue N-Triples lines (text ending in a line end) for loading."""
        if self._error is not None:
            raise self._error
        data = lines.encode("utf-8") if isinstance(lines, str) else lines
        if self._size + len(data) > LOAD_BYTES:
            self._send()
        self._buffer.append(data)
        self._size += len(data)

    def add_file(self, path: Path) -> None:
        """Queue the N-Triples file ``path`` for loading; the loader deletes it afterwards."""
        if self._error is not None:
            raise self._error
        self._send()
        self._pieces.put(path)

    def _send(self) -> None:
        if self._buffer:
            self._pieces.put(b"".join(self._buffer))
        self._buffer, self._size = [], 0

    def _load(self) -> None:
        assert self._rdf is not None
        while (piece := self._pieces.get()) is not None:
            if self._error is not None or self._failed:
                if isinstance(piece, Path):
                    piece.unlink(missing_ok=True)
                continue
            started = time.perf_counter()
            try:
                if isinstance(piece, Path):
                    for part in _line_pieces(piece, LOAD_BYTES):
                        self._rdf.bulk_load(input=part, format=ox.RdfFormat.N_TRIPLES, lenient=True)
                    piece.unlink()
                else:
                    self._rdf.bulk_load(input=piece, format=ox.RdfFormat.N_TRIPLES, lenient=True)
            except BaseException as error:  # raised again in the build's thread
                self._error = error
            self.busy += time.perf_counter() - started

    def __enter__(self) -> RdfLoader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        started = time.perf_counter()
        self._failed = kind is not None
        if not self._failed:
            self._send()
        self._pieces.put(None)
        self._thread.join()
        if self._rdf is not None and not self._failed and self._error is None:
            self._rdf.flush()
        self._rdf = None  # closes the store
        self.waited = time.perf_counter() - started
        if self._error is not None and not self._failed:
            raise self._error


def _line_pieces(path: Path, size: int) -> Iterator[bytes]:
    """The bytes of ``path`` in pieces of about ``size`` bytes, each ending at a line end."""
    rest = b""
    with path.open("rb") as handle:
        while data := handle.read(size):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            if cut:
                yield data[:cut]
            rest = data[cut:]
    if rest:
        yield rest


def open_rdf_store(path: str | Path) -> ox.Store:
    """The RDF store of a build, read-only, from its directory, its ``store/`` or ``store/rdf/``.

    >>> store = open_rdf_store("outputs")                          # doctest: +SKIP
    >>> list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))   # doctest: +SKIP
    """
    path = Path(path)
    for candidate in (path / STORE_DIRNAME / _RDF, path / _RDF, path):
        if (candidate / "CURRENT").is_file():
            return ox.Store.read_only(str(candidate))
    raise InputError("no kg RDF store here (expected store/rdf/ written by `kg build`; a build made "
                     "with --no-rdf-store has none: query its graph.ttl or graph.nt)", str(path))


class TextKeys:
    """The text keys of the papers a build has read, kept in its store (table ``texts``), so
    that the same paper with and without an identifier is kept once however large the corpus."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __contains__(self, key: object) -> bool:
        return self._connection.execute("SELECT 1 FROM texts WHERE key = ?", (key,)).fetchone() is not None

    def add(self, key: str) -> None:
        self._connection.execute("INSERT OR IGNORE INTO texts (key) VALUES (?)", (key,))
