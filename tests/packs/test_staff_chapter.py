"""The branch pack's chapter on staff: the latest protected workforce tables as far as they
concern the council, withheld figures in the site's words; one sentence before any release."""

import datetime
import html
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from mutualwatch.packs.services import pack_html
from mutualwatch.register.models import ServiceArea
from tests.conftest import build_arrangement, build_authority, build_provider
from tests.publishing.workforce_world import (
    CHARITY,
    MUTUAL,
    PRIVATE,
    build_publication,
    standard_cells,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def council():
    council = build_authority(name="Packshire Council", gss_code="X09000777")
    build_arrangement(
        authority=council,
        provider=build_provider(name="Packshire Mutual", legal_form="public-service-mutual"),
    )
    build_arrangement(
        authority=council,
        service_area=ServiceArea.objects.get(code="waste-collection"),
        provider=build_provider(name="Bincorp Ltd", legal_form="private-company"),
        origin="outsourcing",
    )
    return council


def chapter(authority) -> str:
    text = html.unescape(pack_html(authority, TODAY))
    return text.split("<h2>What transfer did to the staff</h2>")[1].split("</section>")[0]


def rows_of(part: str) -> list[str]:
    return [" | ".join(re.findall(r"<td[^>]*>(.*?)</td>", row)) for row in part.split("<tr>")]


def test_the_chapter_holds_the_councils_rows_the_nation_and_its_kinds_of_provider(council):
    build_publication(number=2, cells=standard_cells(council="Packshire Council"))
    text = chapter(council)
    assert "Workforce tables, release 2, published" in text
    assert "from 1,234 respondents" in text
    council_part, rest = text.split("Across every council", 1)
    assert (
        "Before or at transfer | 30 (83%) | fewer than 10 | withheld to protect another cell"
        " | fewer than 10 | 36" in (rows_of(council_part))
    )
    national_part, kinds_part = rest.split("Where its services went", 1)
    assert "120 (86%)" in national_part
    assert f"({PRIVATE}, {MUTUAL})" in kinds_part
    kinds = rows_of(kinds_part)
    assert any(row.startswith(f"{MUTUAL} | After transfer | 40 (50%)") for row in kinds)
    assert any(row.startswith(f"{PRIVATE} | After transfer | 12 (21%)") for row in kinds)
    assert f"{PRIVATE} | Before or at transfer | 99.8% | 40" in kinds
    # Its mean after transfer is withheld, and so is its only figure: the row is left out.
    assert not any(row.startswith(f"{PRIVATE} | After transfer | withheld") for row in kinds)
    assert f"{MUTUAL} | After transfer | 94.4% | 55" in kinds
    assert CHARITY not in kinds_part  # its services went to no charity
    for never in ("None", "null", "BASIS"):
        assert never not in text


def test_only_the_kinds_the_councils_services_went_to_are_shown():
    mutual_only = build_authority(name="Mutualshire Council", gss_code="X09000778")
    build_arrangement(
        authority=mutual_only,
        provider=build_provider(name="Mutualshire Care", legal_form="public-service-mutual"),
    )
    build_publication()
    text = chapter(mutual_only)
    assert PRIVATE not in text.split("Where its services went", 1)[1]
    # Nothing published for this council itself: the chapter says so.
    assert "No figure for this council's staff has been published" in text


def test_before_any_release_the_chapter_is_one_sentence(council):
    text = html.unescape(pack_html(council, TODAY))
    assert "No tables of staff terms have been published yet, so this chapter is left out." in (
        text
    )
    assert "the protected workforce tables (none published yet)." in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_printed_pack_carries_the_chapter(council, tmp_path):
    build_publication(cells=standard_cells(council="Packshire Council"))
    out = tmp_path / "pack.pdf"
    call_command("branch_pack", "X09000777", "--out", str(out))
    printed = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True)
    flat = " ".join(printed.stdout.decode().split())
    assert "What transfer did to the staff" in flat
    assert "Workforce tables, release 1" in flat
    assert "fewer than 10" in flat
