"""Every error the registers app raises, with when it is raised.

All are fatal (the input is wrong and will be wrong again); management commands turn them into
a clean `CommandError` naming the file, never a traceback.
"""


class RegisterError(Exception):
    """Base class for the registers app's errors."""

    retryable = False


class WrongFileError(RegisterError):
    """Raised when a file is not the layout it was given as: its header differs, it cannot be
    read as text, or more than ``BAD_ROW_LIMIT`` of its rows are bad."""


class UnsafeArchiveError(RegisterError):
    """Raised for a zip that would write outside its folder, expands far beyond its size (a zip
    bomb), or holds no file of the expected kind."""


class SnapshotOrderError(RegisterError):
    """Raised when a snapshot is older than one already ingested: changes are found by
    comparing each snapshot with the one before it, so they must arrive in date order."""


class SnapshotDateError(RegisterError):
    """Raised when a snapshot's date is neither in its file name nor given with --as-of."""
