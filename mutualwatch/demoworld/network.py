"""The demo's branch network: which demo branches are in it, their meetings and practice notes,
and one case a branch shared with the network. All fictional, the same each load.

The branches of the first demo member councils (by name) are in the network; so is the demo
accounts' branch, which joins the network itself if its council is no member, so that a
reviewer logged in as ``demo-member`` or ``demo-officer`` sees the network's space. The branch
of the first council that is no member stays outside. Records are found by title, so loading
again changes nothing. Past meetings have fixed dates; the upcoming one is set, when first
made, four weeks after the day the demo is loaded (a fixed date would fall into the past).
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import network_branch_ids
from mutualwatch.campaigns.models import Case, Stage
from mutualwatch.demoworld.accounts import council_branch, demo_branch
from mutualwatch.network.models import Meeting, PracticeNote
from mutualwatch.register.models import (
    Authority,
    Nation,
    NetworkMembership,
    NetworkMemberType,
    ServiceArea,
)

#: How many member councils' branches the demo puts in the network.
NETWORK_BRANCHES = 3
#: The day the demo accounts' branch joined, when its council is no member.
DEMO_BRANCH_JOINED = datetime.date(2024, 9, 2)

PAST_MEETINGS = [
    (
        datetime.date(2025, 3, 12),
        "Spring meeting: options appraisals",
        "1. Welcome and apologies\n2. Options appraisals under way in member councils\n"
        "3. Sharing FOI templates\n4. Any other business",
        "Three branches reported options appraisals naming a mutual as the preferred option. "
        "Agreed to pool the FOI requests for business cases so each council is asked the same "
        "questions.\n\nAction: the convening branch circulates the shared FOI wording.",
    ),
    (
        datetime.date(2025, 6, 18),
        "Summer meeting: pensions after transfer",
        "1. Reports from branches\n2. Pension protection on transfer\n3. Next steps",
        "Branches compared admission agreements. Where the council guaranteed the pension "
        "scheme, members kept their terms; where it did not, new starters were offered a "
        "defined-contribution scheme.\n\nAgreed: ask every council in the pipeline for its "
        "admission agreement before the decision.",
    ),
    (
        datetime.date(2025, 10, 8),
        "Autumn meeting: bringing services back",
        "1. Reports from branches\n2. Services brought back in-house: what worked\n"
        "3. The network's dashboard",
        "A branch described how a leisure service came back in-house when its contract ended. "
        "The network will keep a list of councils' break clauses.",
    ),
]
UPCOMING = (
    "Winter meeting: the year ahead",
    "1. Welcome\n2. Cases shared with the network: updates\n3. Practice notes to write\n"
    "4. Dates for next year",
)
NOTES = [
    (
        "Ask for the business case before the consultation closes",
        "Councils often publish the options appraisal but not the business case behind it. "
        "Asking for it under FOI early, and citing the consultation's closing date, got a "
        "reply in time in two branches.",
        "libraries",
    ),
    (
        "Keep members' terms on record before transfer",
        "Record members' terms before any transfer, with the evidence: comparing them a year "
        "later is the only way to show what changed.",
        "",
    ),
]
SHARED_CASE_TITLE = "Keep the libraries in-house"


def _upcoming_day(today: datetime.date) -> datetime.date:
    """The Wednesday four weeks or a little more after ``today``."""
    day = today + datetime.timedelta(weeks=4)
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


@transaction.atomic
def load_network(say: Callable[[str], None]) -> None:
    today = timezone.localdate()
    fictional = Authority.objects.filter(nation=Nation.FICTIONAL).order_by("name")
    members = list(
        fictional.filter(
            network_memberships__member_type=NetworkMemberType.COUNCIL,
            network_memberships__joined_on__lte=today,
            network_memberships__left_on__isnull=True,
        ).distinct()[:NETWORK_BRANCHES]
    )
    if not members:
        say("Branch network: no demo council is a member, so no network records were made.")
        return
    branches = [council_branch(council) for council in members]
    own = demo_branch()
    if own.pk not in network_branch_ids():
        own.joined_network_on = DEMO_BRANCH_JOINED
        own.save(update_fields=["joined_network_on"])
    if own not in branches:
        branches.append(own)
    outsider = _branch_outside(fictional, own)
    convener = branches[0]
    for number, (held_on, title, agenda, notes) in enumerate(PAST_MEETINGS):
        meeting, _ = Meeting.objects.get_or_create(
            branch=branches[number % len(branches)],
            title=title,
            defaults={"held_on": held_on, "agenda": agenda, "notes": notes},
        )
        meeting.attending.set(branches)
    title, agenda = UPCOMING
    upcoming, _ = Meeting.objects.get_or_create(
        branch=convener, title=title, defaults={"held_on": _upcoming_day(today), "agenda": agenda}
    )
    upcoming.attending.set(branches)
    for number, (title, body, area) in enumerate(NOTES):
        PracticeNote.objects.get_or_create(
            branch=branches[(number + 1) % len(branches)],
            title=title,
            defaults={"body": body, "service_area": ServiceArea.objects.filter(code=area).first()},
        )
    _shared_case(convener, members[0])
    say(
        f"Branch network: {len(network_branch_ids()):,} branches in it"
        + (f", {outsider.name} not" if outsider else ", every demo branch")
        + "; "
        f"{Meeting.objects.count():,} meetings and {PracticeNote.objects.count():,} practice "
        "notes."
    )


def _branch_outside(fictional: QuerySet[Authority], own: Branch) -> Branch | None:
    """A demo branch outside the network: that of the first council that is no member, or,
    when the only such council is the demo accounts' own (whose branch joined itself), a second
    branch of that council's staff that has not joined."""
    members = set(
        NetworkMembership.objects.filter(
            member_type=NetworkMemberType.COUNCIL, left_on__isnull=True
        ).values_list("authority_id", flat=True)
    )
    own_councils = set(own.authorities.values_list("pk", flat=True))
    others = [c for c in fictional if c.pk not in members and c.pk not in own_councils]
    if others:
        return council_branch(others[0])
    council = next((c for c in fictional if c.pk in own_councils - members), None)
    if council is None:
        return None
    branch, _ = Branch.objects.get_or_create(
        slug=f"demo-{slugify(council.name)}-schools",
        defaults={"name": f"{council.name} schools branch", "region": council.region},
    )
    branch.authorities.add(council)
    return branch


def _shared_case(branch: Branch, council: Authority) -> None:
    area = ServiceArea.objects.filter(code="libraries").first()
    if area is None:
        return
    Case.objects.get_or_create(
        branch=branch,
        title=SHARED_CASE_TITLE,
        defaults={
            "authority": council,
            "service_area": area,
            "stage": Stage.CONSULTATION,
            "summary": "The council is consulting on moving its libraries to a new mutual. The "
            "branch is asking for the business case and organising a public meeting.",
            "shared_with_network": True,
            "shared_at": timezone.now(),
        },
    )
