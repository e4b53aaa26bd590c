"""Errors of the workforce records.

``TermsRefused``: an answer is impossible (negative pay, a week over 80 hours); it names the
field. ``LinkRefused``: a questionnaire link is unknown, expired or already answered.
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


class NotAllowed(WorkforceError):
    pass


class KeyMissing(WorkforceError):
    pass


class PublicationRefused(WorkforceError):
    pass
