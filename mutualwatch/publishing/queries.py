"""What the public pages show: published records only, gathered in a fixed number of queries."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from mutualwatch.register import queries as register_queries
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    EventType,
    LegalForm,
    NetworkMembership,
    Provider,
    ServiceArea,
    Source,
)

PUBLIC = AnonymousUser()
LEGAL_FORM_LABELS = dict(LegalForm.choices)
EVENT_LABELS = dict(EventType.choices)


def published_arrangements() -> QuerySet[Arrangement]:
    return register_queries.visible_arrangements(PUBLIC)


def published_events() -> QuerySet[Event]:
    return register_queries.visible_events(PUBLIC)


def published_providers() -> QuerySet[Provider]:
    return register_queries.visible_providers(PUBLIC)


def published_sources() -> QuerySet[Source]:
    return register_queries.visible_sources(PUBLIC)


def is_current(arrangement: Arrangement, today: datetime.date) -> bool:
    return arrangement.end_date is None or arrangement.end_date > today


def delivery_by_legal_form(arrangements: Iterable[Arrangement], today: datetime.date) -> list:
    """How many services each kind of provider delivers now, every kind listed."""
    counts = Counter(a.provider.legal_form for a in arrangements if is_current(a, today))
    return [
        {"legal_form": label, "arrangements": counts.get(value, 0)}
        for value, label in LegalForm.choices
    ]


def delivery_over_time(arrangements: Iterable[Arrangement], today: datetime.date) -> list:
    """For each year, the arrangements running on 1 July, by the provider's legal form."""
    spans = [(a.start_date, a.end_date, a.provider.legal_form) for a in arrangements]
    if not spans:
        return []
    rows = []
    for year in range(min(start.year for start, _, _ in spans), today.year + 1):
        midyear = datetime.date(year, 7, 1)
        counts = Counter(
            form
            for start, end, form in spans
            if start <= midyear and (end is None or end > midyear)
        )
        rows += [
            {"year": year, "legal_form": LEGAL_FORM_LABELS[form], "arrangements": count}
            for form, count in sorted(counts.items())
        ]
    return rows


def fates_so_far(events: Iterable[Event]) -> list:
    """How often each kind of event has been recorded."""
    counts = Counter(event.event_type for event in events)
    return [
        {"event": EVENT_LABELS[value], "events": counts[value]}
        for value, _ in EventType.choices
        if counts[value]
    ]


@dataclass(frozen=True)
class Overview:
    authority_count: int
    provider_count: int
    current_count: int
    delivery_now: list[dict[str, Any]]
    delivery_over_time: list[dict[str, Any]]
    fates: list[dict[str, Any]]


def national_overview(today: datetime.date) -> Overview:
    arrangements = list(published_arrangements().select_related("provider"))
    events = list(published_events())
    return Overview(
        authority_count=Authority.objects.count(),
        provider_count=published_providers().count(),
        current_count=sum(is_current(a, today) for a in arrangements),
        delivery_now=delivery_by_legal_form(arrangements, today),
        delivery_over_time=delivery_over_time(arrangements, today),
        fates=fates_so_far(events),
    )


def filtered_authorities(query: str = "", nation: str = "", kind: str = "", network: str = ""):  # type: ignore[no-untyped-def]
    authorities = Authority.objects.all()
    if query:
        authorities = authorities.filter(Q(name__icontains=query) | Q(gss_code__iexact=query))
    if nation:
        authorities = authorities.filter(nation=nation)
    if kind:
        authorities = authorities.filter(kind=kind)
    if network == "member":
        authorities = authorities.filter(network_memberships__isnull=False).distinct()
    return authorities.select_related("replaced_by")


def filtered_providers(query: str = "", legal_form: str = "") -> QuerySet[Provider]:
    providers = published_providers()
    if query:
        providers = providers.filter(
            Q(name__icontains=query) | Q(former_names__name__icontains=query)
        ).distinct()
    if legal_form:
        providers = providers.filter(legal_form=legal_form)
    return providers.annotate(
        arrangement_count=Count("arrangements", filter=Q(arrangements__state="published"))
    )


def service_areas_with_counts() -> QuerySet[ServiceArea]:
    return ServiceArea.objects.annotate(
        arrangement_count=Count("arrangements", filter=Q(arrangements__state="published"))
    )


def network_members() -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.select_related("authority").order_by(
        "authority__name", "joined_on"
    )
