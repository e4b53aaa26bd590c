"""The public fates page and its downloads. They read the stored results and never compute."""

import functools
from pathlib import Path

import markdown
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from mutualwatch.analysis.models import FatesResult
from mutualwatch.analysis.queries import (
    latest_chart,
    latest_display_spec,
    latest_fates,
    latest_page_figures,
)
from mutualwatch.page_cache import cached_for_visitors

METHODS_PAGE = Path(settings.BASE_DIR) / "docs" / "methods-fates.md"
# Each chart's heading and its text alternative's caption, in page order.
CHART_SECTIONS = {
    "incidence-spin-outs": "What became of spun-out services",
    "survival-by-legal-form": "Still with their first provider, by legal form",
    "survival-by-service-area": "Still with their first provider, by service area",
    "private-by-network": "Passing to private control, by Co-operative Councils Network membership",
    "incidence-outsourcings": "For comparison: what became of outsourced services",
}


@functools.cache
def methods_html() -> str:
    """docs/methods-fates.md as the page's methods section: its title dropped (the section has
    its own heading) and every heading one level down, so the page keeps one outline."""
    lines = METHODS_PAGE.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    text = "\n".join(f"#{line}" if line.startswith("#") else line for line in lines)
    return markdown.markdown(text, extensions=["tables"], output_format="html")


def _latest_or_404() -> FatesResult:
    result = latest_fates()
    if result is None:
        raise Http404("The fates analysis has not been computed yet.")
    return result


@cached_for_visitors
def fates_page(request: HttpRequest) -> HttpResponse:
    figures = latest_page_figures()
    context: dict[str, object] = {"result": figures, "methods": methods_html()}
    if figures is not None:
        context["sections"] = [
            {"name": name, "title": title, "rows": figures["tables"].get(name, [])}
            for name, title in CHART_SECTIONS.items()
            if name in figures["charts"]
        ]
        context["headline_chart"] = "headline" in figures["charts"]
        context["document"] = figures
    return render(request, "analysis/fates.html", context)


def spells_download(request: HttpRequest) -> HttpResponse:
    result = _latest_or_404()
    response = HttpResponse(result.spells_csv, content_type="text/csv; charset=utf-8")
    name = f"mutualwatch-fates-spells-{result.cut_off.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def document_download(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_latest_or_404().document)


@cached_for_visitors
def chart_spec(request: HttpRequest, name: str) -> JsonResponse:
    """A chart as the page draws it: served apart, so that the page itself stays small."""
    spec = latest_display_spec(name)
    if spec is None:
        raise Http404(f"No chart called {name}.")
    return JsonResponse(spec)


def chart_svg(request: HttpRequest, name: str) -> HttpResponse:
    chart = latest_chart(name)
    if chart is None:
        raise Http404(f"No chart called {name}.")
    return HttpResponse(chart["svg"], content_type="image/svg+xml")
