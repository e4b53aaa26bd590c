"""What the public pages show: published records only, gathered in a fixed number of queries."""

import datetime
import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from mutualwatch.analysis.loading import load_authority_history, register_cut_off
from mutualwatch.analysis.spells import build_spells
from mutualwatch.compiled_queries import CompiledQuery
from mutualwatch.page_cache import register_version
from mutualwatch.procurement.queries import AwardedContract, awards_of_authority
from mutualwatch.publishing import stories
from mutualwatch.publishing.workforce import Release, release_from
from mutualwatch.register import queries as register_queries
from mutualwatch.register.labels import EVENT_LABELS, LEGAL_FORM_LABELS
from mutualwatch.register.models import (
    Arrangement,
    ArrangementOrigin,
    Authority,
    AuthorityKind,
    Event,
    EventType,
    LegalForm,
    NetworkMembership,
    NetworkMemberType,
    Provider,
    ProviderIdentifier,
    ProviderName,
    ServiceArea,
    Source,
)
from mutualwatch.workforce.models import Publication

PUBLIC = AnonymousUser()
AUTHORITY_KIND_LABELS = dict(AuthorityKind.choices)
ORIGIN_LABELS = dict(ArrangementOrigin.choices)


# What a visitor may see is the same on every request: each filter is built once and cloned
# (``.all()``) for each use, so that no result is ever kept. Building them afresh was about a
# twentieth of a council page's work (callgrind).
@functools.cache
def _visible_to_visitors(read: Callable[[Any], QuerySet[Any]]) -> QuerySet[Any]:
    return read(PUBLIC)


def published_arrangements() -> QuerySet[Arrangement]:
    return _visible_to_visitors(register_queries.visible_arrangements).all()


def published_events() -> QuerySet[Event]:
    return _visible_to_visitors(register_queries.visible_events).all()


def published_providers() -> QuerySet[Provider]:
    return _visible_to_visitors(register_queries.visible_providers).all()


def published_sources() -> QuerySet[Source]:
    return _visible_to_visitors(register_queries.visible_sources).all()


# What the council and provider pages show of each arrangement and event, read as plain values:
# a council's rows as records of four tables each cost more than the rest of its page.
AUTHORITY_PAGE_ARRANGEMENT_FIELDS = (
    "pk",
    "uid",
    "source_id",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "origin",
    "service_area__code",
    "service_area__name",
    "provider__uid",
    "provider__name",
    "provider__legal_form",
)
EVENT_FIELDS = (
    "pk",
    "source_id",
    "event_type",
    "date",
    "date_precision",
    "description",
    "arrangement__service_area__name",
)


def _arrangements_of_authority(authority_id: int) -> QuerySet[Arrangement]:
    return published_arrangements().filter(authority_id=authority_id)


def _events_of_authority(authority_id: int) -> QuerySet[Event]:
    """The published events of the council's published arrangements."""
    arrangements = _arrangements_of_authority(authority_id).values("pk")
    return published_events().filter(arrangement__in=arrangements)


def _events_of_provider(provider_id: int) -> QuerySet[Event]:
    """The published events of a provider, naming it as counterparty, or recorded on one of
    its published arrangements (as the council's page shows them)."""
    arrangements = published_arrangements().filter(provider_id=provider_id).values("pk")
    return published_events().filter(
        Q(provider_id=provider_id)
        | Q(counterparty_id=provider_id)
        | Q(arrangement__in=arrangements)
    )


ArrangementSources = Arrangement.additional_sources.through
EventSources = Event.additional_sources.through

