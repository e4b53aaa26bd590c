"""Characters that must never enter mutualwatch from outside, and their one home.

- NUL (U+0000): PostgreSQL refuses it in text (an error deep in a query, a 500 for a visitor),
  SQLite stores it silently; so the same input behaved differently on the two databases. It
  is refused wherever input enters: every request (``RefuseNulMiddleware``) and every importer.
- Bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C): a name with a
  right-to-left override shows text in another order than it is stored ("Trojan source"), so
  a provider could be shown under a name it does not have. Names are stored without them.
"""

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

NUL = "\x00"
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def has_nul(texts: Iterable[str]) -> bool:
    return any(NUL in text for text in texts)


def without_bidi_controls(text: str) -> str:
    # search first: nearly every text has none, and a search costs less than a substitution
    return BIDI_CONTROLS.sub("", text) if BIDI_CONTROLS.search(text) else text


class RefuseNulMiddleware:
    """A request with NUL in its path, query string or form fields gets a 400, on any database,
    before a view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _request_has_nul(request):
            return HttpResponseBadRequest(
                "This address or form holds a NUL character (%00), which mutualwatch never "
                "accepts.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _request_has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if has_nul(request.GET.keys()) or has_nul(v for vs in request.GET.lists() for v in vs[1]):
        return True
    if request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        return has_nul(request.POST.keys()) or has_nul(
            v for _, vs in request.POST.lists() for v in vs
        )
    return False
