"""The network page (docs/network-membership.md): membership over time, spin-outs in member
and other councils, and every membership citing its source."""

import csv
import datetime
import io
import re

import altair as alt
import pytest
from django.utils import timezone

from mutualwatch.analysis.charts import to_svg, yearly_bars_chart
from mutualwatch.analysis.loading import load_register_history
from mutualwatch.publishing import network
from mutualwatch.publishing import queries as public
from mutualwatch.register.models import NetworkMembership
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_event,
    build_provider,
    build_source,
)

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def network_world():
    """A member council (full, since 2015), a council with only its opposition group in the
    network (first listed 2019), an organisation that was an affiliate 2020-2022, and a
    spin-out in each council in 2020 and a service brought back in-house in the member."""
    member = build_authority(name="Member Borough Council", gss_code="X09000201")
    other = build_authority(name="Opposed District Council", gss_code="X07000202")
    listing = build_source(title="The network's members, 2019", kind="web-page")
    report = build_source(title="Annual report 2015", kind="web-page")
    NetworkMembership.objects.create(
        member_name="Member Borough Council",
        authority=member,
        tier="full",
        joined_on=datetime.date(2015, 4, 1),
        joined_precision="month",
        source=report,
    )
    NetworkMembership.objects.create(
        member_name="Opposed Co-operative Group",
        member_type="opposition-group",
        authority=other,
        tier="affiliate",
        joined_on=datetime.date(2019, 1, 1),
        joined_precision="year",
        joined_basis="first-listed",
        source=listing,
    )
    NetworkMembership.objects.create(
        member_name="A Development Agency",
        member_type="organisation",
        tier="affiliate",
        joined_on=datetime.date(2020, 6, 1),
        joined_precision="month",
        left_on=datetime.date(2022, 1, 1),
        left_precision="year",
        source=listing,
    )
    spun = build_arrangement(
        authority=member,
        provider=build_provider(name="Member Leisure Mutual"),
        start_date=datetime.date(2020, 4, 1),
        origin="spin-out",
    )
    build_arrangement(
        authority=other,
        provider=build_provider(name="Opposed Care Mutual"),
        start_date=datetime.date(2020, 7, 1),
        origin="spin-out",
    )
    build_event(arrangement=spun, event_type="insourcing", date=datetime.date(2023, 3, 1))
    return {"member": member, "other": other, "listing": listing, "report": report}


def test_the_page_shows_membership_over_time_by_tier(client, network_world):
    text = client.get("/network/").content.decode()

    assert (
        "The register records members of the network from 2015. In "
        f"{THIS_YEAR} it counts 2 members: 1 full member, 1 affiliate member." in text
    )
    assert 'aria-label="Stacked bar chart: members of the network each year, by tier' in text
    assert "counted from the first date a source lists it (“first listed”)" in text
    # 2021: the full member, the group and the agency (two affiliates).
    assert "<td>2021</td><td>Affiliate member</td><td>2</td>" in text
    assert "<td>2022</td><td>Affiliate member</td><td>2</td>" in text  # left during 2022
    assert "<td>2023</td><td>Affiliate member</td><td>1</td>" in text
    assert "<td>2018</td><td>Affiliate member</td>" not in text


def test_an_opposition_group_is_never_counted_as_a_co_operative_council(client, network_world):
    text = client.get("/network/").content.decode()

    # The spin-out in the council with only an opposition group counts among other councils.
    assert "<td>2020</td><td>1</td><td>1</td><td>0</td><td>0</td>" in text
    assert "<td>2023</td><td>0</td><td>0</td><td>1</td><td>0</td>" in text
    assert (
        "the register shows 1 spin-out started in councils while they were network members "
        "and 1 in other councils; 1 service brought back in-house in member councils and 0 "
        "in other councils." in text
    )
    members = client.get("/authorities/?network=member").content.decode()
    assert "Member Borough Council" in members
    assert "Opposed District Council" not in members
    _, arrangements = public.network_delivery_now(timezone.localdate())
    assert arrangements == 1
    history = load_register_history(datetime.date(2026, 1, 1))
    assert {m.authority for m in history.memberships} == {"X09000201"}
    council_page = client.get("/authorities/X07000202/").content.decode()
    assert "Opposed Co-operative Group, an opposition group on the council (not the council" in (
        council_page
    )
    assert "Full member" not in council_page


def test_every_membership_row_names_its_type_and_tier_and_links_its_source(client, network_world):
    text = client.get("/network/").content.decode()
    table = text[text.index('<table class="memberships">') :]
    rows = re.findall(r"<tr><td.*?</tr>", table[: table.index("</table>")])

    assert len(rows) == 3
    for row in rows:
        assert re.search(r'<td data-label="Source"><a href="/sources/[0-9a-f-]{36}/">', row)
    group = next(row for row in rows if "Opposed Co-operative Group" in row)
    assert '(opposition group on <a href="/authorities/X07000202/">' in group
    assert "A council&#x27;s opposition group" in group
    assert "first listed 2019" in group
    agency = next(row for row in rows if "A Development Agency" in row)
    assert ">June\u00a02020<" in agency
    assert '<td data-label="Left">2022</td>' in agency
    assert f'<a href="/sources/{network_world["listing"].uid}/">' in agency


def test_a_membership_whose_source_is_not_published_says_so_without_a_link(client):
    council = build_authority(name="Drafting Council")
    NetworkMembership.objects.create(
        member_name="Drafting Council",
        authority=council,
        joined_on=datetime.date(2016, 1, 1),
        source=build_source(title="Unchecked page", state="draft"),
    )
    text = client.get("/network/").content.decode()
    assert "Source not yet published" in text
    assert "Unchecked page" not in text


def test_the_csv_download_gives_labels_and_each_rows_source(client, network_world):
    response = client.get("/network/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert list(rows[0]) == network.CSV_COLUMNS
    group = next(row for row in rows if row["member"] == "Opposed Co-operative Group")
    assert group | {"source_url": ""} == {
        "member": "Opposed Co-operative Group",
        "type": "A council's opposition group",
        "tier": "Affiliate member",
        "council": "Opposed District Council",
        "gss_code": "X07000202",
        "joined": "2019",
        "joined_basis": "first listed as a member",
        "left": "",
        "source_title": "The network's members, 2019",
        "source_url": "",
        "source_page": f"/sources/{network_world['listing'].uid}/",
        "notes": "",
    }
    assert all(row["source_page"] for row in rows)


def test_a_spell_counts_in_every_year_it_covers_any_part_of():
    spell = network.SpellOfMembership(
        ("A", "council"),
        "council",
        "full",
        1,
        datetime.date(2015, 12, 31),
        datetime.date(2017, 1, 2),
    )
    assert [year for year in range(2013, 2020) if spell.covers(year)] == [2015, 2016, 2017]


def test_the_membership_chart_is_valid_vega_lite_and_names_the_tiers():
    rows = [{"year": 2019, "tier": label, "members": 3} for label in network.TIER_LABELS]
    spec = yearly_bars_chart(rows, "members", "tier", network.TIER_LABELS, "Members by tier")
    alt.Chart.from_dict(spec)
    svg = to_svg(spec)
    for label in network.TIER_LABELS:
        assert label in svg
    assert "aria" not in str(spec["mark"]) or spec["mark"]["aria"] is False
