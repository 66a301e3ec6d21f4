"""One build per output directory at a time: an exclusive lock on ``OUT/.kg-lock``.

The lock is an ``flock`` on the file, so the kernel releases it when its holder dies, even
by SIGKILL: a lock is never left behind by a dead process.  The file names its holder (pid,
command, start time) for the error a second build gets; it is emptied on release, so a
holder's name still there when the lock is taken is that of a build that was killed.
"""
from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

from kg.errors import OutputDirectoryError

__all__ = ["LOCK_NAME", "DirectoryLock"]

LOCK_NAME = ".kg-lock"


class DirectoryLock:
    """The lock of one output directory (which must exist).

    >>> with DirectoryLock(Path("out")) as lock:   # doctest: +SKIP
    ...     print(lock.stale)                      # the holder a killed build left, or None
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / LOCK_NAME
        self.stale: str | None = None
        self._descriptor: int | None = None

    def __enter__(self) -> DirectoryLock:
        try:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise OutputDirectoryError(
                f"cannot write into the output directory: {error.strerror or error}",
                self.directory) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(descriptor) or "a process that has not named itself yet"
            os.close(descriptor)
            raise OutputDirectoryError(
                f"another kg build is writing into this directory ({holder}); wait for it to "
                "finish or choose another output directory", self.directory) from None
        self.stale = _read(descriptor) or None
        _write(descriptor, _holder())
        self._descriptor = descriptor
        return self

    def __exit__(self, *_: object) -> None:
        if self._descriptor is not None:
            _write(self._descriptor, "")
            os.close(self._descriptor)  # closing releases the flock
            self._descriptor = None


def _holder() -> str:
    """Who holds the lock: pid, command (``kg ...`` also when run as ``python -m kg``), time."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if program in ("kg", "__main__.py"):
        program = "kg"
    command = " ".join([program, *sys.argv[1:]])
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
    return f"pid {os.getpid()}, `{command}`, since {started}"


def _read(descriptor: int) -> str:
    os.lseek(descriptor, 0, os.SEEK_SET)
    return os.read(descriptor, 4096).decode("utf-8", errors="replace").strip()


def _write(descriptor: int, text: str) -> None:
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, text.encode(), 0)
