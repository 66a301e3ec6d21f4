"""A build's output directory: what kg may write into, and a switch to new outputs that a
kill cannot leave half done.

A build writes everything (``papers.jsonl``, the exports, ``store/``) into
``OUT/.kg-staging/``.  When all is written it marks the staging directory complete (the
commit point) and moves each entry into ``OUT``, ``store/`` last; the earlier build's
entries are moved aside to ``OUT/.kg-old/`` first and deleted at the end.  A kill before
the commit point leaves the earlier build as it was (the next run removes the staging
directory, and says so); a kill after it is finished by the next run (the renames are
repeated).  Either way ``OUT`` then holds one complete build.

kg writes only into an empty directory or an earlier kg build (one with ``store/kg.sqlite``
or ``.kg-build.json``), unless forced, and refuses an output directory that holds one of the
build's inputs.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import OutputDirectoryError
from kg.build.lock import LOCK_NAME, DirectoryLock
from kg.build.store import STORE_DIRNAME, is_store

__all__ = ["BuildDirectory", "ENTRIES_NAME", "STAGING_NAME", "check_output_directory",
           "check_output_file", "recover"]

STAGING_NAME = ".kg-staging"
OLD_NAME = ".kg-old"
# Written in the staging directory when the build is complete: the list of its entries.
_COMPLETE = ".complete"
# An entry of every build: the list of its entries, so the next build can remove those it
# lacks.  With store/, it marks a kg build (it stays in a copy of the outputs without the
# store, such as a checked-in demo).
ENTRIES_NAME = ".kg-build.json"
_OWN = frozenset({STAGING_NAME, OLD_NAME, LOCK_NAME, ENTRIES_NAME})


class BuildDirectory:
    """The output directory of one build, locked while the build runs.

    ``staging`` is where the build writes; ``commit()`` switches ``OUT`` to it.  Leaving the
    ``with`` block without a commit (an error) removes the staging directory and keeps the
    earlier build.  ``notes`` says what was recovered from an interrupted build.

    >>> with BuildDirectory(Path("out"), inputs=[Path("papers.jsonl")]) as target:  # doctest: +SKIP
    ...     (target.staging / "papers.jsonl").write_text("...")
    ...     target.commit()
    """

    def __init__(self, out: str | Path, *, inputs: Iterable[Path] = (), update: bool = False,
                 force: bool = False) -> None:
        if str(out) == "":
            raise OutputDirectoryError("an empty output directory name; give a directory", "''")
        self.out = Path(out)
        self.staging = self.out / STAGING_NAME
        self.notes: list[str] = []
        self._update = update
        self._force = force
        self._inputs = list(inputs)
        self._lock = DirectoryLock(self.out)
        self._committed = False

    def __enter__(self) -> BuildDirectory:
        check_output_directory(self.out, self._inputs, update=self._update, force=self._force)
        with _writing(self.out):
            self.out.mkdir(parents=True, exist_ok=True)
        self._lock.__enter__()
        try:
            if self._lock.stale:
                self.notes.append(f"took over the lock of a build that did not finish "
                                  f"({self._lock.stale})")
            self.notes.extend(recover(self.out))
            with _writing(self.out):
                self.staging.mkdir()
        except BaseException:
            self._lock.__exit__()
            raise
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        try:
            if not self._committed:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._lock.__exit__()

    def final(self, path: Path) -> Path:
        """Where ``path``, written in the staging directory, is once committed."""
        return self.out / path.relative_to(self.staging) if path.is_relative_to(self.staging) else path

    def commit(self) -> None:
        """Switch ``OUT`` to the staged build (every entry written; the store closed)."""
        entries = sorted({entry.name for entry in self.staging.iterdir()} | {ENTRIES_NAME})
        with _writing(self.out):
            (self.staging / ENTRIES_NAME).write_text(json.dumps(entries) + "\n", encoding="utf-8")
            _write_atomically(self.staging / _COMPLETE, json.dumps(entries))
            _switch(self.out)
        self._committed = True


def check_output_directory(out: Path, inputs: Iterable[Path], *, update: bool, force: bool) -> None:
    """Refuse an output directory kg must not write into (see the module docstring)."""
    if out.exists() and not out.is_dir():
        raise OutputDirectoryError("not a directory; give a directory for the outputs", out)
    resolved = out.resolve()
    for path in inputs:
        where = Path(path).resolve()
        if where == resolved or where.is_relative_to(resolved):
            raise OutputDirectoryError(
                f"holds the input {path}: a build would overwrite it or read its own outputs; "
                "move the input or choose another output directory", out)
    if update or force or not out.exists():
        return
    foreign = sorted(entry.name for entry in out.iterdir() if entry.name not in _OWN)
    if foreign and not _is_build(out):
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise OutputDirectoryError(
            f"not empty and not a kg build (it holds {shown} and no {STORE_DIRNAME}/kg.sqlite); "
            "choose an empty directory, or pass --force to write kg's files into it", out)


def _is_build(out: Path) -> bool:
    """Whether ``out`` holds a kg build, or one a kill interrupted while it was switched in."""
    return is_store(out / STORE_DIRNAME) or any(
        path.is_file() for path in (out / ENTRIES_NAME, out / STAGING_NAME / _COMPLETE))


def check_output_file(path: Path, inputs: Iterable[Path]) -> None:
    """Refuse a records file (``kg extract -o``) that is one of the inputs."""
    if str(path) == "":
        raise OutputDirectoryError("an empty output file name; give a file", "''")
    if path.is_dir():
        raise OutputDirectoryError("is a directory; give a file for the records", path)
    resolved = path.resolve()
    for source in inputs:
        if Path(source).resolve() == resolved:
            raise OutputDirectoryError("is also an input; write the records to another file", path)


def recover(out: Path) -> list[str]:
    """Finish or undo a build a kill interrupted (call it holding the lock); what was done."""
    staging, old = out / STAGING_NAME, out / OLD_NAME
    notes = []
    if (staging / _COMPLETE).is_file():
        _switch(out)
        notes.append(f"finished switching {out} to the build that was interrupted while its "
                     "outputs were moved into place")
    elif staging.exists():
        shutil.rmtree(staging)
        notes.append(f"removed {staging}: the unfinished outputs of an interrupted build "
                     "(the earlier build was kept)")
    if old.exists():
        shutil.rmtree(old)
    return notes


def _switch(out: Path) -> None:
    """Move the complete staging directory's entries into ``out`` (idempotent; see above)."""
    staging, old = out / STAGING_NAME, out / OLD_NAME
    entries = json.loads((staging / _COMPLETE).read_text(encoding="utf-8"))
    earlier = _earlier_entries(out)
    old.mkdir(exist_ok=True)
    for name in sorted(set(earlier) - set(entries)):
        _move_aside(out / name, old)
    for name in sorted(entries, key=lambda name: name == STORE_DIRNAME):
        if (staging / name).exists() or (staging / name).is_symlink():
            _move_aside(out / name, old)
            os.replace(staging / name, out / name)
    shutil.rmtree(old)
    shutil.rmtree(staging)


def _earlier_entries(out: Path) -> list[str]:
    """The entries the build now in ``out`` wrote (none known for builds of older kg)."""
    try:
        entries = json.loads((out / ENTRIES_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [name for name in entries if isinstance(name, str) and name not in _OWN - {ENTRIES_NAME}
            and "/" not in name and name not in ("", ".", "..")]


def _move_aside(path: Path, old: Path) -> None:
    if path.exists() or path.is_symlink():
        target = old / path.name
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        os.replace(path, target)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


@contextmanager
def _writing(out: Path) -> Iterator[None]:
    """OSError (read-only, no permission, disk full) as a one-line OutputDirectoryError."""
    try:
        yield
    except OSError as error:
        raise OutputDirectoryError(
            f"cannot write into the output directory: {error.strerror or error}", out) from None
