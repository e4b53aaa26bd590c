"""Who may see, add, edit, verify and publish each kind of record.

The rules are written once, as data, in ``PERMISSIONS``: for each kind of record, each action
and each role, the *scope* of records the role may act on. ``can`` answers for one record and
``visible_filter`` builds the matching query, so the public pages, the workspace's forms and
actions, the register's services and the admin's reviewed records all ask the same table
(mutualwatch has no API yet). The test suite checks every cell.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from mutualwatch.branches.models import (
    BranchMembership,
    BranchRole,
    NationalRole,
    NationalRoleKind,
)


class Role(StrEnum):
    VISITOR = "visitor"
    MEMBER = "branch member"
    OFFICER = "branch officer"
    RESEARCHER = "national researcher"
    ADMINISTRATOR = "administrator"


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    EDIT = "edit"
    VERIFY = "verify"
    PUBLISH = "publish"


class Kind(StrEnum):
    AUTHORITY = "authority"
    SERVICE_AREA = "service area"
    BRANCH = "branch"
    PROVIDER = "provider"
    SOURCE = "source"
    ARRANGEMENT = "arrangement"
    EVENT = "event"
    #: Members' terms and conditions, evidence and questionnaire links: special-category data.
    WORKFORCE = "workforce record"


#: Kinds that pass through review (draft, submitted, verified, published).
REVIEWED_KINDS = frozenset({Kind.PROVIDER, Kind.SOURCE, Kind.ARRANGEMENT, Kind.EVENT})


class Scope(StrEnum):
    """Which records a role may act on."""

    NONE = "none"
    #: Published records only (reference data, which is not reviewed, counts as published).
    PUBLISHED = "published"
    #: Published records and every record of the role's own branch.
    BRANCH = "branch"
    #: Records of the role's own branch that are not yet verified.
    BRANCH_UNVERIFIED = "branch-unverified"
    #: Drafts the person created themselves.
    OWN_DRAFTS = "own-drafts"
    #: Every record but those the person created: nobody verifies their own work.
    OTHERS = "others"
    #: Records of the role's own branch only, never anyone else's, published or not.
    OWN_BRANCH = "own-branch"
    ALL = "all"


N, P, B, BU, OD, OT, OB, ALL = (
    Scope.NONE,
    Scope.PUBLISHED,
    Scope.BRANCH,
    Scope.BRANCH_UNVERIFIED,
    Scope.OWN_DRAFTS,
    Scope.OTHERS,
    Scope.OWN_BRANCH,
    Scope.ALL,
)


def _row(visitor: Scope, member: Scope, officer: Scope, researcher: Scope, admin: Scope):  # type: ignore[no-untyped-def]
    return {
        Role.VISITOR: visitor,
        Role.MEMBER: member,
        Role.OFFICER: officer,
        Role.RESEARCHER: researcher,
        Role.ADMINISTRATOR: admin,
    }


_REFERENCE_DATA = {
    Action.VIEW: _row(P, ALL, ALL, ALL, ALL),
    Action.ADD: _row(N, N, N, ALL, ALL),
    Action.EDIT: _row(N, N, N, ALL, ALL),
    Action.VERIFY: _row(N, N, N, N, N),
    Action.PUBLISH: _row(N, N, N, N, N),
}
_EVIDENCE = {
    Action.VIEW: _row(P, B, B, ALL, ALL),
    Action.ADD: _row(N, B, B, ALL, ALL),
    Action.EDIT: _row(N, OD, BU, ALL, ALL),
    Action.VERIFY: _row(N, N, N, OT, OT),
    Action.PUBLISH: _row(N, N, N, ALL, ALL),
}

PERMISSIONS: dict[Kind, dict[Action, dict[Role, Scope]]] = {
    Kind.AUTHORITY: _REFERENCE_DATA,
    Kind.SERVICE_AREA: _REFERENCE_DATA,
    # A branch's membership is its own business: visitors never see branches.
    Kind.BRANCH: {
        Action.VIEW: _row(N, B, B, ALL, ALL),
        Action.ADD: _row(N, N, N, N, ALL),
        Action.EDIT: _row(N, N, B, N, ALL),
        Action.VERIFY: _row(N, N, N, N, N),
        Action.PUBLISH: _row(N, N, N, N, N),
    },
    Kind.PROVIDER: _EVIDENCE,
    Kind.SOURCE: _EVIDENCE,
    Kind.ARRANGEMENT: _EVIDENCE,
    Kind.EVENT: _EVIDENCE,
    # Special-category data stays with the branch's officers. National researchers see only the
    # protected published tables; an administrator reads a branch's records only through a
    # logged, time-limited break-glass grant (workforce/access.py), never through this table.
    Kind.WORKFORCE: {
        Action.VIEW: _row(N, N, OB, N, N),
        Action.ADD: _row(N, N, OB, N, N),
        Action.EDIT: _row(N, N, OB, N, N),
        Action.VERIFY: _row(N, N, N, N, N),
        Action.PUBLISH: _row(N, N, N, N, N),
    },
}


@dataclass(frozen=True)
class Standing:
    """One role a person holds; ``branch_id`` is set for branch roles."""

    role: Role
    branch_id: int | None = None


def standings_of(user: AbstractBaseUser | AnonymousUser | None) -> list[Standing]:
    """Every role the person holds. Everybody is at least a visitor."""
    standings = [Standing(Role.VISITOR)]
    if user is None or not user.is_authenticated or not user.is_active:
        return standings
    if getattr(user, "is_superuser", False):
        standings.append(Standing(Role.ADMINISTRATOR))
    national = NationalRole.objects.filter(user_id=user.pk).values_list("role", flat=True)
    for role in national:
        administrator = role == NationalRoleKind.ADMINISTRATOR
        standings.append(Standing(Role.ADMINISTRATOR if administrator else Role.RESEARCHER))
    for membership in BranchMembership.objects.filter(user_id=user.pk).only("branch_id", "role"):
        role = Role.OFFICER if membership.role == BranchRole.OFFICER else Role.MEMBER
        standings.append(Standing(role, membership.branch_id))
    return standings


def _record_branch_id(kind: Kind, record: Any) -> int | None:
    if kind == Kind.BRANCH:
        return int(record.pk)
    return getattr(record, "branch_id", None)


def _in_scope(scope: Scope, standing: Standing, kind: Kind, record: Any, user: Any) -> bool:
    reviewed = kind in REVIEWED_KINDS
    published = not reviewed or record.state == "published"
    own_branch = standing.branch_id is not None and _record_branch_id(kind, record) == (
        standing.branch_id
    )
    created_by_user = (
        reviewed and user is not None and user.is_authenticated and record.created_by_id == user.pk
    )
    match scope:
        case Scope.NONE:
            return False
        case Scope.PUBLISHED:
            return published
        case Scope.BRANCH:
            return own_branch or (published and kind != Kind.BRANCH)
        case Scope.BRANCH_UNVERIFIED:
            if not reviewed:
                return own_branch
            return own_branch and record.state in {"draft", "submitted"}
        case Scope.OWN_DRAFTS:
            return created_by_user and own_branch and record.state == "draft"
        case Scope.OTHERS:
            return not created_by_user
        case Scope.OWN_BRANCH:
            return own_branch
        case Scope.ALL:
            return True


def can(user: Any, action: Action, kind: Kind, record: Any) -> bool:
    """May ``user`` take ``action`` on this existing ``record`` of ``kind``?"""
    cells = PERMISSIONS[kind][action]
    return any(
        _in_scope(cells[standing.role], standing, kind, record, user)
        for standing in standings_of(user)
    )


def branches_allowed_to_add(user: Any, kind: Kind) -> tuple[bool, set[int]]:
    """Where ``user`` may add records of ``kind``: (anywhere, the branch ids they may add for)."""
    anywhere = False
    branch_ids: set[int] = set()
    for standing in standings_of(user):
        scope = PERMISSIONS[kind][Action.ADD][standing.role]
        if scope == Scope.ALL:
            anywhere = True
        elif scope in {Scope.BRANCH, Scope.OWN_BRANCH} and standing.branch_id is not None:
            branch_ids.add(standing.branch_id)
    return anywhere, branch_ids


def can_add(user: Any, kind: Kind, branch_id: int | None = None) -> bool:
    """May ``user`` add a record of ``kind`` for ``branch_id`` (``None``: for no branch)?"""
    anywhere, branch_ids = branches_allowed_to_add(user, kind)
    return anywhere or (branch_id is not None and branch_id in branch_ids)


def holds_a_role(user: Any) -> bool:
    """Who may use the workspace: anyone with a branch or national role; a logged-in person
    with none is only a visitor."""
    return any(standing.role != Role.VISITOR for standing in standings_of(user))


def may_review(user: Any) -> bool:
    """Whoever the table lets verify or publish evidence: the review queues are theirs (the
    register's submissions, supplier links awaiting judgement, suggested register events)."""
    cells = [PERMISSIONS[Kind.EVENT][Action.VERIFY], PERMISSIONS[Kind.EVENT][Action.PUBLISH]]
    return any(row[standing.role] != Scope.NONE for standing in standings_of(user) for row in cells)


def visible_filter(user: Any, kind: Kind) -> Q:
    """A query filter selecting exactly the records of ``kind`` that ``user`` may view."""
    allowed = NOTHING
    for standing in standings_of(user):
        allowed |= _scope_filter(PERMISSIONS[kind][Action.VIEW][standing.role], standing, kind)
    return allowed


#: Matches every row. (An empty ``Q()`` would vanish when OR-ed with another filter.)
EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])


