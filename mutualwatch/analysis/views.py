"""The public fates page and its downloads. They read the stored results and never compute."""

from pathlib import Path

import markdown
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from mutualwatch.analysis import fates
from mutualwatch.analysis.models import FatesResult
from mutualwatch.analysis.queries import latest_fates

METHODS_PAGE = Path(settings.BASE_DIR) / "docs" / "methods-fates.md"
# Each chart's heading and its text alternative's caption, in page order.
CHART_SECTIONS = {
    "incidence-spin-outs": "What became of spun-out services",
    "survival-by-legal-form": "Still with their first provider, by legal form",
    "survival-by-service-area": "Still with their first provider, by service area",
    "private-by-network": "Passing to private control, by Co-operative Councils Network membership",
    "incidence-outsourcings": "For comparison: what became of outsourced services",
}


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


def fates_page(request: HttpRequest) -> HttpResponse:
    result = latest_fates()
    context: dict[str, object] = {"result": result, "methods": methods_html()}
    if result is not None:
        tables = fates.chart_tables(result.document)
        context["sections"] = [
            {
                "name": name,
                "spec_id": f"spec-{name}",
                "title": title,
                "spec": result.charts[name]["spec"],
                "rows": tables.get(name, []),
            }
            for name, title in CHART_SECTIONS.items()
            if name in result.charts
        ]
        context["headline_chart"] = result.charts.get("headline", {}).get("spec")
        context["document"] = result.document
        context["too_few_areas"] = [
            c for c in result.document["survival"]["by_service_area"] if c.get("too_few")
        ]
        context["too_few_forms"] = [
            c for c in result.document["survival"]["by_legal_form"] if c.get("too_few")
        ]
    return render(request, "analysis/fates.html", context)


def spells_download(request: HttpRequest) -> HttpResponse:
    result = _latest_or_404()
    response = HttpResponse(result.spells_csv, content_type="text/csv; charset=utf-8")
    name = f"mutualwatch-fates-spells-{result.cut_off.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def document_download(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_latest_or_404().document)


def chart_svg(request: HttpRequest, name: str) -> HttpResponse:
    chart = _latest_or_404().charts.get(name)
    if chart is None:
        raise Http404(f"No chart called {name}.")
    return HttpResponse(chart["svg"], content_type="image/svg+xml")
