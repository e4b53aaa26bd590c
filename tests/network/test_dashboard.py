"""The network space's dashboard: what it counts for each member council, from the published
register and the cases shared with the network, and where each number links."""

import datetime
import re

from mutualwatch.network import queries
from mutualwatch.register.models import ServiceArea
from tests.conftest import build_arrangement, build_event
from tests.network.worlds import case_of, network_world


def test_the_dashboard_counts_member_councils_published_records_only(person, as_person):
    world = network_world()
    today = datetime.date.today()
    care = ServiceArea.objects.get(code="libraries")
    spun_out = build_arrangement(authority=world.council_a, service_area=care)
    # Not counted: a draft, an ended spin-out, an outsourcing, a council that left the network,
    # one with only an opposition group's membership.
    build_arrangement(authority=world.council_a, state="draft")
    ended = build_arrangement(
        authority=world.council_a, end_date=datetime.date(2019, 3, 31), origin="spin-out"
    )
    build_arrangement(authority=world.council_a, origin="outsourcing")
    build_arrangement(authority=world.council_left)
    build_arrangement(authority=world.council_opposition)
    # Brought back: a published insourcing event on a published arrangement; not a draft one.
    insourced = build_event(
        arrangement=ended, event_type="insourcing", date=datetime.date(2019, 4, 1)
    )
    build_event(arrangement=ended, event_type="insourcing", state="draft")
    build_event(arrangement=spun_out, event_type="takeover")
    # In the pipeline: shared cases before transfer with no outcome; not private, not transferred.
    pipeline = case_of(world.b, world.council_b, shared=True, stage="options-appraisal")
    case_of(world.b, world.council_b, shared=False, stage="consultation")
    case_of(world.b, world.council_b, shared=True, stage="transfer", title="Transferred")
    case_of(world.a, world.council_left, shared=True, stage="consultation", title="Left council")

    member = person("branch member", world.a)
    board = queries.dashboard(member, today)
    by_council = {row.council.name: row for row in board.councils}
    assert sorted(by_council) == [world.council_a.name, world.council_b.name]
    assert by_council[world.council_a.name].spun_out == [spun_out]
    assert by_council[world.council_a.name].brought_back == [insourced]
    assert by_council[world.council_b.name].pipeline == [pipeline]
    assert board.totals() == {"Spun out": 1, "In the pipeline": 1, "Brought back": 1}

    page = as_person(member).get("/workspace/network/").text
    # Each council's numbers link to its public page; each event to its source.
    gss = world.council_a.gss_code
    assert re.search(rf'href="/authorities/{gss}/" aria-label="1 spun out: ', page)
    assert re.search(rf'href="/authorities/{gss}/" aria-label="1 brought back: ', page)
    assert f"/sources/{insourced.source.uid}/" in page
    assert f"/workspace/campaigns/{pipeline.pk}/" in page
    assert 'role="img" aria-label="Bar chart: services spun out' in page
    assert "<svg" in page
    assert "In the pipeline" in page


def test_why_each_branch_is_in_the_network(db):
    world = network_world()
    rows = {row.branch.name: row for row in queries.network_branch_list()}
    assert sorted(rows) == sorted([world.a.name, world.b.name, world.joined.name])
    assert rows[world.a.name].member_councils == [world.council_a]
    assert rows[world.joined.name].member_councils == []
    assert rows[world.joined.name].joined_on == datetime.date(2022, 1, 10)


def test_the_space_says_why(person, as_person):
    world = network_world()
    page = as_person(person("branch member", world.joined)).get("/workspace/network/").text
    assert (
        f'employer is a member council: <a href="/authorities/{world.council_a.gss_code}/">' in page
    )
    assert "joined on 10 January 2022" in page
