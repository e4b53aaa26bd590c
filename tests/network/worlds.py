"""A small network world: branches in each situation the network's one rule distinguishes."""

import datetime
from dataclasses import dataclass

from mutualwatch.branches.models import Branch
from mutualwatch.campaigns.models import Case
from mutualwatch.network.models import Meeting, PracticeNote
from mutualwatch.register.models import Authority, NetworkMembership, ServiceArea
from tests.conftest import build_authority, build_branch

LONG_AGO = datetime.date(2015, 6, 1)


def membership(council: Authority, member_type: str = "council", **fields: object) -> None:
    NetworkMembership.objects.create(
        member_name=council.name,
        member_type=member_type,
        authority=council,
        joined_on=LONG_AGO,
        **fields,
    )


@dataclass
class NetworkWorld:
    #: Branch A and branch B: employers are member councils (two different ones).
    a: Branch
    b: Branch
    #: Joined the network itself; its council is no member.
    joined: Branch
    #: Its employer left the network in 2020.
    left: Branch
    #: Its council has only an opposition group's membership.
    opposition: Branch
    #: Nothing brings it in.
    outside: Branch
    council_a: Authority
    council_b: Authority
    council_left: Authority
    council_opposition: Authority

    def branch(self, situation: str) -> Branch:
        return {
            "network": self.a,
            "joined": self.joined,
            "left": self.left,
            "opposition": self.opposition,
            "outside": self.outside,
        }[situation]


def network_world() -> NetworkWorld:
    council_a = build_authority(name="Ashdown Borough Council")
    council_b = build_authority(name="Brackenfield District Council")
    council_left = build_authority(name="Leftbury City Council")
    council_opposition = build_authority(name="Oppley Council")
    council_none = build_authority(name="Nowhere Council")
    membership(council_a)
    membership(council_b, tier="associate")
    membership(council_left, left_on=datetime.date(2020, 3, 31))
    membership(council_opposition, member_type="opposition-group")
    branches = {}
    for key, council, joined in [
        ("a", council_a, None),
        ("b", council_b, None),
        ("joined", council_none, datetime.date(2022, 1, 10)),
        ("left", council_left, None),
        ("opposition", council_opposition, None),
        ("outside", council_none, None),
    ]:
        branch = build_branch(name=f"{key.capitalize()} Branch", joined_network_on=joined)
        branch.authorities.add(council)
        branches[key] = branch
    return NetworkWorld(
        **branches,
        council_a=council_a,
        council_b=council_b,
        council_left=council_left,
        council_opposition=council_opposition,
    )


def meeting_of(branch: Branch, **fields: object) -> Meeting:
    values: dict[str, object] = {
        "title": f"{branch.name} meeting",
        "held_on": datetime.date(2026, 1, 15),
        "agenda": "1. Reports from branches",
        "notes": "Agreed to share FOI templates.",
    }
    return Meeting.objects.create(branch=branch, **(values | fields))


def note_of(branch: Branch, **fields: object) -> PracticeNote:
    values: dict[str, object] = {
        "title": f"{branch.name} note",
        "body": "Ask for the business case.",
    }
    return PracticeNote.objects.create(branch=branch, **(values | fields))


def case_of(branch: Branch, council: Authority, *, shared: bool, **fields: object) -> Case:
    values: dict[str, object] = {
        "title": f"{'Shared' if shared else 'Private'} case of {branch.name}",
        "authority": council,
        "service_area": ServiceArea.objects.get(code="libraries"),
        "shared_with_network": shared,
        "stage": "consultation",
    }
    return Case.objects.create(branch=branch, **(values | fields))
