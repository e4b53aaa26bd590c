"""Reads of the precomputed fates, for the pages. Nothing here computes.

The publishing app's overview, service-area and Co-operative Councils Network pages can show
the fates through these: each chart as Vega-Lite (``spec``) or static SVG (``svg``), and the
figures behind it.

A stored result never changes, so each part a page reads is cached under the result's id and
time: the pages then pay one small query for which result is the latest, not the reading of
megabytes of JSON.
"""

from typing import Any

from django.core.cache import cache

from mutualwatch.analysis import charts, figures
from mutualwatch.analysis.models import FatesResult

# Bump when what is cached under a result changes shape.
CACHE_FORMAT = 2
CACHE_TIMEOUT = 7 * 24 * 60 * 60
_MISSING = object()


def latest_fates() -> FatesResult | None:
    """The most recent stored fates analysis, or None before the first has run."""
    return FatesResult.objects.order_by("-computed_at", "-pk").first()


def _latest_key() -> str | None:
    """The latest result's cache key, from one indexed query that reads none of its JSON."""
    row = FatesResult.objects.order_by("-computed_at", "-pk").values_list("pk", "computed_at")
    latest = row.first()
    if latest is None:
        return None
    pk, computed_at = latest
    return f"fates:{CACHE_FORMAT}:{pk}:{computed_at.timestamp()}"


def _cached(key: str | None, part: str, read: Any) -> Any:
    if key is None:
        return None
    value = cache.get(f"{key}:{part}", _MISSING)
    if value is _MISSING:
        value = read(int(key.split(":")[2]))
        cache.set(f"{key}:{part}", value, CACHE_TIMEOUT)
    return value


def _latest(path: str) -> Any:
    """One part of the latest analysis, read from the database alone: a whole result is
    megabytes of JSON, and the pages each want one chart or one table of it."""

    def read(pk: int) -> Any:
        return FatesResult.objects.filter(pk=pk).values_list(path, flat=True).first()

    return _cached(_latest_key(), path, read)


def latest_chart(name: str) -> dict[str, Any] | None:
    """One chart of the latest analysis (``{"spec": ..., "svg": ...}``), or None: charts are
    ``headline``, ``incidence-spin-outs``, ``incidence-outsourcings``,
    ``survival-by-legal-form``, ``survival-by-service-area`` and ``private-by-network``."""
    chart = _latest(f"charts__{name}")
    return chart if isinstance(chart, dict) else None


def latest_display_spec(name: str) -> dict[str, Any] | None:
    """A chart of the latest analysis as the page draws it: its curves thinned to what a
    screen can show (``charts.for_display``); the exact figures stay in the JSON download."""

    def read(pk: int) -> dict[str, Any] | None:
        spec = FatesResult.objects.filter(pk=pk).values_list(f"charts__{name}__spec", flat=True)
        found = spec.first()
        return charts.for_display(found) if isinstance(found, dict) else None

    spec = _cached(_latest_key(), f"display:{name}", read)
    return spec if isinstance(spec, dict) else None


def latest_display_svg(name: str) -> str | None:
    """A chart of the latest analysis as static SVG, drawn from its display specification
    (``latest_display_spec``): small enough to go inline in a page that needs no script."""

    def read(pk: int) -> str | None:
        spec = FatesResult.objects.filter(pk=pk).values_list(f"charts__{name}__spec", flat=True)
        found = spec.first()
        return charts.to_svg(charts.for_display(found)) if isinstance(found, dict) else None

    svg = _cached(_latest_key(), f"display-svg:{name}", read)
    return svg if isinstance(svg, str) else None


def latest_page_figures() -> dict[str, Any] | None:
    """What the fates page prints of the latest analysis (``figures.page_figures``), or None
    before the first has run."""

    def read(pk: int) -> dict[str, Any]:
        result = FatesResult.objects.only("computed_at", "cut_off", "document", "charts").get(pk=pk)
        page = figures.page_figures(result.document, list(result.charts))
        return {**page, "computed_at": result.computed_at, "cut_off": result.cut_off}

    found = _cached(_latest_key(), "page", read)
    return found if isinstance(found, dict) else None


def service_area_survival(code: str) -> dict[str, Any] | None:
    """The latest Kaplan-Meier curve of a service area's spin-outs (with ``too_few`` set when
    there are too few spells for one), or None if the area has no spin-outs."""

    def read(pk: int) -> dict[str, Any] | None:
        # Every area's curves are read once, and each area's cached alone: a page reading
        # all thirty from the cache spent more time unpickling them than on its queries.
        path = "document__survival__by_service_area"
        curves = FatesResult.objects.filter(pk=pk).values_list(path, flat=True).first()
        for curve in curves or []:
            if curve["label"] == code:
                return dict(curve)
        return None

    curve = _cached(_latest_key(), f"survival-by-service-area:{code}", read)
    return dict(curve) if curve is not None else None
