"""Public pages of the register. Visitors see published records only."""

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from mutualwatch.branches.permissions import Action, Kind, can
from mutualwatch.councils import queries as councils_queries
from mutualwatch.register import queries
from mutualwatch.register.history import record_history as history_of
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    LegalForm,
    Provider,
    ServiceArea,
    Source,
)


def home(request: HttpRequest) -> HttpResponse:
    arrangements = queries.visible_arrangements(request.user).filter(end_date__isnull=True)
    by_form = Counter(arrangements.values_list("provider__legal_form", flat=True))
    delivery = [(label, by_form.get(value, 0)) for value, label in LegalForm.choices]
    return render(
        request,
        "publishing/home.html",
        {
            "authority_count": Authority.objects.count(),
            "arrangement_count": arrangements.count(),
            "delivery_by_form": delivery,
        },
    )


def authority_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    authorities = Authority.objects.all()
    if query:
        authorities = authorities.filter(Q(name__icontains=query) | Q(gss_code__iexact=query))
    htmx = bool(getattr(request, "htmx", False))
    template = "publishing/_authority_rows.html" if htmx else "publishing/authorities.html"
    return render(request, template, {"authorities": authorities, "query": query})


def authority_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, gss_code=gss_code)
    arrangements = queries.visible_arrangements(request.user).filter(authority=authority)
    rows = [
        {"arrangement": arrangement, "sources": queries.citations(arrangement, request.user)}
        for arrangement in arrangements
    ]
    events = queries.visible_events(request.user).filter(arrangement__in=arrangements)
    return render(
        request,
        "publishing/authority.html",
        {
            "authority": authority,
            "rows": rows,
            "events": [{"event": e, "sources": queries.citations(e, request.user)} for e in events],
            "service_areas": ServiceArea.objects.filter(arrangements__in=arrangements).distinct(),
            # Predecessors, successors and what this council inherited (issue 8).
            "reorganisation": councils_queries.reorganisation_of(authority, request.user),
        },
    )


def provider_detail(request: HttpRequest, uid: str) -> HttpResponse:
    provider = get_object_or_404(queries.visible_providers(request.user), uid=uid)
    arrangements = queries.visible_arrangements(request.user).filter(provider=provider)
    events = queries.visible_events(request.user).filter(provider=provider)
    return render(
        request,
        "publishing/provider.html",
        {
            "provider": provider,
            "arrangements": arrangements,
            "events": [{"event": e, "sources": queries.citations(e, request.user)} for e in events],
        },
    )


def source_detail(request: HttpRequest, uid: str) -> HttpResponse:
    source = get_object_or_404(queries.visible_sources(request.user), uid=uid)
    return render(request, "publishing/source.html", {"source": source})


HISTORY_KINDS: dict[str, tuple[Kind, Any, str]] = {
    "authority": (Kind.AUTHORITY, Authority, "gss_code"),
    "service-area": (Kind.SERVICE_AREA, ServiceArea, "code"),
    "provider": (Kind.PROVIDER, Provider, "uid"),
    "source": (Kind.SOURCE, Source, "uid"),
    "arrangement": (Kind.ARRANGEMENT, Arrangement, "uid"),
    "event": (Kind.EVENT, Event, "uid"),
}


@login_required
def record_history(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A record's full history, for people who may see the record."""
    if kind not in HISTORY_KINDS:
        raise Http404("No such kind of record.")
    permission_kind, model, key_field = HISTORY_KINDS[kind]
    try:
        record = model.objects.get(**{key_field: key})
    except (model.DoesNotExist, ValidationError):
        raise Http404("No such record.") from None
    if not can(request.user, Action.VIEW, permission_kind, record):
        raise Http404("No such record.")
    return render(
        request,
        "publishing/history.html",
        {"record": record, "kind": kind, "entries": history_of(record)},
    )
