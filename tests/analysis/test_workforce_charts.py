"""The staff page's charts: valid Vega-Lite, every label drawn whole, and no mark with an ARIA
role of its own (the page gives each chart's summary, its key and its table)."""

import datetime
import re

import altair as alt
import pytest

from mutualwatch.analysis import charts
from mutualwatch.publishing import workforce
from tests.analysis.test_chart_labels import assert_readable, texts
from tests.publishing.workforce_world import LGPS, MUTUAL, PRIVATE, SPECS, standard_cells


def release() -> workforce.Release:
    return workforce.release_from(
        1,
        datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC),
        1234,
        {"min_respondents": 10, "dominance": 0.9, "specs": SPECS},
        standard_cells(),
    )


def share_spec() -> dict:
    data = workforce.share_chart(release(), "pension-by-provider-kind")
    assert data is not None
    return charts.share_bars_chart(data.rows, data.colours, "Pensions by kind of provider")


def mean_spec() -> dict:
    data = workforce.mean_chart(release(), "pay-by-provider-kind")
    assert data is not None
    return charts.mean_bars_chart(
        data.rows, data.colours, "Pay against the council's rate", "Hourly pay", 100.0
    )


@pytest.mark.parametrize("build", [share_spec, mean_spec])
def test_the_staff_charts_are_valid_vega_lite(build):
    alt.LayerChart.from_dict(build())


def test_each_bar_is_named_in_full_above_it():
    labels = [f"{MUTUAL}: before or at transfer", f"{PRIVATE}: after transfer"]
    assert_readable(charts.to_svg(share_spec()), [*labels, "Pensions by kind of provider"])
    svg = charts.to_svg(mean_spec())
    assert_readable(svg, [f"{MUTUAL}: after transfer", "Hourly pay"])
    assert "94.4%" in texts(svg)


def test_the_marks_leave_the_text_alternative_to_the_page():
    for spec in (share_spec(), mean_spec()):
        described = set(re.findall(r'aria-roledescription="([^"]*)"', charts.to_svg(spec)))
        assert described == {"group mark container", "title"}
    # The categories are named in the key beside the chart, not in it.
    assert LGPS not in texts(charts.to_svg(share_spec()))
