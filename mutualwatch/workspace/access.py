"""Who may use the workspace and its review queue, read from the permission table.

Nothing here grants anything: each page still asks ``can`` about the record it shows, and each
write is checked again by the register's services.
"""

from typing import Any

from mutualwatch.branches.permissions import Role, may_review, standings_of

__all__ = ["holds_a_role", "may_review"]


def holds_a_role(user: Any) -> bool:
    """Anyone with a branch or national role; a logged-in person with none is only a visitor."""
    return any(standing.role != Role.VISITOR for standing in standings_of(user))