# The council page's queries, each compiled once (see mutualwatch.compiled_queries): with
# nine queries, compiling them was a fifth of the page's time.
_authority_arrangement_rows = CompiledQuery(
    lambda authority_id: _arrangements_of_authority(authority_id).values(
        *AUTHORITY_PAGE_ARRANGEMENT_FIELDS
    ),
    authority_id=int,
)
_authority_event_rows = CompiledQuery(
    lambda authority_id: _events_of_authority(authority_id).values(*EVENT_FIELDS),
    authority_id=int,
)
_authority_further_citations = CompiledQuery(
    # Which arrangement (True) or event (False) cites which further source, in one query.
    lambda authority_id: (
        ArrangementSources.objects.filter(
            arrangement__in=_arrangements_of_authority(authority_id).values("pk")
        )
        .values_list(Value(True), "arrangement_id", "source_id")
        .union(
            EventSources.objects.filter(
                event__in=_events_of_authority(authority_id).values("pk")
            ).values_list(Value(False), "event_id", "source_id"),
            all=True,
        )
    ),
    authority_id=int,
)
_authority_memberships = CompiledQuery(
    lambda authority_id: (
        NetworkMembership.objects.filter(authority_id=authority_id)
        .order_by("joined_on", "member_name")
        .values(
            "member_name",
            "member_type",
            "tier",
            "joined_on",
            "joined_precision",
            "joined_basis",
            "left_on",
            "left_precision",
            "source__uid",
            "source__title",
            "source__state",
        )
    ),
    authority_id=int,
)


@dataclass(frozen=True)
class CitedSource:
    """What a citation shows of a source."""

    uid: str
    title: str
    #: Where the source itself is published, if anywhere: printed pages show it.
    url: str = ""


def with_sources(
    records: list[dict[str, Any]],
    further: dict[int, list[int]],
    sources: dict[int, CitedSource],
) -> list[dict[str, Any]]:
    """Each record (its ``pk`` and ``source_id``) with the published sources it cites: the
    first citation first, then the further ones by id (an unpublished one is left out)."""
    rows = []
    for record in records:
        cited = [record["source_id"], *sorted(further.get(record["pk"], []))]
        rows.append({"record": record, "sources": [sources[pk] for pk in cited if pk in sources]})
    return rows


def _cited_sources(rows: Iterable[tuple[Any, Any, str, str]]) -> dict[int, CitedSource]:
    return {pk: CitedSource(str(uid), title, url) for pk, uid, title, url in rows}


@dataclass(frozen=True)
class AuthorityPage:
    """What a council's page lists: arrangements and events as ``with_sources`` gives them,
    each arrangement with its ``fate``; the data's cut-off, which the timeline runs to."""

    arrangements: list[dict[str, Any]]
    events: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    cut_off: datetime.date


def authority_page(authority_id: int) -> AuthorityPage:
    """A council's published arrangements and their events, in order, each with its sources,
    and its memberships of the network, in five queries."""
    arrangements = [
        {**row, "origin_label": ORIGIN_LABELS.get(row["origin"], row["origin"])}
        for row in _authority_arrangement_rows(authority_id=authority_id)
    ]
    events = _with_event_labels(_authority_event_rows(authority_id=authority_id))
    further: dict[bool, dict[int, list[int]]] = {True: {}, False: {}}
    for of_arrangement, record_id, source_id in _authority_further_citations(
        authority_id=authority_id
    ):
        further[of_arrangement].setdefault(record_id, []).append(source_id)
    sources = published_sources_among(
        [r["source_id"] for r in arrangements]
        + [r["source_id"] for r in events]
        + [pk for cited in further.values() for pks in cited.values() for pk in pks]
    )
    cut_off = (
        once_per_version("register-cut-off", datetime.date, register_cut_off)
        or datetime.date.today()
    )
    # The fates rules over the council's whole history cost more than the rest of the page:
    # worked out once per register version, as the overview's figures are.
    fates = once_per_version(
        f"authority-fates:{authority_id}:{cut_off}",
        dict,
        lambda: stories.fates(
            arrangements, build_spells(load_authority_history(authority_id, cut_off))
        ),
    )
    return AuthorityPage(
        arrangements=[
            {**row, "fate": fates[row["record"]["pk"]]}
            for row in with_sources(arrangements, further[True], sources)
        ],
        events=with_sources(events, further[False], sources),
        memberships=_authority_memberships(authority_id=authority_id),
        cut_off=cut_off,
    )


