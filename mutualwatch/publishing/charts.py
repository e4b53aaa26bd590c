"""Charts for the public pages: vega-lite specifications built with altair, rendered to SVG on
the server (vl-convert) so that pages need no JavaScript, work offline and send nothing to
third parties. Each rendered SVG is cached by the hash of its specification.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import vl_convert
from django.core.cache import cache

PALETTE = ["#8a1538", "#1d5a8a", "#b58900", "#2e7d32", "#6a1b9a", "#00695c", "#ad1457", "#455a64"]
FONT = "DejaVu Sans, sans-serif"


def _configured(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = (
        chart.configure(font=FONT)
        .configure_range(category=PALETTE)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom", columns=2)
        .to_dict(validate=False)  # validated once in the tests, not on every page view
    )
    return spec


def bar_chart(rows: Sequence[dict[str, Any]], category: str, value: str, title: str) -> dict:
    """A horizontal bar per category."""
    chart = (
        alt.Chart(alt.Data(values=list(rows)), title=title, width=320)
        .mark_bar(color=PALETTE[0])
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title="Number", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[f"{category}:N", f"{value}:Q"],
        )
    )
    return _configured(chart)


def stacked_area_chart(
    rows: Sequence[dict[str, Any]], year: str, value: str, series: str, title: str
) -> dict:
    """How a total splits between series, year by year."""
    chart = (
        alt.Chart(alt.Data(values=list(rows)), title=title, width=320, height=200)
        .mark_area()
        .encode(
            x=alt.X(f"{year}:O", title="Year", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y(
                f"{value}:Q",
                stack="zero",
                title="Arrangements",
                axis=alt.Axis(format="d", tickMinStep=1),
            ),
            color=alt.Color(f"{series}:N", title=None),
        )
    )
    return _configured(chart)


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document, rendered once per distinct specification."""
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    key = "chart-svg:" + hashlib.sha256(canonical.encode()).hexdigest()
    rendered = cache.get(key)
    if rendered is None:
        rendered = vl_convert.vegalite_to_svg(spec)
        cache.set(key, rendered, timeout=None)
    return str(rendered)


def cached_svg(build: Callable[..., dict[str, Any]], *args: Any) -> str:
    """The SVG of ``build(*args)``, built and rendered once per distinct input: building a
    specification with altair takes longer than a page's queries."""
    canonical = json.dumps([build.__name__, args], sort_keys=True, default=str)
    key = "chart-input-svg:" + hashlib.sha256(canonical.encode()).hexdigest()
    rendered = cache.get(key)
    if rendered is None:
        rendered = svg(build(*args))
        cache.set(key, rendered, timeout=None)
    return str(rendered)


def survival_chart(points: Sequence[dict[str, Any]], title: str) -> dict:
    """A Kaplan-Meier step curve with its 95% band."""
    data = alt.Data(values=list(points))
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.25, color=PALETTE[1], interpolate="step-after")
        .encode(x="years:Q", y="lower:Q", y2="upper:Q")
    )
    line = (
        alt.Chart(data)
        .mark_line(color=PALETTE[1], interpolate="step-after")
        .encode(
            x=alt.X("years:Q", title="Years since transfer"),
            y=alt.Y(
                "estimate:Q",
                title="Still independent and not private",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
        )
    )
    return _configured(alt.layer(band, line).properties(title=title, width=320, height=200))
