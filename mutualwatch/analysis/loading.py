"""Read the published register into the plain records the spell rules take.

Only what a visitor may see is read: every query goes through the register's own permission
queries with an anonymous user, so a draft never reaches a published figure.
"""

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Model, Q, QuerySet

from mutualwatch.analysis.spells import (
    ArrangementRecord,
    ControlRecord,
    EventRecord,
    MembershipRecord,
    PartialDate,
    Precision,
    RegisterHistory,
)
from mutualwatch.councils.models import Succession
from mutualwatch.councils.queries import end_of_service_rule
from mutualwatch.register import queries as register_queries
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    NetworkMembership,
    NetworkMemberType,
    Provider,
    ProviderControl,
    ServiceArea,
    Source,
)

#: Every model the analysis reads; a write to any of them recomputes the fates
#: (``analysis.signals``). ``tests/analysis/test_recompute.py`` fails when the loader reads
#: one that is missing here.
READS: tuple[type[Model], ...] = (
    Arrangement,
    Authority,
    Event,
    NetworkMembership,
    Provider,
    ProviderControl,
    ServiceArea,
    Source,
    Succession,
)


def visitor() -> Any:
    return AnonymousUser()


def register_cut_off() -> datetime.date | None:
    """The data's cut-off: the last day the published evidence was looked at.

    That is the latest ``accessed_on`` of a published source (a researcher checked the record
    then, so nothing unrecorded had happened by that day), or any later date the published
    register records (a source published, an arrangement started or ended, an event).
    ``None`` when nothing is published.
    """
    sources = register_queries.visible_sources(visitor())
    accessed = sources.aggregate(last=Max("accessed_on"))["last"]
    arrangements = register_queries.visible_arrangements(visitor())
    recorded = [
        accessed,
        sources.aggregate(last=Max("published_on"))["last"],
        arrangements.aggregate(last=Max("start_date"))["last"],
        arrangements.aggregate(last=Max("end_date"))["last"],
        register_queries.visible_events(visitor()).aggregate(last=Max("date"))["last"],
    ]
    known = [day for day in recorded if day is not None]
    return max(known) if known else None


def _partial(day: datetime.date, precision: str) -> PartialDate:
    return PartialDate(day, Precision(precision))


def load_register_history(cut_off: datetime.date | None = None) -> RegisterHistory:
    """The published register as the spell rules read it, followed to ``cut_off`` (by
    default the register's own, ``register_cut_off``)."""
    user = visitor()
    return _history(
        cut_off or register_cut_off() or datetime.date.today(),
        register_queries.visible_arrangements(user),
        register_queries.visible_events(user),
        register_queries.visible_providers(user),
        NetworkMembership.objects.all(),
    )


def load_authority_history(
    authority_id: int, cut_off: datetime.date | None = None
) -> RegisterHistory:
    """What the spell rules read of one council: its published arrangements, their events,
    and what is recorded of the providers holding them (their own events and controls count
    for every arrangement they hold). The spells built from it are that council's spells of
    ``load_register_history``."""
    user = visitor()
    arrangements = register_queries.visible_arrangements(user).filter(authority_id=authority_id)
    holders = arrangements.values("provider_id")
    events = register_queries.visible_events(user).filter(
        Q(arrangement__in=arrangements.values("pk")) | Q(provider_id__in=holders)
    )
    return _history(
        cut_off or register_cut_off() or datetime.date.today(),
        arrangements,
        events,
        register_queries.visible_providers(user).filter(
            Q(pk__in=holders) | Q(pk__in=events.values("counterparty_id"))
        ),
        NetworkMembership.objects.filter(authority_id=authority_id),
    )


ARRANGEMENT_VALUES = (
    "uid", "authority_id", "authority__gss_code", "authority__end_date",
    "authority__replaced_by_id", "service_area__code", "provider__uid", "provider__legal_form",
    "origin", "start_date", "start_precision", "end_date", "end_precision", "staff_transferred",
)  # fmt: skip


def _history(
    cut_off: datetime.date,
    visible_arrangements: QuerySet[Arrangement],
    visible_events: QuerySet[Event],
    visible_providers: QuerySet[Provider],
    memberships: QuerySet[NetworkMembership],
) -> RegisterHistory:
    # Plain values, not records: a council's page reads its history on every view.
    providers, forms = {}, {}
    for pk, uid, form in visible_providers.values_list("pk", "uid", "legal_form"):
        providers[pk], forms[pk] = uid, form
    arrangements = []
    counts_as_end_of_service = end_of_service_rule()
    for a in visible_arrangements.values(*ARRANGEMENT_VALUES):
        end = a["end_date"]
        arrangements.append(
            ArrangementRecord(
                key=str(a["uid"]),
                authority=a["authority__gss_code"],
                service_area=a["service_area__code"],
                provider=str(a["provider__uid"]),
                legal_form=a["provider__legal_form"],
                origin=a["origin"],
                start=_partial(a["start_date"], a["start_precision"]),
                end=_partial(end, a["end_precision"]) if end is not None else None,
                staff_transferred=a["staff_transferred"],
                ended_by_abolition=end is not None
                and not counts_as_end_of_service(
                    end,
                    a["authority_id"],
                    a["authority__end_date"],
                    a["authority__replaced_by_id"],
                ),
            )
        )
    events = []
    for e in visible_events.values(
        "event_type", "date", "date_precision", "arrangement__uid", "provider_id",
        "counterparty_id",
    ):  # fmt: skip
        provider = providers.get(e["provider_id"]) if e["provider_id"] else None
        arrangement = e["arrangement__uid"]
        events.append(
            EventRecord(
                event_type=e["event_type"],
                date=_partial(e["date"], e["date_precision"]),
                arrangement=str(arrangement) if arrangement else None,
                provider=str(provider) if provider else None,
                counterparty_legal_form=forms.get(e["counterparty_id"])
                if e["counterparty_id"]
                else None,
            )
        )
    # A control is shown wherever its provider is: visible with a visible provider.
    controls = [
        ControlRecord(
            provider=str(providers[provider_id]),
            controller_kind=kind,
            start=_partial(start, precision),
        )
        for provider_id, kind, start, precision in ProviderControl.objects.filter(
            provider_id__in=list(providers)
        ).values_list("provider_id", "controller_kind", "start_date", "start_precision")
    ]
    # A council's opposition group or another organisation in the network does not make the
    # council a member: only the council's own membership, at any tier, does.
    members = [
        MembershipRecord(code, joined, left)
        for code, joined, left in memberships.filter(
            member_type=NetworkMemberType.COUNCIL
        ).values_list("authority__gss_code", "joined_on", "left_on")
    ]
    return RegisterHistory(cut_off, arrangements, events, controls, members)
