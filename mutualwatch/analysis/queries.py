"""Reads of the precomputed fates, for the pages. Nothing here computes.

The publishing app's overview, service-area and Co-operative Councils Network pages can show
the fates through these: each chart as Vega-Lite (``spec``) or static SVG (``svg``), and the
figures behind it.
"""

from typing import Any

from mutualwatch.analysis.models import FatesResult


def latest_fates() -> FatesResult | None:
    """The most recent stored fates analysis, or None before the first has run."""
    return FatesResult.objects.order_by("-computed_at", "-pk").first()


def latest_chart(name: str) -> dict[str, Any] | None:
    """One chart of the latest analysis (``{"spec": ..., "svg": ...}``), or None: charts are
    ``headline``, ``incidence-spin-outs``, ``incidence-outsourcings``,
    ``survival-by-legal-form``, ``survival-by-service-area`` and ``private-by-network``."""
    result = latest_fates()
    chart = result.charts.get(name) if result is not None else None
    return chart if isinstance(chart, dict) else None


def service_area_survival(code: str) -> dict[str, Any] | None:
    """The latest Kaplan-Meier curve of a service area's spin-outs (with ``too_few`` set when
    there are too few spells for one), or None if the area has no spin-outs."""
    result = latest_fates()
    if result is None:
        return None
    for curve in result.document["survival"]["by_service_area"]:
        if curve["label"] == code:
            return dict(curve)
    return None
