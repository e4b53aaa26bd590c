"""The branch pack: a council's story as an A4 PDF, read back with poppler's tools."""

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from mutualwatch.register.models import ServiceArea
from tests.browser_support import ARTIFACTS
from tests.conftest import build_arrangement, build_authority, build_event, build_provider

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="poppler-utils is not installed (scripts/setup)"
    ),
]


@pytest.fixture
def council():
    council = build_authority(name="Packshire Council", gss_code="X09000777")
    mutual = build_provider(name="Packshire Libraries Mutual", legal_form="public-service-mutual")
    libraries = build_arrangement(authority=council, provider=mutual)
    build_event(arrangement=libraries, provider=mutual, event_type="re-tender")
    build_arrangement(
        authority=council,
        service_area=ServiceArea.objects.get(code="waste-collection"),
        provider=build_provider(name="Bincorp Ltd", legal_form="private-company"),
        origin="outsourcing",
    )
    return council


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def _cited_addresses(page: str) -> set[str]:
    return {unescape(url) for url in re.findall(r'data-source-url="([^"]+)"', page)}


def test_the_pack_holds_the_council_its_services_and_every_source_the_page_cites(
    council, tmp_path, client: Client
):
    out = tmp_path / "pack.pdf"
    call_command("branch_pack", "X09000777", "--out", str(out))
    text = _text(out)
    flat = " ".join(text.split())
    assert "Packshire Council" in text
    for area in ("Libraries", "Waste collection"):
        assert area in text
    page = client.get("/authorities/X09000777/").content.decode()
    cited = _cited_addresses(page)
    assert len(cited) == 3  # two arrangements' sources and the event's
    for address in cited:
        assert address in flat.replace(" ", "") or address in flat
    assert "What this pack is based on" in text
    pages = int(re.search(r"Page 1 of (\d+)", text).group(1))  # type: ignore[union-attr]
    images = ARTIFACTS / "branch-pack"
    images.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(images / "page")], check=True)
    assert len(list(images.glob("page-*.png"))) >= pages


def test_the_council_page_offers_the_pack_as_a_download(council, client: Client):
    page = client.get("/authorities/X09000777/").content.decode()
    assert 'href="/authorities/X09000777/pack.pdf"' in page
    assert "Download the branch pack (PDF)" in page
    response = client.get("/authorities/X09000777/pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="branch-pack-X09000777-'
    )
    assert response.content.startswith(b"%PDF-")
    assert client.get("/authorities/X09999999/pack.pdf").status_code == 404


def test_an_unknown_council_or_a_folder_for_out_is_refused_by_name(council, tmp_path):
    with pytest.raises(CommandError, match="X09999999"):
        call_command("branch_pack", "X09999999", "--out", str(tmp_path / "p.pdf"))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("branch_pack", "X09000777", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("branch_pack", "X09000777", "--out", str(tmp_path / "no" / "p.pdf"))