def _scope_filter(scope: Scope, standing: Standing, kind: Kind) -> Q:
    reviewed = kind in REVIEWED_KINDS
    published = Q(state="published") if reviewed else EVERYTHING
    branch_field = "pk" if kind == Kind.BRANCH else "branch_id"
    own_branch = (
        Q(**{branch_field: standing.branch_id}) if standing.branch_id is not None else NOTHING
    )
    match scope:
        case Scope.ALL:
            return EVERYTHING
        case Scope.PUBLISHED:
            return published
        case Scope.BRANCH:
            return own_branch if kind == Kind.BRANCH else own_branch | published
        case Scope.OWN_BRANCH:
            return own_branch
        case Scope.NONE:
            return NOTHING
    raise ValueError(f"Scope {scope} is not a viewing scope")


def role_names(user: Any) -> Iterable[str]:
    """The roles a person holds, for display."""
    return sorted({str(standing.role) for standing in standings_of(user)})


SCOPE_WORDS = {
    Scope.NONE: "—",
    Scope.PUBLISHED: "published",
    Scope.BRANCH: "published + own branch",
    Scope.BRANCH_UNVERIFIED: "own branch, unverified",
    Scope.OWN_DRAFTS: "own drafts",
    Scope.OTHERS: "all but own",
    Scope.OWN_BRANCH: "own branch only",
    Scope.ALL: "all",
}


def permissions_markdown() -> str:
    """The permission table as Markdown, for docs/permissions.md."""
    lines = []
    for kind in Kind:
        lines += [
            f"### {kind.capitalize()}",
            "",
            "| action | " + " | ".join(role for role in Role) + " |",
            "|---|" + "---|" * len(Role),
        ]
        for action in Action:
            cells = PERMISSIONS[kind][action]
            words = [
                "for own branch"
                if action == Action.ADD and cells[role] in {Scope.BRANCH, Scope.OWN_BRANCH}
                else SCOPE_WORDS[cells[role]]
                for role in Role
            ]
            lines.append(f"| {action} | " + " | ".join(words) + " |")
        lines.append("")
    return "\n".join(lines)
