"""The dashboard's chart as SVG, drawn by analysis/charts.py (the one home of altair) and kept
in the cache by its input, so a page view does not redraw it."""

import hashlib
import json

from django.core.cache import cache

from mutualwatch.analysis.charts import count_bars_chart, to_svg
from mutualwatch.network.queries import MEASURES, Dashboard

#: Each measure's colour; the page names them in its key.
COLOURS = dict(zip(MEASURES, ("#8a1538", "#1d5a8a", "#2e7d32"), strict=True))
COLOUR_NAMES = {"#8a1538": "dark red", "#1d5a8a": "blue", "#2e7d32": "green"}
TITLE = "Services spun out, in the pipeline and brought back, by network council"


def dashboard_svg(dashboard: Dashboard) -> str:
    """The chart, or nothing when there is nothing to count."""
    rows = dashboard.chart_rows()
    if not rows:
        return ""
    key = "network-chart:" + hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    rendered = cache.get(key)
    if rendered is None:
        rendered = to_svg(count_bars_chart(rows, COLOURS, TITLE))
        cache.set(key, rendered, timeout=None)
    return str(rendered)
