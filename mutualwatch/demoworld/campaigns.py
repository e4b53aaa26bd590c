"""Fictional campaign cases for the demo: a few per branch, at various stages, with dated
milestones, actions, documents citing fictional sources, two shared with the branch network
and one whose outcome is a verified register event awaiting publication.

The cases follow the demo branch (whose officer and member accounts the demo makes) and the
branches of the next two councils with the most arrangements. The demo branch and the next
join the branch network themselves, where their councils do not bring them in, so the demo
officer sees another branch's shared case. Everything is derived from the loaded register in
a fixed order, so the same world always gets the same cases; a case already loaded is left
as it is.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import network_branch_ids
from mutualwatch.campaigns.models import Case, CaseAction, CaseDocument, Milestone, Outcome, Stage
from mutualwatch.demoworld.accounts import council_branch, demo_branch
from mutualwatch.demoworld.parameters import CENSUS_DATE
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    EventType,
    Nation,
    ReviewState,
    Source,
    SourceKind,
)

#: The day the demo's branches joined the network themselves (where their council is not in it).
JOINED_NETWORK_ON = datetime.date(2024, 3, 1)


@dataclass(frozen=True)
class Plan:
    """One fictional case: which of its branch's arrangements it follows, how far it got."""

    branch: int  # 0: the demo branch; 1, 2: the next councils' branches
    arrangement: int  # the n-th of the council's arrangements, oldest first
    title: str
    stage: Stage
    shared: bool
    linked: bool  # linked to the register's arrangement
    milestones: tuple[tuple[int, Stage, str], ...]  # days after the census, stage, what
    actions: tuple[tuple[str, int | None, bool], ...]  # what, due (days after census), done
    outcome: Outcome | None = None


PLANS = (
    Plan(
        0,
        0,
        "Keep {service} in-house",
        Stage.CONSULTATION,
        False,
        True,
        (
            (-120, Stage.EARLY_SIGNS, "Budget papers float an “alternative delivery model”"),
            (-60, Stage.OPTIONS_APPRAISAL, "Options appraisal to cabinet: mutual preferred"),
            (-10, Stage.CONSULTATION, "Staff consultation opens"),
            (45, Stage.CONSULTATION, "Consultation closes"),
            (90, Stage.DECISION, "Cabinet decides"),
        ),
        (
            ("Ask for the options appraisal's costings", -30, True),
            ("Brief the ward councillors", 20, False),
            ("Members' meeting at the main site", 30, False),
        ),
    ),
    Plan(
        0,
        1,
        "{service}: the in-house bid",
        Stage.OPTIONS_APPRAISAL,
        True,
        False,
        (
            (-40, Stage.EARLY_SIGNS, "Service review announced"),
            (60, Stage.OPTIONS_APPRAISAL, "Options appraisal due"),
        ),
        (("Draft the in-house improvement plan", 40, False),),
    ),
    Plan(
        0,
        2,
        "{service}: transfer put off",
        Stage.DECISION,
        False,
        True,
        (
            (-300, Stage.OPTIONS_APPRAISAL, "Business case for a spin-out published"),
            (-200, Stage.DECISION, "Cabinet defers the transfer for a year"),
        ),
        (("Keep the deferral under watch", None, False),),
        Outcome.DELAYED,
    ),
    Plan(
        1,
        0,
        "Save {service}",
        Stage.EARLY_SIGNS,
        True,
        False,
        ((-15, Stage.EARLY_SIGNS, "Soft market testing notice"),),
        (("Find out who answered the market testing", 14, False),),
    ),
    Plan(
        1,
        1,
        "{service}: watching brief",
        Stage.EARLY_SIGNS,
        False,
        False,
        ((-5, Stage.EARLY_SIGNS, "Rumour at the joint committee"),),
        (),
    ),
    Plan(
        2,
        0,
        "{service} stays public",
        Stage.CONSULTATION,
        True,
        False,
        ((-25, Stage.CONSULTATION, "Public consultation on the library trust"),),
        (("Petition at the next full council", 35, False),),
    ),
)


def _branches() -> list[Branch]:
    first = demo_branch()
    others = (
        Authority.objects.filter(nation=Nation.FICTIONAL)
        .exclude(branches=first)
        .annotate(arrangement_count=Count("arrangements"))
        .order_by("-arrangement_count", "name")[:2]
    )
    return [first, *(council_branch(authority) for authority in others)]


def _day(offset: int) -> datetime.date:
    return CENSUS_DATE + datetime.timedelta(days=offset)


@transaction.atomic
def load_campaigns() -> str:
    """Load the demo's cases; the one plain line saying what the demo now holds."""
    branches = _branches()
    in_network = network_branch_ids()
    for branch in branches[:2]:
        if branch.pk not in in_network:
            branch.joined_network_on = JOINED_NETWORK_ON
            branch.save(update_fields=["joined_network_on"])
    added = 0
    for number, plan in enumerate(PLANS):
        if plan.branch < len(branches) and _load_case(branches[plan.branch], plan, number):
            added += 1
    total = Case.objects.filter(branch__in=branches).count()
    return f"Campaign cases: {added:,} fictional cases added ({total:,} in the demo's branches)."


def _load_case(branch: Branch, plan: Plan, number: int) -> bool:
    arrangements = list(
        Arrangement.objects.filter(authority__in=branch.authorities.all())
        .select_related("authority", "service_area")
        .order_by("start_date", "pk")
    )
    if not arrangements:
        return False
    arrangement = arrangements[plan.arrangement % len(arrangements)]
    title = plan.title.format(service=arrangement.service_area.name)
    title = f"{title} ({arrangement.authority.name})"
    if Case.objects.filter(branch=branch, title=title).exists():
        return False
    case = Case.objects.create(
        branch=branch,
        title=title,
        authority=arrangement.authority,
        service_area=arrangement.service_area,
        arrangement=arrangement if plan.linked else None,
        stage=plan.stage,
        summary=f"Fictional demo case, kept by {branch.name}: "
        f"{arrangement.service_area.name.lower()} at {arrangement.authority.name}.",
        shared_with_network=plan.shared,
        shared_at=None,
    )
    for offset, stage, description in plan.milestones:
        Milestone.objects.create(case=case, date=_day(offset), stage=stage, description=description)
    for description, due, done in plan.actions:
        CaseAction.objects.create(
            case=case,
            description=description,
            due_on=_day(due) if due is not None else None,
            done_on=_day(due) if done and due is not None else None,
        )
    source = Source.objects.create(
        title=f"{arrangement.authority.name}: report on {arrangement.service_area.name.lower()}",
        publisher=arrangement.authority.name,
        url=f"https://example.org/demo/campaigns/{number + 1}",
        kind=SourceKind.COUNCIL_PAPER,
        published_on=_day(plan.milestones[0][0]),
        state=ReviewState.PUBLISHED,
    )
    CaseDocument.objects.create(case=case, source=source, note="The paper that started it")
    if plan.outcome is not None:
        day = _day(plan.milestones[-1][0])
        event = Event.objects.create(
            event_type=EventType.TRANSFER_DELAYED,
            date=day,
            arrangement=arrangement,
            source=source,
            branch=branch,
            state=ReviewState.VERIFIED,
            description=f"Campaign outcome of “{title}”: transfer delayed.",
        )
        case.outcome, case.outcome_on, case.outcome_event = plan.outcome, day, event
        case.save()
    return True
