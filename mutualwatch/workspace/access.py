"""Who may use the workspace and its review queue, read from the permission table.

Nothing here grants anything: each page still asks ``can`` about the record it shows, and each
write is checked again by the register's services.
"""

from mutualwatch.branches.permissions import holds_a_role, may_review

__all__ = ["holds_a_role", "may_review"]
