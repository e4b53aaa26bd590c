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
from django.utils import timezone

from mutualwatch.branches.models import (
    Branch,
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
    #: The Co-operative Councils Network's members over time, each citing its source.
    NETWORK_MEMBERSHIP = "network membership"
    #: A branch's campaign to keep a service in-house, its milestones, documents and actions.
    CASE = "campaign case"
    FOI_REQUEST = "FOI request"
    #: The branch network's meetings and shared practice notes.
    MEETING = "network meeting"
    PRACTICE_NOTE = "practice note"
    GUIDANCE = "guidance document"
    POSITION = "position"


#: Kinds that pass through review (draft, submitted, verified, published).
REVIEWED_KINDS = frozenset(
    {Kind.PROVIDER, Kind.SOURCE, Kind.ARRANGEMENT, Kind.EVENT, Kind.GUIDANCE}
)


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
    #: Records of the role's own branch, and those shared with the branch network when the
    #: role's branch is in it. To add: for their own branch, if it is in the network.
    NETWORK = "network"
    ALL = "all"


N, P, B, BU, OD, OT, OB, NET, ALL = (
    Scope.NONE,
    Scope.PUBLISHED,
    Scope.BRANCH,
    Scope.BRANCH_UNVERIFIED,
    Scope.OWN_DRAFTS,
    Scope.OTHERS,
    Scope.OWN_BRANCH,
    Scope.NETWORK,
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

_CAMPAIGN = {
    Action.VIEW: _row(N, NET, NET, N, N),
    Action.ADD: _row(N, N, OB, N, N),
    Action.EDIT: _row(N, N, OB, N, N),
    Action.VERIFY: _row(N, N, N, N, N),
    Action.PUBLISH: _row(N, N, N, N, N),
}
_NETWORK_RECORD = {
    Action.VIEW: _row(N, NET, NET, N, N),
    Action.ADD: _row(N, N, NET, N, N),
    Action.EDIT: _row(N, N, OB, N, N),
    Action.VERIFY: _row(N, N, N, N, N),
    Action.PUBLISH: _row(N, N, N, N, N),
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
    Kind.NETWORK_MEMBERSHIP: _REFERENCE_DATA,
    # A campaign is the branch's own until its officers share it with the network; nobody
    # outside the branch, national roles included, changes it.
    Kind.CASE: _CAMPAIGN,
    Kind.FOI_REQUEST: _CAMPAIGN,
    # The network's own records: read by network branches, written by their officers, each
    # record changed only by the officers of the branch that keeps it.
    Kind.MEETING: _NETWORK_RECORD,
    Kind.PRACTICE_NOTE: _NETWORK_RECORD,
    # National guidance passes through review as evidence does; branches read it published.
    Kind.GUIDANCE: {
        Action.VIEW: _row(P, P, P, ALL, ALL),
        Action.ADD: _row(N, N, N, ALL, ALL),
        Action.EDIT: _row(N, N, N, ALL, ALL),
        Action.VERIFY: _row(N, N, N, OT, OT),
        Action.PUBLISH: _row(N, N, N, ALL, ALL),
    },
    Kind.POSITION: _REFERENCE_DATA,
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


def network_branches() -> Q:
    """The one rule of who is in the branch network, as a filter on branches: a branch whose
    employer is a council that is a member now, or a branch that has joined itself.
    Opposition groups' and other organisations' memberships do not bring a branch in."""
    today = timezone.localdate()
    employer_member = Q(
        authorities__network_memberships__member_type="council",
        authorities__network_memberships__joined_on__lte=today,
    ) & (
        Q(authorities__network_memberships__left_on__isnull=True)
        | Q(authorities__network_memberships__left_on__gt=today)
    )
    return employer_member | Q(joined_network_on__lte=today)


def network_branch_ids() -> set[int]:
    return set(Branch.objects.filter(network_branches()).values_list("pk", flat=True))


#: Where a kind's branch is found, when it is not the record's own ``branch_id``.
_BRANCH_FIELD = {Kind.BRANCH: "pk", Kind.FOI_REQUEST: "case__branch_id"}
#: Kinds a branch shares with the network record by record; other network kinds always are.
_SHARED_FIELD = {
    Kind.CASE: "shared_with_network",
    Kind.FOI_REQUEST: "case__shared_with_network",
}


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
        case Scope.NETWORK:
            if own_branch:
                return True
            inside = network_branch_ids()
            if kind not in _SHARED_FIELD:
                return standing.branch_id in inside
            # What a branch shared stops being the network's when the branch leaves it.
            return (
                bool(record.shared_with_network)
                and standing.branch_id in inside
                and _record_branch_id(kind, record) in inside
            )
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
        elif standing.branch_id is None:
            continue
        elif scope in {Scope.BRANCH, Scope.OWN_BRANCH} or (
            scope == Scope.NETWORK and standing.branch_id in network_branch_ids()
        ):
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
    branch_field = _BRANCH_FIELD.get(kind, "branch_id")
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
        case Scope.NETWORK:
            inside = network_branch_ids()
            if standing.branch_id not in inside:
                return own_branch
            if kind not in _SHARED_FIELD:
                return EVERYTHING
            shared = Q(**{_SHARED_FIELD[kind]: True, f"{branch_field}__in": inside})
            return own_branch | shared
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
    Scope.NETWORK: "own branch + shared with the network, if in it",
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
                "for own branch, if in the network"
                if action == Action.ADD and cells[role] == Scope.NETWORK
                else "for own branch"
                if action == Action.ADD and cells[role] in {Scope.BRANCH, Scope.OWN_BRANCH}
                else SCOPE_WORDS[cells[role]]
                for role in Role
            ]
            lines.append(f"| {action} | " + " | ".join(words) + " |")
        lines.append("")
    return "\n".join(lines)
