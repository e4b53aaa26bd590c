"""From the register in the database to the stored result and the public page: only published
records count, the councils' abolition rule holds, writes recompute the fates in the
background, and the page reads what was stored."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from mutualwatch.analysis import charts
from mutualwatch.analysis.loading import load_register_history, register_cut_off
from mutualwatch.analysis.models import FatesResult
from mutualwatch.analysis.queries import latest_fates
from mutualwatch.analysis.services import (
    RecomputeWhenCommitted,
    refresh_fates,
    register_data_changed,
)
from mutualwatch.analysis.spells import Exit, build_spells
from mutualwatch.register.models import ServiceArea
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_event,
    build_provider,
    build_source,
)

pytestmark = pytest.mark.django_db
D = datetime.date
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def spells_by_provider():
    return {s.provider: s for s in build_spells(load_register_history(D(2025, 12, 31)))}


def test_only_published_records_make_or_end_spells():
    published = build_arrangement(start_date=D(2012, 4, 1))
    draft = build_arrangement(state="draft")
    build_event(
        arrangement=published, event_type="takeover", state="draft", date=D(2016, 1, 1),
        counterparty=build_provider(legal_form="private-company"),
    )  # fmt: skip
    spells = spells_by_provider()
    assert str(draft.provider.uid) not in spells
    assert spells[str(published.provider.uid)].exit == Exit.CENSORED


def test_a_published_takeover_by_a_private_company_ends_the_spell_at_its_precision():
    arrangement = build_arrangement(start_date=D(2012, 4, 1))
    build_event(
        arrangement=arrangement, event_type="takeover", date=D(2016, 2, 1), date_precision="month",
        counterparty=build_provider(legal_form="private-company"),
    )  # fmt: skip
    spell = spells_by_provider()[str(arrangement.provider.uid)]
    assert (spell.exit, spell.end) == (Exit.PRIVATE, D(2016, 2, 15))


def test_an_arrangement_ending_with_its_councils_abolition_is_censored_not_ended():
    successor = build_authority(name="New Unitary Council")
    abolished = build_authority(end_date=D(2019, 3, 31), replaced_by=successor)
    ended = build_arrangement(authority=abolished, end_date=D(2019, 3, 31))
    closed = build_arrangement(end_date=D(2017, 3, 31))
    spells = spells_by_provider()
    assert spells[str(ended.provider.uid)].exit == Exit.CENSORED
    assert spells[str(ended.provider.uid)].end == D(2019, 3, 31)
    assert spells[str(closed.provider.uid)].exit == Exit.CLOSED


def test_the_cut_off_is_the_last_day_the_published_evidence_was_looked_at():
    build_arrangement(source=build_source(accessed_on=D(2025, 6, 30)), start_date=D(2014, 1, 1))
    build_source(accessed_on=D(2026, 1, 5), state="draft")
    assert register_cut_off() == D(2025, 6, 30)


def test_one_transaction_asks_for_one_recomputation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        build_arrangement()
        register_data_changed()
        build_arrangement()
    assert len([c for c in callbacks if isinstance(c, RecomputeWhenCommitted)]) == 1


def a_register_with_spin_outs(count: int = 24) -> None:
    area = ServiceArea.objects.get(code="leisure")
    private = build_provider(legal_form="private-company", name="Big Leisure plc")
    for number in range(count):
        arrangement = build_arrangement(
            service_area=area,
            start_date=D(2005 + number % 10, 4, 1),
            staff_transferred=50 + 10 * number,
            source=build_source(accessed_on=D(2025, 12, 31)),
        )
        if number % 3 == 0:
            build_event(
                arrangement=arrangement, event_type="takeover",
                date=D(2008 + number % 10, 9, 1), counterparty=private,
            )  # fmt: skip
        elif number % 3 == 1:
            build_event(
                arrangement=arrangement, event_type="insourcing", date=D(2007 + number % 10, 4, 1)
            )


def test_a_register_write_recomputes_the_fates_in_the_background(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    assert latest_fates() is None
    with django_capture_on_commit_callbacks(execute=True):
        a_register_with_spin_outs()
    first = latest_fates()
    assert first is not None
    assert first.spell_count == 24
    assert first.cut_off == D(2025, 12, 31)
    with django_capture_on_commit_callbacks(execute=True):
        build_arrangement(state="draft")  # not published: the figures do not change
    assert FatesResult.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        build_arrangement(start_date=D(2020, 1, 1))
    assert FatesResult.objects.count() == 2
    assert latest_fates().spell_count == 25


@pytest.mark.urls("tests.analysis.urls")
def test_the_fates_page_reads_the_stored_result(client):
    assert "has not been computed yet" in client.get("/fates/").content.decode()
    assert client.get("/fates/spells.csv").status_code == 404
    a_register_with_spin_outs()
    result = refresh_fates()
    page = client.get("/fates/")
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "What became of them",
        "Share of spun-out services under private control 5 years after transfer",
        "No estimate: only",  # ten years after transfer, too few are still followed
        "The figures as a table",
        "analysis/vega-bundle.js",
        "<h4>Dates known only to the month or the year</h4>",  # docs/methods-fates.md
        "<h3>Spells</h3>",
        "proportional",
    ):
        assert expected in text, expected
    assert "cdn" not in text.lower()
    csv_response = client.get("/fates/spells.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode() == result.spells_csv
    assert csv_response.content.decode().count("\n") == 25
    svg = client.get("/fates/charts/incidence-spin-outs.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    assert client.get("/fates/charts/nothing.svg").status_code == 404
    assert client.get("/fates/fates.json").json()["spells"]["spin_outs"] == 24


def test_analyse_fates_writes_figures_spells_headline_and_svg_charts(tmp_path: Path):
    a_register_with_spin_outs()
    out = tmp_path / "fates"
    call_command("analyse_fates", "--out", str(out), "--cut-off", "2025-12-31")
    assert (out / "spells.csv").read_text().count("\n") == 25
    assert '"headline"' in (out / "headline.json").read_text()
    assert (out / "fates.json").exists()
    assert (out / "charts" / "incidence-spin-outs.svg").read_text().startswith("<svg")
    assert (out / "charts" / "incidence-spin-outs.vl.json").exists()


def test_analyse_fates_refuses_a_file_and_a_bad_date(tmp_path: Path):
    (tmp_path / "file").write_text("")
    with pytest.raises(CommandError, match="is a file"):
        call_command("analyse_fates", "--out", str(tmp_path / "file"))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("analyse_fates", "--out", str(tmp_path / "x"), "--cut-off", "31/12/2025")


def test_the_served_vega_bundle_is_the_one_vl_convert_builds():
    assert charts.VEGA_BUNDLE.read_text(encoding="utf-8") == charts.vega_bundle()


def test_other_pages_can_read_a_chart_and_a_service_areas_curve():
    from mutualwatch.analysis.queries import latest_chart, service_area_survival

    assert latest_chart("headline") is None
    a_register_with_spin_outs()
    refresh_fates()
    assert latest_chart("private-by-network")["svg"].startswith("<svg")
    assert latest_chart("no-such-chart") is None
    leisure = service_area_survival("leisure")
    assert leisure["spells"] == 24
    assert not leisure["too_few"]
    assert service_area_survival("libraries") is None


def test_only_the_latest_results_are_kept():
    from mutualwatch.analysis import services

    a_register_with_spin_outs(count=3)
    for year in range(2000, 2000 + services.RESULTS_KEPT + 2):
        build_arrangement(start_date=D(year, 1, 1))
        refresh_fates()
    assert FatesResult.objects.count() == services.RESULTS_KEPT
    assert latest_fates().spell_count == 3 + services.RESULTS_KEPT + 2


def test_a_curve_is_thinned_to_its_own_points_holding_its_value_at_each_slice_end():
    steps = [0.0, 0.01, 0.02, 0.05, 0.05, 0.12, 0.3, 0.31]
    rows = [
        {"years": years, "estimate": 1 - i / 10, "lower": 0.0, "upper": 1.0, "at_risk": 9 - i}
        for i, years in enumerate(steps)
    ]
    rows.insert(3, {**rows[2], "years": 0.03, "at_risk": 0})  # a censoring: the curve holds
    kept = charts.thinned_curve(rows, resolution=0.1)
    assert kept[0] is rows[0]
    assert kept[-1] is rows[-1]
    assert all(any(point is row for row in rows) for point in kept)
    assert [point["years"] for point in kept] == [0.0, 0.05, 0.12, 0.3, 0.31]


@pytest.mark.urls("tests.analysis.urls")
def test_the_fates_page_fetches_its_charts_apart_and_they_are_the_stored_curves(client):
    a_register_with_spin_outs()
    result = refresh_fates()
    page = client.get("/fates/").content.decode()
    assert "/fates/charts/incidence-spin-outs.vl.json" in page
    assert '"datasets"' not in page
    assert '"values"' not in page
    drawn = client.get("/fates/charts/incidence-spin-outs.vl.json").json()
    stored = result.charts["incidence-spin-outs"]["spec"]["data"]["values"]
    assert drawn["data"]["values"]
    assert all(point in stored for point in drawn["data"]["values"])
    assert client.get("/fates/charts/nothing.vl.json").status_code == 404
