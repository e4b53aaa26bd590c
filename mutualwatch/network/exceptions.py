"""Errors of the branch network's records.

``NotAllowed``: the permission table refuses the person this action on this record (a member
adding a meeting, an officer editing another branch's note, anyone recording a branch joining
without the right to edit that branch).
``RecordRefused``: the record itself cannot be as asked (a meeting attended by a branch outside
the network, a title left empty); it names the field.
"""


class NetworkError(Exception):
    """Base of the branch network's errors."""


class NotAllowed(NetworkError):
    pass


class RecordRefused(NetworkError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems.items()))
