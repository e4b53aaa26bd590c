"""The branch secretary's hour, as a newcomer lives it: the README's first command on a machine
with nothing configured, then, in Chromium, the council found by its short name, its timeline,
and the branch pack downloaded and read back. Under ten minutes from start to paper."""

import json
import re
import shutil
import sqlite3
import subprocess
import time
from html import unescape
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutualwatch.analysis.wording import national_sentences
from tests.browser_support import ARTIFACTS, CHROMIUM, assert_accessible, screenshot
from tests.demoworld.test_demo_command import serving_demo

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]
TEN_MINUTES = 600
# Words a council's official name adds to what people call it.
TITLE_WORDS = {"council", "district", "borough", "county", "city", "metropolitan", "of", "the"}


def short_name(name: str) -> str:
    return " ".join(word for word in name.split() if word.lower() not in TITLE_WORDS)


def national_sentences_of(database: Path) -> list[str]:
    """What the pack should say of the national fates: the latest stored analysis, worded."""
    with sqlite3.connect(database) as connection:
        (document,) = connection.execute(
            "SELECT document FROM analysis_fatesresult ORDER BY computed_at DESC, id DESC LIMIT 1"
        ).fetchone()
    return national_sentences(json.loads(document))


def busiest_council(database: Path) -> tuple[str, str]:
    with sqlite3.connect(database) as connection:
        code, name = connection.execute(
            "SELECT a.gss_code, a.name FROM register_authority a JOIN register_arrangement r "
            "ON r.authority_id = a.id WHERE r.state = 'published' GROUP BY a.id "
            "ORDER BY COUNT(*) DESC, a.gss_code LIMIT 1"
        ).fetchone()
    return code, name


def test_from_a_fresh_install_to_a_printed_sourced_pack(tmp_path, browser):
    started = time.monotonic()
    artefacts = ARTIFACTS / "journey"
    shutil.rmtree(artefacts, ignore_errors=True)
    artefacts.mkdir(parents=True)
    with serving_demo(tmp_path) as (site, _):
        database = tmp_path / "demo" / "mutualwatch.sqlite3"
        code, name = busiest_council(database)
        sentences = national_sentences_of(database)
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()

        page.goto(f"{site}/")
        page.get_by_role("searchbox", name="Search").fill(short_name(name))
        page.get_by_role("searchbox", name="Search").press("Enter")
        results = page.locator("#search-results")
        expect(results.get_by_role("heading", level=2).first).to_have_text("Councils (1)")
        first = results.get_by_role("link").first
        expect(first).to_have_text(name)
        screenshot(page, "journey/search")
        first.click()
        expect(page).to_have_url(f"{site}/authorities/{code}/")
        expect(page.get_by_role("heading", name="Each service's story")).to_be_visible()
        expect(page.locator("figure.timeline-chart > svg")).to_be_visible()
        assert_accessible(page)
        screenshot(page, "journey/council")

        html = page.content()
        table = html[html.index('<h2 id="services">') :]
        table = table[: table.index("</table>")]
        areas = {unescape(a) for a in re.findall(r'href="/services/[^"]+">([^<]+)</a>', table)}
        cited = {unescape(u) for u in re.findall(r'data-source-url="([^"]+)"', html)}
        assert areas
        assert cited

        with page.expect_download() as download:
            page.get_by_role("link", name="Download the branch pack (PDF)").click()
        pdf = artefacts / "branch-pack.pdf"
        download.value.save_as(pdf)
        elapsed = time.monotonic() - started
        context.close()

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    joined = "".join(text.split())
    assert name in text
    missing_areas = [area for area in areas if "".join(area.split()) not in joined]
    assert not missing_areas
    missing_sources = [url for url in cited if url not in joined]
    assert not missing_sources
    assert sentences
    missing_sentences = [line for line in sentences if "".join(line.split()) not in joined]
    assert not missing_sentences
    pages = int(re.search(r"Page 1 of (\d+)", text).group(1))  # type: ignore[union-attr]
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(artefacts / "page")], check=True)
    assert len(list(artefacts.glob("page-*.png"))) == pages
    (artefacts / "timing.txt").write_text(
        f"{name}: from `mutualwatch demo` on an empty machine to the pack saved: "
        f"{elapsed:.0f} s; the pack has {pages} pages.\n"
    )
    assert elapsed < TEN_MINUTES
