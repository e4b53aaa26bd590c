"""Reads of campaign cases, always through the permission table (``Kind.CASE``)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from mutualwatch.branches.models import Branch, BranchMembership
from mutualwatch.branches.permissions import (
    Action,
    Kind,
    branches_allowed_to_add,
    can,
    visible_filter,
)
from mutualwatch.campaigns.models import Case, Milestone
from mutualwatch.register import queries as register_queries
from mutualwatch.register.models import Arrangement, Authority, ReviewState, Source

#: How the case page names where the outcome's register event stands in the review.
EVENT_STATE_WORDS = {
    ReviewState.DRAFT: "a draft, sent back by the review: record the outcome again",
    ReviewState.SUBMITTED: "submitted for review",
    ReviewState.VERIFIED: "verified, awaiting publication",
    ReviewState.PUBLISHED: "published — now evidence",
}


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(visible_filter(user, Kind.CASE)).select_related(
        "branch", "authority", "service_area", "arrangement", "outcome_event"
    )


def visible_case(user: Any, pk: int) -> Case | None:
    """The case, if the person may see it; otherwise nothing (never a hint that it exists)."""
    return visible_cases(user).filter(pk=pk).first()


def may_edit(user: Any, case: Case) -> bool:
    return can(user, Action.EDIT, Kind.CASE, case)


def branches_for_new_cases(user: Any) -> QuerySet[Branch]:
    """The branches the person may open a case for (their own, as an officer)."""
    anywhere, branch_ids = branches_allowed_to_add(user, Kind.CASE)
    branches = Branch.objects.all()
    return branches if anywhere else branches.filter(pk__in=branch_ids)


def authorities_of(branches: QuerySet[Branch]) -> QuerySet[Authority]:
    return Authority.objects.filter(branches__in=branches).distinct().order_by("name")


def linkable_arrangements(user: Any, authorities: QuerySet[Authority]) -> QuerySet[Arrangement]:
    """Arrangements of these councils the person may see, to link a case to."""
    return register_queries.visible_arrangements(user).filter(authority__in=authorities)


def citable_sources(user: Any, case: Case) -> QuerySet[Source]:
    """Sources an officer may attach to a case: the branch's own, and those the register's
    arrangements of the case's council cite, as far as the officer may see them."""
    cited_by_council = Arrangement.objects.filter(authority_id=case.authority_id).values("source")
    return (
        register_queries.visible_sources(user)
        .filter(Q(branch_id=case.branch_id) | Q(pk__in=cited_by_council))
        .order_by("title")
    )


def branch_members(case: Case) -> QuerySet[Any]:
    """Who an action may be given to: the members (and officers) of the case's branch."""
    member_ids = BranchMembership.objects.filter(branch_id=case.branch_id).values("user_id")
    return get_user_model().objects.filter(pk__in=member_ids).order_by("username")


def person_name(user: Any) -> str:
    if user is None:
        return "nobody yet"
    return str(user.get_full_name() or user.get_username())


@dataclass
class CaseRow:
    """One case in the index: whose it is, where it stands and what comes next."""

    case: Case
    own: bool
    next_milestone: Milestone | None

    @property
    def label(self) -> str:
        if self.own:
            return "Your branch's" + (
                " · shared with the network"
                if self.case.shared_with_network
                else " · private to your branch"
            )
        return f"Shared with the network by {self.case.branch.name}"


def index_rows(user: Any, today: datetime.date | None = None) -> list[CaseRow]:
    """The person's branch cases first, then those other branches share with the network."""
    today = today or timezone.localdate()
    own_ids = set(
        BranchMembership.objects.filter(user_id=user.pk).values_list("branch_id", flat=True)
    )
    cases = list(visible_cases(user).prefetch_related("milestones"))
    rows = [
        CaseRow(
            case,
            case.branch_id in own_ids,
            next((m for m in case.milestones.all() if m.date >= today), None),
        )
        for case in cases
    ]
    return sorted(rows, key=lambda row: not row.own)


def event_state_words(case: Case) -> str:
    event = case.outcome_event
    return EVENT_STATE_WORDS[ReviewState(event.state)] if event is not None else ""


def authorities_of_case(case: Case) -> QuerySet[Authority]:
    return Authority.objects.filter(pk=case.authority_id)


def case_sources(case: Case) -> QuerySet[Source]:
    """The sources among the case's documents (what an outcome may cite)."""
    return Source.objects.filter(pk__in=case.documents.values("source_id")).order_by("title")


def readable_sources(user: Any, case: Case) -> set[int]:
    """Which of the case's documents the person may open in the register (another branch's
    draft source is its own, even in a case shared with the network)."""
    return set(
        register_queries.visible_sources(user)
        .filter(pk__in=case.documents.values("source_id"))
        .values_list("pk", flat=True)
    )


def is_branch_member(user: Any, case: Case) -> bool:
    return BranchMembership.objects.filter(user_id=user.pk, branch_id=case.branch_id).exists()
