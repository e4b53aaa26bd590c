"""Reads of the branch network's space, always through the permission table.

Who is in the network is ``branches.permissions.network_branches`` (the one rule); this module
only says why each branch is, and gathers what the space shows. The dashboard reads the
published register only, as a visitor would see it, plus the campaign cases branches chose to
share with the network.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import (
    Kind,
    network_branch_ids,
    network_branches,
    standings_of,
    visible_filter,
)
from mutualwatch.campaigns.models import Case, Stage
from mutualwatch.network.models import Meeting, PracticeNote
from mutualwatch.register import queries as register_queries
from mutualwatch.register.models import (
    Arrangement,
    ArrangementOrigin,
    Authority,
    Event,
    EventType,
    NetworkMembership,
    NetworkMemberType,
)

#: Cases at these stages are "in the pipeline": the council is heading towards a transfer but
#: has not made it. Transfer and retained cases are over.
PIPELINE_STAGES = (
    Stage.EARLY_SIGNS,
    Stage.OPTIONS_APPRAISAL,
    Stage.CONSULTATION,
    Stage.DECISION,
)
#: What the dashboard counts, in the order it shows them.
MEASURES = ("Spun out", "In the pipeline", "Brought back")
PUBLIC = AnonymousUser()


def _current_council_membership(today: datetime.date) -> Q:
    """Matches NetworkMembership rows that are a council's and current on ``today``."""
    return Q(member_type=NetworkMemberType.COUNCIL, joined_on__lte=today) & (
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )


def network_councils(today: datetime.date | None = None) -> QuerySet[Authority]:
    """The councils that are network members now (their branches are in the network)."""
    today = today or timezone.localdate()
    return Authority.objects.filter(pk__in=_memberships(today).values("authority_id")).order_by(
        "name"
    )


def _memberships(today: datetime.date) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.filter(
        _current_council_membership(today), authority__isnull=False
    )


@dataclass
class NetworkBranch:
    branch: Branch
    #: Member councils among the branch's employers, each a reason it is in the network.
    member_councils: list[Authority] = field(default_factory=list)
    #: The day it joined itself, if it did.
    joined_on: datetime.date | None = None


def network_branch_list(today: datetime.date | None = None) -> list[NetworkBranch]:
    """Every branch in the network, with why: its employer is a member council, or it joined."""
    today = today or timezone.localdate()
    councils = {council.pk: council for council in network_councils(today)}
    rows = []
    branches = (
        Branch.objects.filter(network_branches())
        .distinct()
        .prefetch_related("authorities")
        .order_by("name")
    )
    for branch in branches:
        employers = [a for a in branch.authorities.all() if a.pk in councils]
        joined = branch.joined_network_on
        rows.append(
            NetworkBranch(
                branch, employers, joined if joined is not None and joined <= today else None
            )
        )
    return rows


def network_branches_of(user: Any) -> list[Branch]:
    """The person's own branches that are in the network: what lets them into its space."""
    members = network_branch_ids()
    own = {s.branch_id for s in standings_of(user) if s.branch_id in members}
    return list(Branch.objects.filter(pk__in=own).order_by("name"))


def own_branches(user: Any) -> list[Branch]:
    own = {s.branch_id for s in standings_of(user) if s.branch_id is not None}
    return list(Branch.objects.filter(pk__in=own).order_by("name"))


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(visible_filter(user, Kind.MEETING))
        .select_related("branch")
        .prefetch_related("attending")
    )


def visible_notes(user: Any) -> QuerySet[PracticeNote]:
    return PracticeNote.objects.filter(visible_filter(user, Kind.PRACTICE_NOTE)).select_related(
        "branch", "service_area"
    )


def upcoming_meetings(user: Any, today: datetime.date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    return visible_meetings(user).filter(held_on__gte=today).order_by("held_on", "pk")


def recent_meetings(user: Any, today: datetime.date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    return visible_meetings(user).filter(held_on__lt=today).order_by("-held_on", "pk")


def shared_cases(user: Any) -> QuerySet[Case]:
    """The cases branches chose to share with the network that the person may read; a branch's
    private cases are never listed here, its own included."""
    return (
        Case.objects.filter(visible_filter(user, Kind.CASE), shared_with_network=True)
        .select_related("branch", "authority", "service_area")
        .order_by("-shared_at", "title")
    )


@dataclass
class CouncilFigures:
    council: Authority
    spun_out: list[Arrangement] = field(default_factory=list)
    pipeline: list[Case] = field(default_factory=list)
    brought_back: list[Event] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(
            zip(
                MEASURES,
                (len(self.spun_out), len(self.pipeline), len(self.brought_back)),
                strict=True,
            )
        )


@dataclass
class Dashboard:
    councils: list[CouncilFigures]

    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(MEASURES, 0)
        for row in self.councils:
            for measure, count in row.counts().items():
                totals[measure] += count
        return totals

    def chart_rows(self) -> list[dict[str, Any]]:
        """One row per council and measure with a count, for the chart."""
        return [
            {"bar": row.council.name, "category": measure, "count": count}
            for row in self.councils
            for measure, count in row.counts().items()
            if count
        ]


def dashboard(user: Any, today: datetime.date | None = None) -> Dashboard:
    """Mutualisation across the network's member councils: services spun out (published
    spin-out arrangements running today), in the pipeline (cases shared with the network at a
    stage before transfer, with no outcome yet) and brought back (published insourcing events
    on a published arrangement). Published means as a visitor sees it on the public pages."""
    today = today or timezone.localdate()
    councils = list(network_councils(today))
    rows = {council.pk: CouncilFigures(council) for council in councils}
    arrangements = register_queries.visible_arrangements(PUBLIC)
    spun_out = (
        arrangements.filter(
            authority_id__in=rows, origin=ArrangementOrigin.SPIN_OUT, start_date__lte=today
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .order_by("service_area__name", "start_date")
    )
    for arrangement in spun_out:
        rows[arrangement.authority_id].spun_out.append(arrangement)
    for case in shared_cases(user).filter(
        authority_id__in=rows, stage__in=PIPELINE_STAGES, outcome=""
    ):
        rows[case.authority_id].pipeline.append(case)
    brought_back = (
        register_queries.visible_events(PUBLIC)
        .filter(
            event_type=EventType.INSOURCING,
            arrangement__in=arrangements.filter(authority_id__in=rows).values("pk"),
        )
        .order_by("date")
    )
    for event in brought_back:
        assert event.arrangement is not None
        rows[event.arrangement.authority_id].brought_back.append(event)
    return Dashboard([rows[council.pk] for council in councils])
