"""/workforce/: what transfer did to the staff, drawn from the latest publication's protected
tables only, every figure traceable to its release, withheld cells in words."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import build_arrangement, build_authority, build_provider
from tests.publishing.workforce_world import (
    AFTER,
    BEFORE,
    LGPS,
    MUTUAL,
    PENSIONS,
    SPECS,
    build_publication,
    count_cells,
    standard_cells,
)

pytestmark = pytest.mark.django_db


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _withheld_cells(page: str) -> list[str]:
    return re.findall(r'<td class="number withheld">([^<]*)</td>', page)


def test_the_page_shows_the_published_figures_and_the_withheld_ones_in_words(client):
    build_publication()
    page = _text(client, "/workforce/")
    assert "What transfer did to the staff" in page
    assert "Workforce tables, release 1, published" in page
    assert "from 1,234 respondents" in page
    # Published counts, with their shares of the row's total, and means.
    assert "120 (86%)" in page
    assert "12 (8%)" in page
    assert "100.2%" in page
    assert "94.4%" in page
    assert "33.3" in page  # 33.25 hours, rounded half up
    # Each withheld cell says why, with the release's own k.
    withheld = _withheld_cells(page)
    assert "fewer than 10" in withheld
    assert "withheld to protect another cell" in withheld
    assert "withheld: two answers make up over 90% of it" in withheld
    assert all(words.strip() and not words.strip()[0].isdigit() for words in withheld)
    # Nothing null, empty or private shows as a figure.
    for never in ("None", "null", "nan", "BASIS", "7717"):
        assert never not in page
    assert '<td class="number"></td>' not in page
    # Four charts' worth of sections, each chart drawn with its key beside it.
    for heading in ("Pensions", "Pay against the council's rate", "Hours", "Union recognition"):
        assert f">{heading}" in page
    assert page.count('<figure class="chart workforce-chart"') == 6
    assert "The council's rate for the same grade (100%)" in page
    # Tables not drawn are still shown, from their specifications.
    for title in ("Pensions by service", "Pensions by council", "Headcount by service"):
        assert title in page


def test_each_chart_says_in_one_sentence_what_it_shows(client):
    build_publication()
    page = _text(client, "/workforce/")
    assert (
        f"Respondents whose pension was “{LGPS}”: 86% before or at transfer and 42% after."
    ) in page
    assert (
        "Public service mutual 100.2% before or at transfer and 94.4% after; Private company "
        "99.8% before or at transfer (after: not published)."
    ) in page
    assert "Respondents answering “Yes” to “New starters on different terms" in page
    # A kind of provider too small for any total is named, not drawn.
    assert "Not drawn, too few respondents for a figure to be published: Charity" in page


def test_the_page_names_its_release_and_links_the_method_and_the_download(client):
    build_publication(number=3, respondents=2001)
    page = client.get("/workforce/").content.decode()
    assert 'href="/workforce/method/"' in page
    assert 'href="/workforce/release-3.csv"' in page
    assert "Workforce tables, release 3" in page
    assert "from 2,001 respondents" in page


def test_only_the_latest_publication_is_shown(client):
    build_publication(number=1)
    later = count_cells("pension-national", {(BEFORE,): [77, 33, 20, 11, 141]}, PENSIONS)
    build_publication(number=2, cells=later, respondents=141)
    page = _text(client, "/workforce/")
    assert "release 2" in page
    assert "release 1," not in page
    assert "77 (55%)" in page
    assert "120 (86%)" not in page
    # The older release's cells can still be downloaded.
    assert client.get("/workforce/release-1.csv").status_code == 200


def test_with_no_publication_the_page_says_so(client):
    page = _text(client, "/workforce/")
    assert "No workforce tables have been published yet" in page
    assert "<svg" not in page.split("<main")[1]
    assert 'href="/workforce/method/"' in page
    assert client.get("/workforce/release-1.csv").status_code == 404


def test_the_download_holds_every_cell_withheld_ones_in_words(client):
    build_publication(number=4)
    response = client.get("/workforce/release-4.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="workforce-release-4.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "table",
        "table_title",
        "row",
        "column",
        "respondents",
        "value",
        "suppressed",
    ]
    assert len(rows) - 1 == len(standard_cells())
    assert [
        "pension-national",
        "Pensions, all transferred staff",
        BEFORE,
        LGPS,
        "120",
        "",
        "",
    ] in rows
    assert [
        "pay-by-provider-kind",
        "Pay against the council's rate, by kind of provider",
        f"{MUTUAL} / {AFTER}",
        "pay_ratio",
        "55",
        "94.37",
        "",
    ] in rows
    withheld = [row for row in rows[1:] if row[6]]
    assert withheld
    assert all(row[4] == "" and row[5] == "" for row in withheld)
    assert {row[6] for row in withheld} == {
        "fewer than 10 respondents",
        "withheld to protect another cell",
        "withheld: two answers make up over 90% of it",
    }
    assert "BASIS" not in response.content.decode()


def test_the_method_page_is_served_and_linked(client):
    build_publication()
    page = _text(client, "/workforce/method/")
    assert "How the staff tables are made" in page
    for section in ("Secondary suppression", "Dominance", "Differencing between releases"):
        assert section in page
    assert "respondent" in page


def test_the_site_navigation_leads_to_the_staff_page(client):
    assert 'href="/workforce/">Staff</a>' in client.get("/").content.decode()


@pytest.fixture
def exemplar():
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000099")
    build_arrangement(authority=council, provider=build_provider(name="Exemplar Leisure Mutual"))
    return council


def test_a_council_page_shows_its_own_published_rows(client, exemplar):
    build_publication()
    page = _text(client, "/authorities/X09000099/")
    assert "Staff terms after transfer" in page
    section = page.split("Staff terms after transfer")[1].split("</table>")[0]
    assert "12 (40%)" in section
    assert "30 (83%)" in section
    assert "fewer than 10" in section
    assert "Exemplar Borough Council" not in section.split("<table")[1]  # not in every row
    assert "Workforce tables, release 1" in section
    assert 'href="/workforce/"' in section


def test_a_council_with_nothing_published_has_no_staff_section(client, exemplar):
    quiet = build_authority(name="Quietshire Council", gss_code="X09000098")
    build_arrangement(authority=quiet)
    assert "Staff terms after transfer" not in _text(client, "/authorities/X09000099/")
    build_publication()
    # Every one of its cells withheld.
    assert "Staff terms after transfer" not in _text(client, "/authorities/X09000098/")


def test_labels_from_a_publication_are_escaped(client):
    hostile = '<script>alert("x")</script> Council'
    cells = count_cells("pension-by-authority", {(hostile, AFTER): [11, 12, 13, 14, 50]}, PENSIONS)
    build_publication(cells=cells, specs=SPECS)
    build_authority(name=hostile, gss_code="X09000097")
    for url in ("/workforce/", "/authorities/X09000097/"):
        page = client.get(url).content.decode()
        assert "<script>" not in page
        assert "&lt;script&gt;" in page


def test_no_public_page_reads_a_publications_private_basis(client, exemplar):
    """``basis`` holds the counts a release was built from: never read for anything public."""
    build_publication()
    with CaptureQueriesContext(connection) as queries:
        for url in ("/workforce/", "/workforce/release-1.csv", "/authorities/X09000099/"):
            assert client.get(url).status_code == 200
        assert client.get("/authorities/X09000099/pack.pdf").status_code == 200
    read = [q["sql"] for q in queries.captured_queries if "workforce_publication" in q["sql"]]
    assert read
    assert not any("basis" in sql for sql in read)
