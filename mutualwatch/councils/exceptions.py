"""Errors of the councils app. All are fatal for the file or request that caused them:
retrying the same input gives the same error, so the user must fix the input.
"""


class CouncilsError(Exception):
    """Base class: something the user asked the councils app to do cannot be done."""


class AuthorityFileError(CouncilsError):
    """Raised when a local-authority file (the register CSV, an ONS code list or the names
    lookup) cannot be read, has an unknown layout or holds a bad row. Nothing is written.

    The message names the file, the row (counting the header as row 1), the field and the
    reason, so a user can fix the file and run the import again.
    """

    def __init__(self, path: str, reason: str, row: int | None = None, field: str = "") -> None:
        self.path = path
        self.row = row
        self.field = field
        self.reason = reason
        where = path
        if row is not None:
            where += f", row {row}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {reason}")
