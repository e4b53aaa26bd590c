"""A small world for FOI requests: three branches, two of them in the branch network, and a
case (with a request) in every situation a person can meet."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from mutualwatch.branches.models import Branch
from mutualwatch.campaigns.models import Case
from mutualwatch.foi.models import FoiRequest
from mutualwatch.register.models import Authority, ServiceArea
from tests.conftest import build_authority, build_branch


def build_case(branch: Branch, authority: Authority, **fields: Any) -> Case:
    values = {
        "title": f"Keep {authority.name}'s libraries in-house",
        "service_area": ServiceArea.objects.get(code="libraries"),
    }
    return Case.objects.create(branch=branch, authority=authority, **(values | fields))


def build_request(case: Case, **fields: Any) -> FoiRequest:
    values = {
        "template": "pensions",
        "subject": f"Pension admission agreements: {case.title}",
        "body": "Please provide ...",
    }
    return FoiRequest.objects.create(case=case, authority=case.authority, **(values | fields))


@dataclass
class World:
    """``cases`` and ``requests`` by situation: "own" (branch A, private), "other private"
    and "other shared" (branch B, both A and B in the network), "outside" (branch C, not in
    the network). ``people`` by role: A's member and officer, C's member and officer, a
    national researcher, an administrator, a visitor (None)."""

    council: Authority
    branches: dict[str, Branch]
    cases: dict[str, Case]
    requests: dict[str, FoiRequest]
    people: dict[str, Any]


@pytest.fixture
def world(person, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    joined = datetime.date(2020, 1, 1)
    council = build_authority(name="Exemplar Borough Council", nation="england")
    scottish = build_authority(name="Glenbrae Council", nation="scotland")
    other = build_authority(name="Elsewhere District Council")
    branches = {
        "A": build_branch(name="Exemplar Branch", joined_network_on=joined),
        "B": build_branch(name="Glenbrae Branch", joined_network_on=joined),
        "C": build_branch(name="Elsewhere Branch"),
    }
    branches["A"].authorities.add(council)
    branches["B"].authorities.add(scottish)
    branches["C"].authorities.add(other)
    cases = {
        "own": build_case(branches["A"], council),
        "other private": build_case(branches["B"], scottish),
        "other shared": build_case(branches["B"], scottish, shared_with_network=True),
        "outside": build_case(branches["C"], other),
    }
    requests = {situation: build_request(case) for situation, case in cases.items()}
    people = {
        "visitor": None,
        "member": person("branch member", branches["A"]),
        "officer": person("branch officer", branches["A"]),
        "outside member": person("branch member", branches["C"]),
        "outside officer": person("branch officer", branches["C"]),
        "researcher": person("national researcher"),
        "administrator": person("administrator"),
    }
    return World(council, branches, cases, requests, people)
