"""Who may read and change a branch's workforce records, and the log of every time they do.

The permission table (``branches.permissions``, kind "workforce record") gives them to the
branch's own officers only. The one other way in is an administrator's break-glass grant:
for one branch, with a stated reason, for ``WORKFORCE_BREAK_GLASS_MINUTES``, itself logged.
Every read of an individual record goes through ``read_record`` and is logged: who, when, what.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import Action, Kind, Role, can, standings_of
from mutualwatch.workforce import crypto
from mutualwatch.workforce.exceptions import NotAllowed
from mutualwatch.workforce.models import (
    AccessAction,
    AccessLog,
    BreakGlass,
    Evidence,
    QuestionnaireLink,
    TermsRecord,
)


def log(
    user: Any,
    action: AccessAction,
    *,
    branch: Branch | int | None = None,
    record: Any = None,
    count: int = 1,
    reason: str = "",
) -> None:
    authenticated = user is not None and user.is_authenticated
    AccessLog.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        branch_id=branch.pk if isinstance(branch, Branch) else branch,
        record_kind=type(record).__name__ if record is not None else "",
        record_id=record.pk if record is not None else None,
        count=count,
        reason=reason,
    )


def is_administrator(user: Any) -> bool:
    return any(standing.role == Role.ADMINISTRATOR for standing in standings_of(user))


def open_grant(user: Any, branch_id: int) -> BreakGlass | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        BreakGlass.objects.filter(
            user_id=user.pk, branch_id=branch_id, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def may_read(user: Any, branch_id: int) -> bool:
    """The branch's officers; an administrator only while a break-glass grant is open."""
    if can(user, Action.VIEW, Kind.WORKFORCE, _BranchOf(branch_id)):
        return True
    return is_administrator(user) and open_grant(user, branch_id) is not None


def may_change(user: Any, branch_id: int) -> bool:
    """Only the branch's officers add, erase or export; break-glass is for reading."""
    return can(user, Action.EDIT, Kind.WORKFORCE, _BranchOf(branch_id))


def require_read(user: Any, branch_id: int) -> None:
    if not may_read(user, branch_id):
        raise NotAllowed("Only this branch's officers may see its workforce records.")


def require_change(user: Any, branch_id: int) -> None:
    if not may_change(user, branch_id):
        raise NotAllowed("Only this branch's officers may change its workforce records.")


@transaction.atomic
def break_glass(user: Any, branch: Branch, reason: str) -> BreakGlass:
    """Open an administrator's time-limited access to one branch's records, with a reason."""
    if not is_administrator(user):
        raise NotAllowed("Only an administrator may break the glass.")
    reason = reason.strip()
    if len(reason) < 20:
        raise NotAllowed(
            "Say why, in at least 20 characters: the reason is kept in the access log and the "
            "branch's officers can read it."
        )
    minutes = settings.WORKFORCE_BREAK_GLASS_MINUTES
    grant = BreakGlass.objects.create(
        user=user,
        branch=branch,
        reason=reason,
        expires_at=timezone.now() + datetime.timedelta(minutes=minutes),
    )
    log(user, AccessAction.BREAK_GLASS, branch=branch, record=grant, reason=reason)
    return grant


def branch_records(user: Any, branch_id: int) -> QuerySet[TermsRecord]:
    """The branch's records, unopened (time points and dates only): listing them reads no
    answers, so it is not logged record by record."""
    require_read(user, branch_id)
    return TermsRecord.objects.filter(branch_id=branch_id).select_related(
        "arrangement__authority", "arrangement__service_area", "arrangement__provider"
    )


def branch_links(user: Any, branch_id: int) -> QuerySet[QuestionnaireLink]:
    """The branch's questionnaire links (their tokens are only fingerprints: never shown)."""
    require_read(user, branch_id)
    return QuestionnaireLink.objects.filter(branch_id=branch_id).select_related(
        "arrangement__authority", "arrangement__service_area", "arrangement__provider"
    )


def branch_evidence(user: Any, branch_id: int) -> QuerySet[Evidence]:
    """The branch's evidence, unopened (kind and date only)."""
    require_read(user, branch_id)
    return Evidence.objects.filter(branch_id=branch_id)


def read_record(user: Any, record: TermsRecord) -> dict[str, Any]:
    """One record's answers, opened, and the read logged."""
    _log_read(user, record)
    answers: dict[str, Any] = crypto.unseal(record.sealed_answers)
    return answers


class _BranchOf:
    """What the permission table needs of a workforce record: the branch it belongs to."""

    def __init__(self, branch_id: int) -> None:
        self.branch_id = branch_id
        self.pk = branch_id


def officer_branches(user: Any) -> list[Branch]:
    """The branches whose workforce records the person may add to: those they are an officer
    of, as the permission table says."""
    branch_ids = {s.branch_id for s in standings_of(user) if s.branch_id is not None}
    return [b for b in Branch.objects.filter(pk__in=branch_ids) if may_change(user, b.pk)]


def open_grants(user: Any) -> QuerySet[BreakGlass]:
    """An administrator's break-glass grants still open."""
    if user is None or not user.is_authenticated:
        return BreakGlass.objects.none()
    return BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).select_related(
        "branch"
    )


def desk_of(user: Any) -> str:
    """Where the workspace's "Workforce terms" link leads this person: the workforce pages for
    a branch officer, the break-glass page for an administrator; nowhere ("") for anyone else."""
    if officer_branches(user):
        return "workforce:index"
    if is_administrator(user):
        return "workforce:break-glass"
    return ""


def branch_log(user: Any, branch_id: int) -> QuerySet[AccessLog]:
    """Who read or changed the branch's workforce records, newest first: its officers see it
    (and an administrator under a grant), so any reading of their members' terms is known."""
    require_read(user, branch_id)
    return AccessLog.objects.filter(branch_id=branch_id)


def read_evidence(user: Any, evidence: Evidence) -> str:
    """A piece of evidence's description, opened, and the read logged (it may name people)."""
    _log_read(user, evidence)
    description: str = crypto.unseal(evidence.sealed_description)
    return description


def _log_read(user: Any, record: TermsRecord | Evidence) -> None:
    """Refuse unless the person may read the branch's records; else log the read, with the
    break-glass reason when that is how they came to read it."""
    require_read(user, record.branch_id)
    grant = None if may_change(user, record.branch_id) else open_grant(user, record.branch_id)
    log(
        user,
        AccessAction.READ,
        branch=record.branch_id,
        record=record,
        reason=f"Break-glass: {grant.reason}" if grant else "",
    )
