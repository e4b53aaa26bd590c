"""Errors of the workforce records.

``TermsRefused``: an answer is impossible (negative pay, a week over 80 hours); it names the
field. ``LinkRefused``: a questionnaire link is unknown (``LinkUnknown``), expired or already
answered.
``NotAllowed``: the person may not read or change this branch's workforce records.
``KeyMissing``: special-category data cannot be sealed or opened without the key.
``PublicationRefused``: the tables could not be protected, so nothing was published.
"""


class WorkforceError(Exception):
    """Base of the workforce records' errors."""


class TermsRefused(WorkforceError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems.items()))


class LinkRefused(WorkforceError):
    pass


class LinkUnknown(LinkRefused):
    """No link has this token (as opposed to one answered or expired, which is gone)."""


class NotAllowed(WorkforceError):
    pass


class KeyMissing(WorkforceError):
    pass


class ReceiptUnknown(NotAllowed):
    """No answers of the branch have the receipt code quoted."""


class PublicationRefused(WorkforceError):
    pass
