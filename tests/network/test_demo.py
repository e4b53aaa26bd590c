"""The demo's branch network: a tiny generated world's register, then the network's records,
loaded twice (nothing changes the second time); the demo member reads the space."""

import pytest

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import network_branch_ids
from mutualwatch.demoworld.accounts import demo_branch, make_demo_accounts
from mutualwatch.demoworld.network import load_network
from mutualwatch.demoworld.parameters import world_parameters
from mutualwatch.demoworld.world import generate_world
from mutualwatch.network.models import Meeting, PracticeNote
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Authority, NetworkMembership
from tests.conftest import log_in


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny-world")
    generate_world(world_parameters(7, "tiny"), out)
    return out


def test_the_demo_network_and_a_member_reading_it(tiny_world, settings, tmp_path, db, client):
    import_register(tiny_world / "register.json")
    said: list[str] = []
    load_network(said.append)
    counts = (Meeting.objects.count(), PracticeNote.objects.count(), Branch.objects.count())
    load_network(said.append)
    assert (Meeting.objects.count(), PracticeNote.objects.count(), Branch.objects.count()) == counts
    assert counts[:2] == (4, 2)
    assert said[0] == said[1], said
    assert said[0].startswith("Branch network: ")
    members = network_branch_ids()
    in_by_council = Branch.objects.filter(
        pk__in=members,
        authorities__in=Authority.objects.filter(
            pk__in=NetworkMembership.objects.values("authority_id")
        ),
    )
    assert in_by_council.exists()
    assert Branch.objects.exclude(pk__in=members).exists()
    assert demo_branch().pk in members
    meeting = Meeting.objects.filter(notes__gt="").first()
    assert set(meeting.attending.values_list("pk", flat=True)) <= members

    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    accounts = {account.username: account for account in make_demo_accounts()}
    assert log_in(client, "demo-member", accounts["demo-member"].password)
    page = client.get("/workspace/network/").text
    assert "Autumn meeting: bringing services back" in page
    assert "Winter meeting: the year ahead" in page
    assert "Keep the libraries in-house" in page
    assert "Keep members&#x27; terms on record before transfer" in page
