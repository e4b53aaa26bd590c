"""A council's page tells each service's story: the timeline, how each arrangement ended (by
the fates rules), every source, in labels and plain dates."""

import datetime
import re

import pytest
from django.test import Client

from mutualwatch.register.models import ServiceArea
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_event,
    build_provider,
    build_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    """A council's leisure: in-house, spun out in 2014 to a mutual that a private company
    took over in 2019; its libraries: outsourced and still running."""
    council = build_authority(name="Storyshire Council", gss_code="X09000123")
    leisure = ServiceArea.objects.get(code="leisure")
    in_house = build_provider(name="Storyshire Council (in-house)", legal_form="in-house")
    mutual = build_provider(name="Story Leisure Mutual Ltd", legal_form="public-service-mutual")
    buyer = build_provider(name="Bigleisure Plc", legal_form="private-company")
    build_arrangement(
        authority=council, service_area=leisure, provider=in_house, origin="always-in-house",
        start_date=datetime.date(2000, 4, 1), end_date=datetime.date(2014, 3, 31),
    )  # fmt: skip
    spin_out = build_arrangement(
        authority=council, service_area=leisure, provider=mutual, origin="spin-out",
        start_date=datetime.date(2014, 4, 1),
    )  # fmt: skip
    second = build_source(title="Leisure trust annual report", url="https://example.org/annual")
    spin_out.additional_sources.add(second)
    build_event(
        arrangement=spin_out, provider=mutual, counterparty=buyer, event_type="takeover",
        date=datetime.date(2019, 6, 1), description="Bigleisure bought the trust.",
    )  # fmt: skip
    build_arrangement(
        authority=council, provider=build_provider(legal_form="private-company"),
        origin="outsourcing", start_date=datetime.date(2016, 1, 1),
    )  # fmt: skip
    return {"council": council, "spin_out": spin_out, "second": second}


def _rows(page: str) -> list[str]:
    table = page[page.index('<h2 id="services">') :]
    return table[: table.index("</table>")].split("<tr>")[2:]


def _row_of(page: str, provider: str) -> str:
    row = next(r for r in _rows(page) if provider in r)
    return re.sub(r"<[^>]+>", " ", row)


def test_each_arrangement_says_how_it_ended_as_the_fates_rules_do(client: Client, story):
    page = client.get("/authorities/X09000123/").content.decode()
    assert "How it ended" in page
    assert "Spun out, 2014" in _row_of(page, "Storyshire Council (in-house)")
    taken = _row_of(page, "Story Leisure Mutual Ltd")
    assert "Under private control, 2019" in taken
    assert "takeover by a private company" in taken
    assert "Still running" in _row_of(page, "Test Mutual")


def test_every_source_of_an_arrangement_is_cited_with_its_address(client: Client, story):
    page = client.get("/authorities/X09000123/").content.decode()
    row = next(r for r in _rows(page) if "Story Leisure Mutual Ltd" in r)
    assert row.count('href="/sources/') == 2
    assert 'data-source-url="https://example.org/annual"' in row


def test_the_timeline_is_drawn_with_labels_a_text_alternative_and_its_key(client: Client, story):
    page = client.get("/authorities/X09000123/").content.decode()
    figure = page[page.index('<figure class="chart timeline-chart"') : page.index("</figure>")]
    assert "<svg" in figure
    for label in ("Leisure and sport", "Libraries"):
        assert f">{label}</text>" in figure  # a row heading in the chart itself
    for key in ("In-house (the council itself)", "Public service mutual", "Private company"):
        assert key in figure
    assert "Takeover or change of control" in figure
    assert "A timeline of 2 services from 2000" in figure
    for slug in ("public-service-mutual", "private-company", "in-house<", "takeover<"):
        assert slug not in figure


def test_dates_read_one_way_and_never_wrap(client: Client, story):
    page = client.get("/authorities/X09000123/").content.decode()
    assert "1\u00a0April\u00a02014" in page
    assert "2014-04-01" not in page
