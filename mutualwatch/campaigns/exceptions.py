"""Errors the campaign case files raise. All are the officer's to fix: never retryable.

A refusal by the permission table is the register's ``NotAllowed`` (one permission error for
the whole project); these are the case files' own rules.
"""


class CaseError(Exception):
    """Base class: a change to a case was refused and nothing was changed. The message says
    why and what to do."""


class ArrangementRequired(CaseError):
    """Raised when an outcome is recorded on a case not yet linked to the register's
    arrangement: a register event must be about an arrangement."""


class ArrangementMismatch(CaseError):
    """Raised when the arrangement linked to a case is another council's or service's."""


class NotInBranch(CaseError):
    """Raised when an action is given to someone who is not a member of the case's branch, or
    a case is opened about a council its branch does not cover."""


class NotInNetwork(CaseError):
    """Raised when a branch outside the branch network would share a case with it."""


class OutcomeAlreadyRecorded(CaseError):
    """Raised when a case's outcome is recorded again while its register event is under
    review or published: the register's review decides on it now."""
