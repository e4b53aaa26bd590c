"""The public pages' charts as SVG, rendered on the server so that pages need no JavaScript,
work offline and send nothing to third parties. The specifications and their rendering are
analysis/charts.py's (the one home of altair and vl-convert); here each rendered SVG is cached
by the hash of its input.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from mutualwatch.analysis.charts import (
    bar_chart,
    mean_bars_chart,
    share_bars_chart,
    stacked_area_chart,
    timeline_chart,
    to_svg,
    yearly_bars_chart,
)
from mutualwatch.analysis.charts import survival_curve_chart as survival_chart
from mutualwatch.publishing import stories

__all__ = [
    "bar_chart",
    "cached_svg",
    "mean_bars_chart",
    "share_bars_chart",
    "stacked_area_chart",
    "survival_chart",
    "svg",
    "timeline_chart",
    "timeline_svg",
    "yearly_bars_chart",
]


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document, rendered once per distinct specification."""
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    key = "chart-svg:" + hashlib.sha256(canonical.encode()).hexdigest()
    rendered = cache.get(key)
    if rendered is None:
        rendered = to_svg(spec)
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


def timeline_svg(bars: list[dict[str, Any]], marks: list[dict[str, Any]]) -> str:
    """A council's timeline (``stories.timeline_bars`` and ``timeline_marks``) as SVG, or
    nothing when it has no arrangement to draw."""
    if not bars:
        return ""
    shapes = {label: shape for label, (shape, _) in stories.MARK_SHAPES.items()}
    return cached_svg(timeline_chart, bars, marks, stories.legend(bars), shapes)