PROVIDER_PAGE_ARRANGEMENT_FIELDS = (
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "service_area__code",
    "service_area__name",
    "authority__gss_code",
    "authority__name",
    "source__uid",
    "source__title",
)

# The provider page's queries, compiled once, as the council page's are.
_provider_arrangement_rows = CompiledQuery(
    lambda provider_id: (
        published_arrangements()
        .filter(provider_id=provider_id)
        .values(*PROVIDER_PAGE_ARRANGEMENT_FIELDS)
    ),
    provider_id=int,
)
_provider_event_rows = CompiledQuery(
    lambda provider_id: _events_of_provider(provider_id).values(*EVENT_FIELDS),
    provider_id=int,
)
_provider_further_citations = CompiledQuery(
    lambda provider_id: EventSources.objects.filter(
        event__in=_events_of_provider(provider_id).values("pk")
    ).values_list("event_id", "source_id"),
    provider_id=int,
)


def provider_arrangements(provider: Provider) -> list[dict[str, Any]]:
    """The published arrangements of a provider as its page shows them, in order."""
    return _provider_arrangement_rows(provider_id=provider.pk)


def _with_event_labels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**row, "event_label": EVENT_LABELS.get(row["event_type"], row["event_type"])}
        for row in rows
    ]


def provider_events(provider: Provider) -> list[dict[str, Any]]:
    """The published events of a provider or naming it as counterparty, in order."""
    return _with_event_labels(_provider_event_rows(provider_id=provider.pk))


def provider_event_further_citations(provider: Provider) -> dict[int, list[int]]:
    """The further sources each of ``provider_events`` cites, by event id."""
    further: dict[int, list[int]] = {}
    for event_id, source_id in _provider_further_citations(provider_id=provider.pk):
        further.setdefault(event_id, []).append(source_id)
    return further


def published_sources_among(pks: Iterable[int]) -> dict[int, CitedSource]:
    """The published sources among these, in one query, as plain values: a page cites dozens,
    and building them as records cost more than the query."""
    return _cited_sources(
        published_sources().filter(pk__in=set(pks)).values_list("pk", "uid", "title", "url")
    )


SERVICE_AREA_ROW_FIELDS = (
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "authority__gss_code",
    "authority__name",
    "provider__uid",
    "provider__name",
    "provider__legal_form",
    "source__uid",
    "source__title",
)


def service_area_rows(arrangement_ids: list[int]) -> list[dict[str, Any]]:
    """These arrangements, in this order, as the rows of a service area's page show them
    (``SERVICE_AREA_ROW_FIELDS``, with the provider's legal form as its label): plain values,
    not records of four tables each. The ids come from the published arrangements, already
    filtered and sorted."""
    rows = {
        row["pk"]: {**row, "legal_form": LEGAL_FORM_LABELS.get(row["provider__legal_form"], "")}
        # Unordered: the ids come in the page's order, and sorting them again cost a third
        # of this query.
        for row in Arrangement.objects.filter(pk__in=arrangement_ids)
        .order_by()
        .values("pk", *SERVICE_AREA_ROW_FIELDS)
    }
    return [rows[pk] for pk in arrangement_ids]


@dataclass(frozen=True)
class Span:
    """When an arrangement ran and what kind of provider delivered it: all the charts need."""

    start: datetime.date
    end: datetime.date | None
    legal_form: str

    def is_current(self, today: datetime.date) -> bool:
        return self.end is None or self.end > today

    def running_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


def spans_of(arrangements: QuerySet[Arrangement]) -> list[Span]:
    return [
        Span(start, end, form)
        for start, end, form in arrangements.values_list(
            "start_date", "end_date", "provider__legal_form"
        )
    ]


def delivery_by_legal_form(spans: Iterable[Span], today: datetime.date) -> list[dict[str, Any]]:
    """How many services each kind of provider delivers now, every kind listed."""
    counts = Counter(span.legal_form for span in spans if span.is_current(today))
    return [
        {"legal_form": label, "arrangements": counts.get(value, 0)}
        for value, label in LegalForm.choices
    ]


