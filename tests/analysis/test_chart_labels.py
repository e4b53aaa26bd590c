"""Every chart, rendered to SVG as reports and the public pages get it, names things by their
labels, in full: no label cut short, no slug, no field name, in the text or in the ARIA labels
Vega writes on every mark. The fates' curves are small multiples, a panel per group."""

import dataclasses
import functools
import html
import re

import altair as alt
import pytest

from mutualwatch.analysis import charts, fates
from mutualwatch.analysis.figures import FATE_NAMES
from mutualwatch.analysis.spells import build_spells
from mutualwatch.demoworld.parameters import world_parameters
from mutualwatch.register.labels import EVENT_LABELS, LEGAL_FORM_LABELS, SERVICE_AREA_NAMES
from tests.analysis.worlds import drawn_history

SLUGS = {*LEGAL_FORM_LABELS, *EVENT_LABELS, *SERVICE_AREA_NAMES}
# A field's name where a label should be: Vega names each mark's values by the field's title.
FIELD_NAME = re.compile(
    r"(^|; )(group|figure|value|lower|upper|estimate|at_risk|years|year|legal_form|event|events"
    r"|arrangements):"
)


@functools.cache
def demo_world_charts() -> dict[str, dict]:
    history = drawn_history(world_parameters(1, "demo"))
    return charts.build_charts(fates.analyse(build_spells(history), history.cut_off))


def texts(svg: str) -> list[str]:
    """Every piece of text the SVG draws, a multi-line text's lines joined by spaces."""
    found = []
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", inner) or [inner]
        found.append(html.unescape(" ".join(lines)))
    return found


def aria_labels(svg: str) -> list[str]:
    return [html.unescape(label) for label in re.findall(r'aria-label="([^"]*)"', svg)]


def assert_readable(svg: str, labels: list[str]) -> None:
    drawn = texts(svg)
    for label in labels:
        assert label in drawn, f"{label!r} is not drawn whole: {drawn}"
    assert not any("…" in text for text in drawn), drawn
    assert not SLUGS & set(drawn), SLUGS & set(drawn)
    for aria in aria_labels(svg):
        assert not FIELD_NAME.search(aria), aria


def test_the_fates_curves_are_small_multiples_named_by_their_labels():
    built = demo_world_charts()
    expected = {
        "incidence-spin-outs": list(FATE_NAMES.values()),
        "incidence-outsourcings": ["Private control"],
        "survival-by-legal-form": [
            "Co-operative or community benefit society",
            "Local-authority trading company",
            "Community interest company",
        ],
        "survival-by-service-area": ["Adult social care", "Homelessness and housing advice"],
        "private-by-network": ["Co-operative Councils Network members", "Other councils"],
    }
    for name, labels in expected.items():
        spec = built[name]
        assert spec["columns"] == charts.PANEL_COLUMNS, name
        assert spec["facet"]["field"] == "group", name
        groups = {row["group"] for row in spec["data"]["values"]}
        assert set(labels) <= groups, (name, groups)
        assert_readable(charts.to_svg(spec), [*labels, "Years since transfer"])


def test_the_headline_chart_names_each_figure_in_full():
    svg = charts.to_svg(demo_world_charts()["headline"])
    years = ("5", "10")
    labels = [f"{fate} at {y} years" for fate in FATE_NAMES.values() for y in years]
    assert_readable(svg, [*labels, "Headline estimates with 95% intervals"])


def test_a_long_title_is_broken_into_lines_and_kept_whole():
    title = "Spin-outs passing to private control, by Co-operative Councils Network membership"
    lines = charts.title_lines(title)
    assert " ".join(lines) == title
    assert all(len(line) <= charts.TITLE_LINE for line in lines)
    assert_readable(charts.to_svg(demo_world_charts()["private-by-network"]), [title])


def test_the_public_charts_name_kinds_of_provider_and_events_in_full():
    forms = [{"legal_form": label, "arrangements": n} for n, label in enumerate(
        LEGAL_FORM_LABELS.values()
    )]  # fmt: skip
    events = [{"event": label, "events": 3} for label in EVENT_LABELS.values()]
    over_time = [
        {"year": year, "legal_form": label, "arrangements": 2}
        for year in (2019, 2020)
        for label in LEGAL_FORM_LABELS.values()
    ]
    long_title = "Arrangements running each year, by kind of provider, in every council"
    assert_readable(
        charts.to_svg(charts.bar_chart(forms, "legal_form", "arrangements", "Who delivers")),
        list(LEGAL_FORM_LABELS.values()),
    )
    assert_readable(
        charts.to_svg(charts.bar_chart(events, "event", "events", "What has happened")),
        list(EVENT_LABELS.values()),
    )
    assert_readable(
        charts.to_svg(
            charts.stacked_area_chart(over_time, "year", "arrangements", "legal_form", long_title)
        ),
        [*LEGAL_FORM_LABELS.values(), long_title],
    )


def test_a_label_longer_than_vegas_default_limit_is_not_cut():
    label = "A service delivered by a very long-named consortium of community organisations"
    svg = charts.to_svg(
        charts.bar_chart(
            [{"legal_form": label, "arrangements": 4}], "legal_form", "arrangements", "T"
        )
    )
    assert label in texts(svg)


@pytest.mark.parametrize(
    "build",
    [
        lambda: demo_world_charts()["incidence-spin-outs"],
        lambda: demo_world_charts()["headline"],
        lambda: charts.survival_curve_chart(
            [{"years": 0, "estimate": 1, "lower": 1, "upper": 1, "at_risk": 3}], "One area"
        ),
    ],
)
def test_every_chart_is_valid_vega_lite(build):
    spec = build()
    kind = alt.FacetChart if "facet" in spec else alt.LayerChart
    kind.from_dict(spec)  # validates against altair's Vega-Lite schema, or raises


def test_the_cox_models_covariates_are_named_by_labels():
    history = drawn_history(world_parameters(1, "demo"))
    chosen = fates.spin_outs(build_spells(history))
    # The demo world has no area with enough spin-outs for a term of its own: give one enough.
    chosen = [
        dataclasses.replace(s, service_area="adult-social-care") if i < 40 else s
        for i, s in enumerate(chosen)
    ]
    names = list(fates.cox_covariates(chosen))
    forms = [n.removeprefix("legal form: ") for n in names if n.startswith("legal form: ")]
    areas = [n.removeprefix("service area: ") for n in names if n.startswith("service area: ")]
    assert forms
    assert areas == ["Adult social care"]
    assert set(forms) <= set(LEGAL_FORM_LABELS.values())
    assert set(areas) <= set(SERVICE_AREA_NAMES.values())
