"""Write and read the records file: one JSON object per paper (``schemas/papers.schema.json``)."""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import ExportError, InputError
from kg.records import PaperRecord

__all__ = ["write_records", "read_records", "record_line", "write_lines"]


def record_line(record: PaperRecord) -> str:
    """One record as one line of JSON (keys in a fixed order, non-ASCII kept as is)."""
    return json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":"))


def write_records(records: Iterable[PaperRecord], path: str | Path) -> int:
    """Stream ``records`` to ``path`` as JSON Lines; returns how many were written."""
    count = 0
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(record_line(record))
            handle.write("\n")
            count += 1
    return count


def read_records(path: str | Path) -> Iterator[PaperRecord]:
    """Read a records file written by ``write_records`` (or ``kg extract``)."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot open records file: {error.strerror}", str(path)) from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield PaperRecord.from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise InputError(
                    f"not a kg paper record ({error.__class__.__name__}: {error}); "
                    "expected one JSON object per line as written by `kg extract`",
                    str(path),
                    number,
                ) from None


def write_lines(lines: Iterable[str], path: Path) -> None:
    """Stream JSON lines to a temporary file beside ``path`` and rename it to ``path`` once
    all are written, so a failed or killed run leaves an earlier ``path`` as it was."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("w", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line + "\n")
        os.replace(temporary, path)
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(OSError):  # none was made where the directory cannot be
            temporary.unlink(missing_ok=True)
