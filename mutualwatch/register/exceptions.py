"""Errors the register raises. All are user errors: fatal for the request, never retryable."""


class RegisterError(Exception):
    """Base class: a write to the register was refused. The message says why."""


class NotAllowed(RegisterError):
    """Raised when the permission table does not let this person take this action."""


class SourceRequired(RegisterError):
    """Raised when an arrangement or event would be recorded without any source."""


class ReviewRuleBroken(RegisterError):
    """Raised when a review step is taken out of order (e.g. publishing an unverified record)
    or would publish a record resting on unpublished ones."""


class RegisterFileError(RegisterError):
    """Raised when an import file is unreadable or a record in it is invalid.

    Names the file, the record (CSV row or JSON position), the field and the reason.
    """

    def __init__(self, path: str, record: str, field: str, reason: str) -> None:
        self.path, self.record, self.field, self.reason = path, record, field, reason
        where = f"{path}, {record}" + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {reason}")