def delivery_now(
    arrangements: QuerySet[Arrangement], today: datetime.date
) -> tuple[list[dict[str, Any]], int]:
    """``delivery_by_legal_form`` counted by the database, in one query rather than a row per
    arrangement, with how many arrangements there are in all, current or not."""
    running = Q(end_date__isnull=True) | Q(end_date__gt=today)
    counts = list(
        arrangements.order_by()
        .values_list("provider__legal_form")
        .annotate(everything=Count("pk"), now=Count("pk", filter=running))
    )
    now = {form: current for form, _, current in counts}
    total = sum(everything for _, everything, _ in counts)
    rows = [
        {"legal_form": label, "arrangements": now.get(value, 0)}
        for value, label in LegalForm.choices
    ]
    return rows, total


def delivery_over_time(spans: list[Span], today: datetime.date) -> list[dict[str, Any]]:
    """For each year, the arrangements running on 1 July, by the provider's legal form."""
    if not spans:
        return []
    rows = []
    for year in range(min(span.start.year for span in spans), today.year + 1):
        midyear = datetime.date(year, 7, 1)
        counts = Counter(span.legal_form for span in spans if span.running_on(midyear))
        rows += [
            {"year": year, "legal_form": LEGAL_FORM_LABELS[form], "arrangements": count}
            for form, count in sorted(counts.items())
        ]
    return rows


def fates_so_far(event_types: Iterable[str]) -> list[dict[str, Any]]:
    """How often each kind of event has been recorded."""
    counts = Counter(event_types)
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


