"""Errors the guidance library raises. All are user errors: fatal for the request, never
retryable. Refusals by the permission table or the review rules are the register's own
``NotAllowed`` and ``ReviewRuleBroken``, so that every page treats them alike."""

from mutualwatch.register.exceptions import RegisterError


class GuidanceError(RegisterError):
    """Base class: a write to the guidance library was refused. The message says why."""


class VersionUnchanged(GuidanceError):
    """Raised when a new version's text is the latest version's text: nothing to add."""


class QuoteNotFound(GuidanceError):
    """Raised when a position's quote does not occur word for word (whitespace aside) in the
    text of the version it cites."""


class DocumentFileError(GuidanceError):
    """Raised when a document file cannot be loaded; names the file and the reason."""
