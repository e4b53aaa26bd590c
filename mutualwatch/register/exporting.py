"""The whole register as flat records, in loading order and a stable order within each type,
so that exporting the same register twice gives the same bytes."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from mutualwatch.branches.models import Branch
from mutualwatch.register.exchange import FlatRecord, join_list, partial_date_text
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    NetworkMembership,
    Provider,
    ProviderControl,
    ProviderIdentifier,
    ProviderName,
    ReviewState,
    ServiceArea,
    Source,
)


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _reviewed(record: Any) -> FlatRecord:
    return {
        "uid": str(record.uid),
        "state": record.state,
        "branch": record.branch.slug if record.branch else "",
    }


def _sources(record: Arrangement | Event) -> str:
    others = sorted(str(source.uid) for source in record.additional_sources.all())
    return join_list([str(record.source.uid), *others])


def export_records(published_only: bool = False) -> Iterator[FlatRecord]:
    """Every record of the register, or only what is public when ``published_only``."""
    public = Q(state=ReviewState.PUBLISHED) if published_only else Q()
    # A membership is reference data, public unless it cites a source that is not.
    source_public = (
        Q(source__isnull=True) | Q(source__state=ReviewState.PUBLISHED) if published_only else Q()
    )

    def provider_is(prefix: str = "provider__") -> Q:
        return Q(**{f"{prefix}state": ReviewState.PUBLISHED}) if published_only else Q()

    for area in ServiceArea.objects.select_related("parent").order_by("code"):
        yield {
            "record_type": "service_area",
            "code": area.code,
            "name": area.name,
            "description": area.description,
            "parent": area.parent.code if area.parent else "",
        }
    for authority in Authority.objects.select_related("replaced_by").order_by("gss_code"):
        yield {
            "record_type": "authority",
            "gss_code": authority.gss_code,
            "name": authority.name,
            "registry_code": authority.registry_code,
            "kind": authority.kind,
            "nation": authority.nation,
            "region": authority.region,
            "start_date": _date(authority.start_date),
            "end_date": _date(authority.end_date),
            "replaced_by": authority.replaced_by.gss_code if authority.replaced_by else "",
        }
    if not published_only:
        for branch in Branch.objects.prefetch_related("authorities").order_by("slug"):
            yield {
                "record_type": "branch",
                "slug": branch.slug,
                "name": branch.name,
                "region": branch.region,
                "authorities": join_list(sorted(a.gss_code for a in branch.authorities.all())),
            }
    for source in Source.objects.filter(public).select_related("branch").order_by("uid"):
        yield {
            "record_type": "source",
            **_reviewed(source),
            "title": source.title,
            "publisher": source.publisher,
            "url": source.url,
            "kind": source.kind,
            "published_on": _date(source.published_on),
            "accessed_on": _date(source.accessed_on),
            "sha256": source.sha256,
        }
    for membership in (
        NetworkMembership.objects.filter(source_public)
        .select_related("authority", "source")
        .order_by("member_name", "member_type", "joined_on")
    ):
        yield {
            "record_type": "network_membership",
            "member_name": membership.member_name,
            "member_type": membership.member_type,
            "tier": membership.tier,
            "authority": membership.authority.gss_code if membership.authority else "",
            "joined_on": partial_date_text(membership.joined_on, membership.joined_precision),
            "joined_basis": membership.joined_basis,
            "left_on": partial_date_text(membership.left_on, membership.left_precision),
            "source": str(membership.source.uid) if membership.source else "",
            "notes": membership.notes,
        }
    for provider in Provider.objects.filter(public).select_related("branch").order_by("uid"):
        yield {
            "record_type": "provider",
            **_reviewed(provider),
            "name": provider.name,
            "legal_form": provider.legal_form,
            "notes": provider.notes,
        }
    for former in (
        ProviderName.objects.filter(provider_is())
        .select_related("provider")
        .order_by("provider__uid", "name")
    ):
        yield {
            "record_type": "provider_name",
            "provider": str(former.provider.uid),
            "name": former.name,
            "used_until": _date(former.used_until),
        }
    for identifier in (
        ProviderIdentifier.objects.filter(provider_is())
        .select_related("provider")
        .order_by("scheme", "identifier")
    ):
        yield {
            "record_type": "provider_identifier",
            "provider": str(identifier.provider.uid),
            "scheme": identifier.scheme,
            "identifier": identifier.identifier,
        }
    for control in (
        ProviderControl.objects.filter(provider_is())
        .select_related("provider", "controller", "source")
        .order_by("provider__uid", "start_date", "controller_name")
    ):
        yield {
            "record_type": "provider_control",
            "provider": str(control.provider.uid),
            "controller_name": control.controller_name,
            "controller_kind": control.controller_kind,
            "controller": str(control.controller.uid) if control.controller else "",
            "start": partial_date_text(control.start_date, control.start_precision),
            "end": partial_date_text(control.end_date, control.end_precision),
            "source": str(control.source.uid),
        }
    for arrangement in (
        Arrangement.objects.filter(public)
        .select_related("branch", "authority", "service_area", "provider", "source")
        .prefetch_related("additional_sources")
        .order_by("uid")
    ):
        yield {
            "record_type": "arrangement",
            **_reviewed(arrangement),
            "authority": arrangement.authority.gss_code,
            "service_area": arrangement.service_area.code,
            "provider": str(arrangement.provider.uid),
            "start": partial_date_text(arrangement.start_date, arrangement.start_precision),
            "end": partial_date_text(arrangement.end_date, arrangement.end_precision),
            "origin": arrangement.origin,
            "staff_transferred": _text(arrangement.staff_transferred),
            "contract_references": join_list(arrangement.contract_references),
            "notes": arrangement.notes,
            "sources": _sources(arrangement),
        }
    for event in (
        Event.objects.filter(public)
        .select_related("branch", "arrangement", "provider", "counterparty", "source")
        .prefetch_related("additional_sources")
        .order_by("uid")
    ):
        yield {
            "record_type": "event",
            **_reviewed(event),
            "event_type": event.event_type,
            "date": partial_date_text(event.date, event.date_precision),
            "arrangement": str(event.arrangement.uid) if event.arrangement else "",
            "provider": str(event.provider.uid) if event.provider else "",
            "counterparty": str(event.counterparty.uid) if event.counterparty else "",
            "description": event.description,
            "sources": _sources(event),
        }
