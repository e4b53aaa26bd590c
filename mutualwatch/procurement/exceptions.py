"""Every error the procurement app raises, with when it is raised.

Errors split in two: *fatal* errors mean the input or the configuration is wrong and running
again will fail the same way until someone fixes it; *retryable* errors come from the outside
world (the network, a locked database) and may succeed on a later attempt. Management commands
turn all of them into a clean `CommandError`, never a traceback.
"""

import functools
from typing import Any


class ProcurementError(Exception):
    """Base class for the procurement app's errors."""

    retryable = False


class FatalError(ProcurementError):
    """Base class for errors that will recur until the input or configuration is fixed."""


class RetryableError(ProcurementError):
    """Base class for errors that may go away if the operation is tried again."""

    retryable = True


class StandardNotFoundError(FatalError):
    """Raised when the OCDS schema or codelists are missing from ``settings.OCDS_STANDARD_DIR``.

    Ingest never fetches the standard: run ``mutualwatch fetch-standard`` first, or point
    ``MUTUALWATCH_OCDS_STANDARD`` at a directory holding ``release-schema.json`` and
    ``codelists/*.csv``.
    """


class InputNotFoundError(FatalError):
    """Raised when a path given to ``ingest-ocds`` does not exist or holds no readable files."""


class MalformedJSONError(FatalError):
    """Raised when an input file is not well-formed JSON (or a JSON Lines line is not).

    Names the file and, where known, the line and the byte offset at which parsing failed. For
    JSON Lines the lines before the bad one are kept; any other file is rejected whole.
    """

    def __init__(
        self, file: str, reason: str, *, line: int | None = None, byte_offset: int | None = None
    ) -> None:
        self.file = file
        self.reason = reason
        self.line = line
        self.byte_offset = byte_offset
        where = []
        if line is not None:
            where.append(f"line {line}")
        if byte_offset is not None:
            where.append(f"byte {byte_offset}")
        location = f" at {', '.join(where)}" if where else ""
        super().__init__(f"{file}{location}: malformed JSON: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:  # sent whole from the reading process
        rebuild = functools.partial(
            MalformedJSONError, line=self.line, byte_offset=self.byte_offset
        )
        return (rebuild, (self.file, self.reason))


class UnsupportedInputError(FatalError):
    """Raised when a file is well-formed JSON but not OCDS data in any shape ingest accepts.

    Accepted shapes: a release package, a record package, a record, a release, an array of
    releases or packages, or JSON Lines holding any of those, one per line.
    """

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (UnsupportedInputError, (self.file, self.reason))


class StandardDownloadError(RetryableError):
    """Raised by ``fetch-standard`` when the standard's site cannot be reached or returns an
    error. Usually transient: try again later, or copy the files in by hand."""
