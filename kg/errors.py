"""The one error hierarchy of kg: every error a user can act on is a ``KGError``.

Exit codes (``exit_code``, what the CLI exits with): 2 for what the user gave (options,
inputs, queries, the output directory), 1 for a run that failed on what kg itself needs
(a model or resource, an output that cannot be written).
"""
from __future__ import annotations


class KGError(Exception):
    """Base class of every error kg raises on purpose; the CLI prints it as one line."""

    exit_code = 1


class UsageError(KGError):
    """An option or argument that cannot be used as given (an unknown output format, a
    view without its focus, a name the graph does not hold)."""

    exit_code = 2


class InputError(KGError):
    """A file or record that cannot be read as the format it claims to be.

    ``path`` and ``line`` locate the problem so the message can name them.
    """

    exit_code = 2

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process, it crosses back whole: message, path and line.
        return _rebuilt, (type(self), str(self), self.__dict__)


def _rebuilt(kind: type[InputError], message: str, state: dict[str, object]) -> InputError:
    """An ``InputError`` (or subclass) with the message and attributes it had when pickled."""
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ModelError(KGError):
    """The spaCy pipeline or a shipped resource could not be loaded or used."""


class ExportError(KGError):
    """An output could not be written in the requested format."""


class QueryError(KGError):
    """A SPARQL query could not be parsed or run."""

    exit_code = 2


class OutputDirectoryError(KGError):
    """The output directory cannot take this build: not empty and not a kg build, in use by
    another build, not a directory or not writable.  ``path`` names it."""

    exit_code = 2

    def __init__(self, message: str, path: str | object) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {message}")
