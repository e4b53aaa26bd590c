"""Errors raised while generating a demo world. All are fatal for the run: retrying with the same
arguments fails the same way."""


class DemoWorldError(Exception):
    """Base class: a demo world could not be generated; the message says what to do."""


class OutputNotEmptyError(DemoWorldError):
    """Raised when the output directory holds files but is not a previous demo world, so
    generating into it could overwrite someone's data."""


class OutputNotDirectoryError(DemoWorldError):
    """Raised when the output path exists and is a file."""
