"""Every public list can be downloaded as CSV: the same rows the page shows."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

from mutualwatch.spreadsheets import SafeWriter


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def csv_response(
    filename: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = SafeWriter(response, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response


def csv_link(request: HttpRequest) -> str:
    """The current page's address, asking for CSV, keeping its filters."""
    query = request.GET.copy()
    query.pop("page", None)  # a download holds every row, not one page of them
    query["format"] = "csv"
    return f"{request.path}?{query.urlencode()}"
