"""Who is in the branch network: the one rule, ``network_branch_ids``, in every situation the
issue names. A branch is in when its employer is a council that is a member now, or when it has
joined itself; an opposition group's membership does not make its council a co-operative
council, and a council that has left takes its branches out with it."""

import datetime

import pytest
from django.utils import timezone

from mutualwatch.branches.permissions import network_branch_ids
from mutualwatch.register.models import NetworkMembership, NetworkMemberType, NetworkTier
from tests.conftest import build_authority, build_branch

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2012, 7, 1)


def branch_employed_by(membership: dict | None = None, **branch_fields):
    council = build_authority()
    branch = build_branch(**branch_fields)
    branch.authorities.add(council)
    if membership is not None:
        NetworkMembership.objects.create(
            authority=council, member_name=council.name, **({"joined_on": LONG_AGO} | membership)
        )
    return branch


def test_each_situation_of_a_branch():
    today = timezone.localdate()
    situations = {
        "full member council": branch_employed_by({}),
        "associate member council": branch_employed_by({"tier": NetworkTier.ASSOCIATE}),
        "council that left": branch_employed_by({"left_on": today - datetime.timedelta(days=1)}),
        "council leaving tomorrow": branch_employed_by(
            {"left_on": today + datetime.timedelta(days=1)}
        ),
        "council joining tomorrow": branch_employed_by(
            {"joined_on": today + datetime.timedelta(days=1)}
        ),
        "opposition group only": branch_employed_by(
            {"member_type": NetworkMemberType.OPPOSITION_GROUP}
        ),
        "no membership": branch_employed_by(None),
        "joined itself": branch_employed_by(None, joined_network_on=datetime.date(2024, 5, 1)),
        "joining next week": branch_employed_by(
            None, joined_network_on=today + datetime.timedelta(days=7)
        ),
    }
    inside = network_branch_ids()
    assert {name: branch.pk in inside for name, branch in situations.items()} == {
        "full member council": True,
        "associate member council": True,
        "council that left": False,
        "council leaving tomorrow": True,
        "council joining tomorrow": False,
        "opposition group only": False,
        "no membership": False,
        "joined itself": True,
        "joining next week": False,
    }


def test_a_council_that_left_and_rejoined_counts_once_it_is_back():
    today = timezone.localdate()
    branch = branch_employed_by({"left_on": datetime.date(2015, 1, 1)})
    council = branch.authorities.get()
    assert branch.pk not in network_branch_ids()
    NetworkMembership.objects.create(
        authority=council, member_name=council.name, joined_on=today - datetime.timedelta(days=30)
    )
    assert branch.pk in network_branch_ids()
