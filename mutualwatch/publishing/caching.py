"""Whole public pages, cached for visitors until the register next changes.

Every save or deletion of a register record adds a history row, so the highest history id of
each register table, with the latest fates analysis and the latest OCDS ingest, read in one
query, is a version number for everything public.
"""

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse

from mutualwatch.analysis.models import FatesResult
from mutualwatch.procurement.models import IngestRun
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    NetworkMembership,
    Provider,
    ProviderControl,
    ProviderIdentifier,
    ProviderName,
    ServiceArea,
    Source,
)

VERSIONED_MODELS = [
    Authority,
    NetworkMembership,
    ServiceArea,
    Source,
    Provider,
    ProviderName,
    ProviderIdentifier,
    ProviderControl,
    Arrangement,
    Event,
]
PAGE_TIMEOUT = 24 * 60 * 60


# The version a cached page's key was made with, for the figures its view caches in turn:
# one request reads the version once, and never sees two.
_version_of_this_request: ContextVar[str | None] = ContextVar("register_version", default=None)


@functools.cache
def _version_sql(vendor: str) -> str:
    """The one query the version is read with. Built once: each ``Model.history`` makes its
    manager afresh, and building the query took longer than running it."""
    # Table names come from our own models, quoted: nothing from a request enters the SQL.
    columns = [
        (model.history.model._meta.db_table, "history_id")  # type: ignore[attr-defined]
        for model in VERSIONED_MODELS
    ]
    # The fates analysis is recomputed in the background, after the register changed; and
    # procurement data changes with each OCDS ingest.
    columns.append((FatesResult._meta.db_table, "id"))
    columns.append((IngestRun._meta.db_table, "id"))
    quote = connection.ops.quote_name
    parts = [f"(SELECT MAX({quote(c)}) FROM {quote(t)})" for t, c in columns]  # noqa: S608
    return "SELECT " + ", ".join(parts)


def register_version() -> str:
    known = _version_of_this_request.get()
    if known is not None:
        return known
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(connection.vendor))
        row = cursor.fetchone()
    return "-".join(str(number or 0) for number in row)


def cached_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a visitor's GET from the cache while the register is unchanged."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            request.method != "GET"
            or request.user.is_authenticated
            or not settings.CACHE_PUBLIC_PAGES
        ):
            return view(request, *args, **kwargs)
        partial = "partial" if getattr(request, "htmx", False) else "page"
        demo = "demo" if settings.DEMO_MODE else "live"
        version = register_version()
        key = f"public-page:{version}:{demo}:{partial}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            return response
        token = _version_of_this_request.set(version)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _version_of_this_request.reset(token)
        if response.status_code in (200, 404) and not response.streaming:
            headers = {
                name: response[name]
                for name in ("Content-Type", "Content-Disposition")
                if response.has_header(name)
            }
            cache.set(key, (response.status_code, headers, response.content), PAGE_TIMEOUT)
        return response

    return wrapper
