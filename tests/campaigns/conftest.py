"""A small world for campaign cases: two branches in the network (one joined itself, one
whose council is a member), one outside it, each with a private and a shared case, and
someone in every role."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from mutualwatch.branches.models import Branch
from mutualwatch.campaigns import services
from mutualwatch.campaigns.models import Case
from mutualwatch.register.models import Arrangement, NetworkMembership, ServiceArea
from tests.conftest import build_arrangement, build_authority, build_branch


@dataclass
class World:
    home: Branch  # in the network: joined itself
    network: Branch  # in the network: its council is a member
    outside: Branch  # not in the network
    arrangement: Arrangement  # the home branch's council's libraries
    people: dict[str, Any]  # role name -> user; "other-*" for the other branches
    cases: dict[str, Case]


def open_for(branch: Branch, officer: Any, title: str, *, shared: bool = False) -> Case:
    authority = branch.authorities.get()
    case = services.open_case(
        officer,
        branch=branch,
        authority=authority,
        service_area=ServiceArea.objects.get(code="libraries"),
        title=title,
    )
    if shared:
        services.share_with_network(officer, case)
    return case


@pytest.fixture
def world(db: None, person: Any) -> World:
    home = build_branch(name="Home Branch", joined_network_on=datetime.date(2020, 1, 1))
    network = build_branch(name="Network Branch")
    outside = build_branch(name="Outside Branch")
    council = build_authority(name="Homeshire Council")
    member_council = build_authority(name="Memberton Council")
    home.authorities.add(council)
    network.authorities.add(member_council)
    outside.authorities.add(build_authority(name="Outerby Council"))
    NetworkMembership.objects.create(
        member_name=member_council.name,
        member_type="council",
        authority=member_council,
        joined_on=datetime.date(2018, 5, 1),
    )
    people = {
        "visitor": None,
        "branch member": person("branch member", home),
        "branch officer": person("branch officer", home),
        "national researcher": person("national researcher"),
        "administrator": person("administrator"),
        "network member": person("branch member", network),
        "network officer": person("branch officer", network),
        "outside member": person("branch member", outside),
        "outside officer": person("branch officer", outside),
    }
    cases = {
        "home-private": open_for(home, people["branch officer"], "Keep Homeshire libraries"),
        "home-shared": open_for(home, people["branch officer"], "Homeshire leisure", shared=True),
        "network-private": open_for(network, people["network officer"], "Memberton quiet"),
        "network-shared": open_for(
            network, people["network officer"], "Memberton libraries", shared=True
        ),
        "outside-private": open_for(outside, people["outside officer"], "Outerby quiet"),
    }
    arrangement = build_arrangement(
        authority=council, service_area=ServiceArea.objects.get(code="libraries")
    )
    return World(home, network, outside, arrangement, people, cases)
