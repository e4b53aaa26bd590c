"""Who may use the workspace and its review queue, read from the permission table.

Nothing here grants anything: each page still asks ``can`` about the record it shows, and each
write is checked again by the register's services.
"""

from typing import Any

from mutualwatch.branches.permissions import PERMISSIONS, Action, Kind, Role, Scope, standings_of


def holds_a_role(user: Any) -> bool:
    """Anyone with a branch or national role; a logged-in person with none is only a visitor."""
    return any(standing.role != Role.VISITOR for standing in standings_of(user))


def may_review(user: Any) -> bool:
    """Whoever the table lets verify or publish evidence: the review queue is theirs."""
    cells = [PERMISSIONS[Kind.EVENT][Action.VERIFY], PERMISSIONS[Kind.EVENT][Action.PUBLISH]]
    return any(row[standing.role] != Scope.NONE for standing in standings_of(user) for row in cells)
