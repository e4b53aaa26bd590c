"""Reads of the register, always through the permission table."""

from typing import Any

from django.db.models import QuerySet

from mutualwatch.branches.permissions import Kind, visible_filter
from mutualwatch.register.models import Arrangement, Event, Provider, Source


def visible_providers(user: Any) -> QuerySet[Provider]:
    return Provider.objects.filter(visible_filter(user, Kind.PROVIDER))


def visible_sources(user: Any) -> QuerySet[Source]:
    return Source.objects.filter(visible_filter(user, Kind.SOURCE))


def visible_arrangements(user: Any) -> QuerySet[Arrangement]:
    """Arrangements the user may see, whose provider they may see too."""
    return (
        Arrangement.objects.filter(visible_filter(user, Kind.ARRANGEMENT))
        .filter(provider__in=visible_providers(user))
        .select_related("authority", "service_area", "provider", "source")
    )


def visible_events(user: Any) -> QuerySet[Event]:
    return Event.objects.filter(visible_filter(user, Kind.EVENT)).select_related(
        "arrangement__service_area", "arrangement__authority", "provider", "counterparty", "source"
    )


def citations(record: Arrangement | Event, user: Any) -> list[Source]:
    """The sources a record cites that the user may see, first citation first."""
    visible = visible_sources(user)
    first = list(visible.filter(pk=record.source_id))
    return first + list(visible.filter(pk__in=record.additional_sources.all()).order_by("title"))
