"""Opening input files: existence checks, transparent gzip, UTF-8 decoding with line numbers."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError
from kg.io.reader import Report, ignore_error

_GZIP_MAGIC = b"\x1f\x8b"
# What a damaged file raises while it is read: a truncated or corrupt gzip stream among them.
_READ_ERRORS = (OSError, EOFError, zlib.error)


def require_file(path: str) -> None:
    """Raise InputError unless ``path`` is an existing regular file."""
    where = Path(path)
    if not where.exists():
        raise InputError("no such file", path)
    if not where.is_file():
        raise InputError("not a regular file (expected a file of papers)", path)


def base_suffix(path: str) -> str:
    """The lower-cased extension, looking through a final ``.gz`` (``a.jsonl.gz`` -> ``.jsonl``)."""
    where = Path(path.lower())
    if where.suffix == ".gz":
        where = where.with_suffix("")
    return where.suffix


def is_gzip(path: str) -> bool:
    """Whether ``path`` is gzip-compressed (by its magic bytes)."""
    require_file(path)
    try:
        with open(path, "rb") as probe:
            return probe.read(2) == _GZIP_MAGIC
    except OSError as error:
        raise InputError(f"cannot open the file: {error.strerror or error}", path) from None


def open_binary(path: str) -> BinaryIO:
    """Open ``path`` for reading bytes, decompressing it when it is gzip (by its magic bytes)."""
    compressed = is_gzip(path)
    try:
        return gzip.open(path, "rb") if compressed else open(path, "rb")  # type: ignore[return-value]
    except OSError as error:
        raise InputError(f"cannot open the file: {error.strerror or error}", path) from None


def read_lines(path: str, report: Report | None = None) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` for each line, decoded as UTF-8, line ending kept.

    A line that is not UTF-8 raises InputError, or is given to ``report`` and left out.
    """
    with open_binary(path) as stream:
        yield from _decoded_lines(stream, path, 1, report)


def read_line_range(path: str, start: int, end: int, first_line: int,
                    report: Report | None = None) -> Iterator[tuple[int, str]]:
    """``read_lines`` of the lines in bytes ``start`` to ``end`` of the uncompressed file
    ``path``, the first of them line number ``first_line``."""
    require_file(path)
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot open the file: {error.strerror or error}", path) from None
    with handle:
        try:
            handle.seek(start)
            data = handle.read(end - start)
        except _READ_ERRORS as error:
            raise InputError(f"cannot read the file: {error}", path, first_line) from error
    if len(data) != end - start:
        raise InputError(f"the file ends before byte {end}; it changed while it was read", path, first_line)
    yield from _decoded_lines(io.BytesIO(data), path, first_line, report)


def _decoded_lines(stream: BinaryIO, path: str, first_line: int,
                   report: Report | None) -> Iterator[tuple[int, str]]:
    number = first_line - 1
    try:
        for number, raw in enumerate(stream, start=first_line):
            try:
                text = _decode(raw, path, number)
            except InputError as error:
                if report is None:
                    raise
                report(error)
                continue
            yield number, text.removeprefix("\ufeff") if number == 1 else text
    except _READ_ERRORS as error:
        raise InputError(f"cannot read the file: {error}", path, number + 1) from error


def read_bytes(path: str) -> bytes:
    """The whole (decompressed) file, for formats that are one document."""
    with open_binary(path) as stream:
        try:
            return stream.read()
        except _READ_ERRORS as error:
            raise InputError(f"cannot read the file: {error}", path) from error


def read_text(path: str) -> str:
    """The whole file decoded as UTF-8 (for formats that are one document)."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"not UTF-8 text ({error.reason}); expected UTF-8", path, line) from error


def read_head(path: str, size: int = 65536) -> bytes:
    """The first ``size`` bytes of the (decompressed) file, for sniffing its format."""
    with open_binary(path) as stream:
        try:
            return stream.read(size)
        except _READ_ERRORS as error:
            raise InputError(f"cannot read the file: {error}", path) from error


def non_blank_lines(path: str, limit: int) -> list[tuple[int, str]]:
    """The first ``limit`` non-blank lines, stripped, with their line numbers."""
    found: list[tuple[int, str]] = []
    with closing(read_lines(path, ignore_error)) as lines:
        for number, text in lines:
            if text.strip():
                found.append((number, text.strip()))
                if len(found) == limit:
                    break
    return found


def _decode(raw: bytes, path: str, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason}); expected UTF-8", path, line) from error