def once_per_version(name: str, kind: type, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached until the register next changes."""
    key = f"{name}:{register_version()}"
    value = cache.get(key)
    if not isinstance(value, kind):
        value = compute()
        cache.set(key, value, timeout=86400)
    return value


def _once_per_version_and_day(
    name: str, today: datetime.date, kind: type, compute: Callable[[], Any]
) -> Any:
    """``compute()``, cached until the register next changes or the day ends."""
    return once_per_version(f"{name}:{today.isoformat()}", kind, compute)


def national_overview(today: datetime.date) -> Overview:
    """The overview, computed once per change to the register and per day."""
    return _once_per_version_and_day(
        "national-overview", today, Overview, lambda: _national_overview(today)
    )


def network_delivery_now(today: datetime.date) -> tuple[list[dict[str, Any]], int]:
    """``delivery_now`` of the Co-operative Councils Network's councils, past and present
    members alike (councils themselves, at any tier: not those with only an opposition group
    in it): computed once per change to the register and per day, as the overview is."""
    members = NetworkMembership.objects.filter(member_type=NetworkMemberType.COUNCIL).values(
        "authority_id"
    )
    return _once_per_version_and_day(
        "network-delivery",
        today,
        tuple,
        lambda: delivery_now(published_arrangements().filter(authority__in=members), today),
    )


def service_area_arrangements(area: ServiceArea, legal_form: str = "") -> QuerySet[Arrangement]:
    """The published arrangements of a service area, of providers of one legal form if given."""
    arrangements = published_arrangements().filter(service_area=area)
    if legal_form:
        arrangements = arrangements.filter(provider__legal_form=legal_form)
    return arrangements


def service_area_arrangement_ids(area: ServiceArea, legal_form: str = "") -> list[int]:
    """The ids of ``service_area_arrangements``, in the page's order: sorted once per change
    to the register, not for every page of every visit (sorting them by council was most of
    the database's time on a service page)."""
    return once_per_version(
        f"service-area-ids:{area.code}:{legal_form}",
        list,
        lambda: list(service_area_arrangements(area, legal_form).values_list("pk", flat=True)),
    )


def service_area_delivery_now(
    area: ServiceArea, legal_form: str, today: datetime.date
) -> tuple[list[dict[str, Any]], int]:
    """``delivery_now`` of a service area's arrangements (of one legal form if given):
    computed once per change to the register and per day, as the overview is."""
    return _once_per_version_and_day(
        f"service-area-delivery:{area.code}:{legal_form}",
        today,
        tuple,
        lambda: delivery_now(service_area_arrangements(area, legal_form), today),
    )


def _national_overview(today: datetime.date) -> Overview:
    spans = spans_of(published_arrangements())
    return Overview(
        authority_count=Authority.objects.count(),
        provider_count=published_providers().count(),
        current_count=sum(span.is_current(today) for span in spans),
        delivery_now=delivery_by_legal_form(spans, today),
        delivery_over_time=delivery_over_time(spans, today),
        fates=fates_so_far(published_events().values_list("event_type", flat=True)),
    )


# What the councils list and its CSV show of each council, as plain values (see
# PROVIDER_LIST_FIELDS).
AUTHORITY_LIST_FIELDS = (
    "gss_code",
    "name",
    "kind",
    "nation",
    "region",
    "end_date",
    "replaced_by__gss_code",
)


def filtered_authorities(
    query: str = "", nation: str = "", kind: str = "", network: str = ""
) -> QuerySet[Authority, dict[str, Any]]:
    """Councils matching the filters, in name order, as AUTHORITY_LIST_FIELDS."""
    authorities = Authority.objects.all()
    if query:
        authorities = authorities.filter(Q(name__icontains=query) | Q(gss_code__iexact=query))
    if nation:
        authorities = authorities.filter(nation=nation)
    if kind:
        authorities = authorities.filter(kind=kind)
    if network == "member":
        authorities = authorities.filter(
            network_memberships__member_type=NetworkMemberType.COUNCIL
        ).distinct()
    return authorities.order_by("name", "gss_code").values(*AUTHORITY_LIST_FIELDS)


# What the providers list shows of each provider, read as plain values: building a hundred
# model instances and looking up each one's label through the field cost more than the query.
PROVIDER_LIST_FIELDS = ("uid", "name", "legal_form", "arrangement_count")


def filtered_providers(query: str = "", legal_form: str = "") -> QuerySet[Provider, dict[str, Any]]:
    """Published providers matching the filters, in name order, as PROVIDER_LIST_FIELDS
    (``arrangement_count``: each one's published arrangements)."""
    providers = published_providers()
    if query:
        # Former names as a subquery, not a join: joining them made every row a candidate
        # duplicate, and sorting all providers to drop duplicates cost more than the page.
        formerly = ProviderName.objects.filter(name__icontains=query).values("provider_id")
        providers = providers.filter(Q(name__icontains=query) | Q(pk__in=formerly))
    if legal_form:
        providers = providers.filter(legal_form=legal_form)
    # Counted per provider shown rather than by grouping every provider's arrangements: a
    # page of a hundred then costs a hundred index lookups, and counting the pages none.
    published_here = (
        Arrangement.objects.filter(provider=OuterRef("pk"), state="published")
        .order_by()
        .values("provider")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        providers.annotate(arrangement_count=Coalesce(Subquery(published_here), 0))
        .order_by("name", "pk")
        .values(*PROVIDER_LIST_FIELDS)
    )


def service_areas_with_counts() -> list[ServiceArea]:
    """Every service area with its count of published arrangements (``arrangement_count``),
    computed once per change to the register: counting them all took the database longer
    than the rest of the page."""
    return once_per_version(
        "service-areas-with-counts",
        list,
        lambda: list(
            ServiceArea.objects.annotate(
                arrangement_count=Count("arrangements", filter=Q(arrangements__state="published"))
            )
        ),
    )


@dataclass(frozen=True)
class ProviderContracts:
    """The awards a council made to one provider in the register (``provider`` its
    ``uid``, ``name`` and ``legal_form`` label), or to suppliers not in it (``None``)."""

    provider: dict[str, Any] | None
    awards: list[AwardedContract]

    @property
    def total(self) -> float:
        return float(sum(a.value_amount or 0 for a in self.awards))

    @property
    def next_end(self) -> datetime.date | None:
        ends = [a.ends_on for a in self.awards if a.ends_on]
        return max(ends) if ends else None


def providers_identified_by(
    pairs: set[tuple[str, str]],
) -> dict[tuple[str, str], dict[str, Any]]:
    """The published providers carrying these (scheme, identifier) pairs, as ``uid``, ``name``
    and ``legal_form`` label by pair: how a supplier in a notice is known as a provider."""
    providers: dict[tuple[str, str], dict[str, Any]] = {}
    if not pairs:
        return providers
    for scheme, identifier, uid, name, form in ProviderIdentifier.objects.filter(
        identifier__in={identifier for _, identifier in pairs},
        provider__in=published_providers().values("pk"),
    ).values_list(
        "scheme", "identifier", "provider__uid", "provider__name", "provider__legal_form"
    ):
        if (scheme, identifier) in pairs:
            providers[scheme, identifier] = {
                "uid": uid, "name": name, "legal_form": LEGAL_FORM_LABELS.get(form, form)
            }  # fmt: skip
    return providers


def provider_among(
    pairs: Iterable[tuple[str, str]], providers: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, Any] | None:
    """The provider a supplier is, from its identifiers (``providers_identified_by``'s map):
    the first pair in order that names one, so the same supplier is always the same provider."""
    return next((providers[pair] for pair in sorted(pairs) if pair in providers), None)


def contract_award_rows(process: Any) -> list[dict[str, Any]]:
    """A notice's awards, each with its suppliers by name and, where one is, the provider each
    supplier is (``process`` as ``process_with_details`` reads it)."""
    awards = [
        (award, [(s.name, _party_identifiers(s.party)) for s in award.suppliers.all()])
        for award in process.awards.all()
    ]
    providers = providers_identified_by(
        {pair for _, suppliers in awards for _, pairs in suppliers for pair in pairs}
    )
    return [
        {
            "award": award,
            "suppliers": [
                {"name": name, "provider": provider_among(pairs, providers)}
                for name, pairs in suppliers
            ],
        }
        for award, suppliers in awards
    ]


def _party_identifiers(party: Any) -> set[tuple[str, str]]:
    if party is None:
        return set()
    return {(i.scheme, i.identifier) for i in party.identifiers.all()}


def council_contracts(authority_id: int) -> list[ProviderContracts]:
    """Every award of the council's procurements, grouped by the published provider its
    supplier is (by a shared identifier, as the provider's page finds its awards), largest
    total first; awards to suppliers in no provider's name last. Read once per version of the
    register and the procurement data."""
    return once_per_version(
        f"council-contracts:{authority_id}", list, lambda: _council_contracts(authority_id)
    )


def _council_contracts(authority_id: int) -> list[ProviderContracts]:
    awards = awards_of_authority(authority_id)
    providers = providers_identified_by({pair for award in awards for pair in award.identifiers})
    grouped: dict[Any, list[AwardedContract]] = {}
    holders: dict[Any, dict[str, Any] | None] = {None: None}
    for award in awards:
        holder = provider_among(award.identifiers, providers)
        key = holder["uid"] if holder else None
        holders[key] = holder
        grouped.setdefault(key, []).append(award)
    groups = [ProviderContracts(holders[key], found) for key, found in grouped.items()]
    return sorted(groups, key=lambda g: (g.provider is None, -g.total))


# A publication's public fields: its private ``basis`` is never read for a page.
PUBLICATION_FIELDS = ("number", "published_at", "respondents", "rules", "cells")


def workforce_release(number: int | None = None) -> Release | None:
    """The protected workforce tables of the publication numbered ``number``, or of the latest;
    nothing when there is none."""
    publications = Publication.objects.order_by("-number").values(*PUBLICATION_FIELDS)
    if number is not None:
        publications = publications.filter(number=number)
    found = publications.first()
    return release_from(**found) if found else None


def latest_workforce_release() -> Release | None:
    """The latest publication's tables, read once per version (a new publication changes it):
    every council page shows its own rows of them."""
    (release,) = once_per_version("workforce-release", tuple, lambda: (workforce_release(),))
    return release
