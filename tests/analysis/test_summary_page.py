"""The fates page opens with the figures in plain words, computed from the stored analysis,
before any chart; its tables name groups by their labels; and a register with too few
spin-outs says so instead of a figure."""

import html
import math
import re

import pytest

from mutualwatch.analysis.services import refresh_fates
from mutualwatch.analysis.wording import national_sentences
from tests.analysis.test_register_to_page import a_register_with_spin_outs

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.analysis.urls")]


def summary_of(page: str) -> list[str]:
    section = re.search(r'<section id="summary".*?</section>', page, flags=re.DOTALL)
    assert section is not None
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", section.group(0))]


def test_the_page_opens_with_a_sentence_per_fate_from_the_analysis(client):
    # A third of these are still running after eleven years: enough followed at 5 and 10.
    a_register_with_spin_outs(count=36)
    result = refresh_fates()
    page = client.get("/fates/").content.decode()
    sentences = national_sentences(result.document)
    assert summary_of(page)[: len(sentences)] == sentences
    assert page.index('id="summary"') < page.index('class="chart"')
    assert page.index('id="summary"') < page.index('id="headline"')
    # The numbers are the analysis's: its count of spin-outs, and each estimate's interval
    # widened outward to whole percentages.
    assert sentences[0].startswith("Of 36 services spun out, ")
    told = " ".join(sentences)
    estimates = [f for f in result.document["headline"] if f["status"] == "estimate"]
    assert {f["exit"] for f in estimates if f["years"]} == {"private", "in-house", "closed"}
    for figure in estimates:
        if figure["years"] is None:
            assert f"within about {figure['value']:.1f} years" in told
            continue
        low, high = math.floor(figure["lower"] * 100), math.ceil(figure["upper"] * 100)
        interval = (
            f"95% interval {low}%" if low == high else f"95% interval {low}\N{EN DASH}{high}%"
        )
        assert interval in told, (figure["key"], interval, told)
        # The headline table rounds the same way: the page never gives two intervals.
        assert f"<td>{low}% to {high}%</td>" in page, figure["key"]
    private_5 = re.search(r"about (\d+) in (\d+) had passed to private control", told)
    assert private_5 is not None
    value = next(f["value"] for f in estimates if f["key"] == "private-5-years")
    assert abs(int(private_5.group(1)) / int(private_5.group(2)) - value) <= 0.05
    # None closed: the analysis says so, and so do the words.
    assert "None had closed within 5 years" in told


def test_a_register_with_too_few_spin_outs_says_so_first(client):
    a_register_with_spin_outs(count=5)
    refresh_fates()
    page = client.get("/fates/").content.decode()
    assert summary_of(page)[0] == (
        "There are too few spun-out services in the register to say what became of them: "
        "5 services spun out, and the figures need at least 20."
    )
    assert "about 1 in" not in " ".join(summary_of(page))


def test_the_tables_under_the_charts_name_groups_by_their_labels(client):
    a_register_with_spin_outs()
    refresh_fates()
    page = client.get("/fates/").content.decode()
    assert "<td>Public service mutual</td>" in page or "Public service mutual</th>" in page
    assert "Leisure and sport" in page
    assert ">public-service-mutual<" not in page
    assert ">leisure<" not in page
    assert "<tr><td>Private control</td>" in page
    assert "<tr><td>private control</td>" not in page
