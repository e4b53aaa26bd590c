"""Whole public pages, cached for visitors until the register next changes.

Every save or deletion of a register record adds a history row, so the highest history id of
each register table, with the latest fates analysis, the latest OCDS ingest and the latest
publication of the protected workforce tables, read in one query, is a version number for
everything public.
"""

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from mutualwatch.analysis.models import FatesResult
from mutualwatch.matching.models import LinkRun
from mutualwatch.procurement.models import IngestRun
from mutualwatch.workforce.models import Publication

#: The apps whose records public pages show, apart from procurement data (versioned by the
#: OCDS ingest's run) and the fates (by their result). The guidance library is in the site's
#: search: each change to a document (a new version included) adds a row to its history.
VERSIONED_APPS = ("register", "councils", "guidance")


@functools.cache
def versioned_models() -> list[type[Model]]:
    """Every model of ``VERSIONED_APPS`` that keeps a history: each save or deletion of one
    adds a history row, so none can change unseen. ``tests/publishing/test_cache_versions.py``
    fails if a public page reads a model outside these (and the ingest and the fates)."""
    return [
        model
        for label in VERSIONED_APPS
        for model in apps.get_app_config(label).get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    ]


PAGE_TIMEOUT = 24 * 60 * 60


# The version a public page's request read, for the page's key and the figures its view
# caches in turn: one request reads the version once, and never sees two.
_version_of_this_request: ContextVar[dict[str, str] | None] = ContextVar(
    "register_version", default=None
)


@functools.cache
def _version_sql(vendor: str) -> str:
    """The one query the version is read with. Built once: each ``Model.history`` makes its
    manager afresh, and building the query took longer than running it."""
    # Table names come from our own models, quoted: nothing from a request enters the SQL.
    columns = [
        (model.history.model._meta.db_table, "history_id")  # type: ignore[attr-defined]
        for model in versioned_models()
    ]
    # The fates analysis is recomputed in the background, after the register changed; and
    # procurement data changes with each OCDS ingest.
    columns.append((FatesResult._meta.db_table, "id"))
    columns.append((IngestRun._meta.db_table, "id"))
    # The companies and societies providers are linked to change with each linking run and
    # each researcher's judgement.
    columns.append((LinkRun._meta.db_table, "id"))
    # Each publication of the protected workforce tables: /workforce/ and the council pages
    # show the latest.
    columns.append((Publication._meta.db_table, "id"))
    quote = connection.ops.quote_name
    parts = [f"(SELECT MAX({quote(c)}) FROM {quote(t)})" for t, c in columns]  # noqa: S608
    return "SELECT " + ", ".join(parts)


def register_version() -> str:
    """The register's version: read once per public page's request, else on every call."""
    this_request = _version_of_this_request.get()
    if this_request is not None and "version" in this_request:
        return this_request["version"]
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(connection.vendor))
        row = cursor.fetchone()
    version = "-".join(str(number or 0) for number in row)
    if this_request is not None:
        this_request["version"] = version
    return version


def cached_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a visitor's GET from the cache while the register is unchanged. With the cache
    off, or for a logged-in user, the view runs, and still reads the version at most once."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET":  # it may change the register: nothing kept
            return view(request, *args, **kwargs)
        token = _version_of_this_request.set({})
        try:
            if request.user.is_authenticated or not settings.CACHE_PUBLIC_PAGES:
                return view(request, *args, **kwargs)
            return _from_cache_or_view(view, request, *args, **kwargs)
        finally:
            _version_of_this_request.reset(token)

    return wrapper


def _from_cache_or_view(
    view: Callable[..., HttpResponse], request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    partial = "partial" if getattr(request, "htmx", False) else "page"
    demo = "demo" if settings.DEMO_MODE else "live"
    key = f"public-page:{register_version()}:{demo}:{partial}:{request.get_full_path()}"
    stored = cache.get(key)
    if stored is not None:
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        return response
    response = view(request, *args, **kwargs)
    if response.status_code in (200, 404) and not response.streaming:
        headers = {
            name: response[name]
            for name in ("Content-Type", "Content-Disposition")
            if response.has_header(name)
        }
        cache.set(key, (response.status_code, headers, response.content), PAGE_TIMEOUT)
    return response
