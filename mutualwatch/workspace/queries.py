"""Reads for the workspace: a person's branches, their records, the review queue, comparisons.

Every read of evidence goes through the register's permission-aware queries or the table.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Field, Q, QuerySet

from mutualwatch.branches.models import Branch, BranchMembership
from mutualwatch.branches.permissions import Kind
from mutualwatch.register import queries as register_queries
from mutualwatch.register.history import ShownEntry, field_label, history_seen_by
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    Provider,
    ReviewedRecord,
    ReviewState,
    Source,
)
from mutualwatch.workspace.access import may_review

#: The kinds of record the workspace handles, by the name used in its URLs.
KINDS: dict[str, tuple[Kind, type[ReviewedRecord]]] = {
    "arrangement": (Kind.ARRANGEMENT, Arrangement),
    "event": (Kind.EVENT, Event),
    "provider": (Kind.PROVIDER, Provider),
    "source": (Kind.SOURCE, Source),
}
KIND_NAME: dict[type[ReviewedRecord], str] = {model: name for name, (_, model) in KINDS.items()}

#: States a researcher works on: submitted ones to verify, verified ones to publish.
QUEUE_STATES = [ReviewState.SUBMITTED, ReviewState.VERIFIED]


@dataclass
class RecordRow:
    """One record in a list: what it is, where it stands, who may be shown as its author."""

    kind: str
    record: ReviewedRecord
    submitted_by: str = ""


@dataclass
class BranchDesk:
    branch: Branch
    role: str
    authorities: list[Authority]
    by_state: list[tuple[str, list[RecordRow]]] = field(default_factory=list)


def _visible(user: Any, name: str) -> QuerySet[Any]:
    match name:
        case "arrangement":
            return register_queries.visible_arrangements(user)
        case "event":
            return register_queries.visible_events(user)
        case "provider":
            return register_queries.visible_providers(user)
    return register_queries.visible_sources(user)


def visible_record(user: Any, name: str, uid: Any) -> ReviewedRecord | None:
    """The record of kind ``name`` with this uid, if the person may see it."""
    record: ReviewedRecord | None = _visible(user, name).filter(uid=uid).first()
    return record


def desks_of(user: Any) -> list[BranchDesk]:
    """Each branch the person belongs to, the councils it covers and its records by state."""
    desks = []
    memberships = BranchMembership.objects.filter(user_id=user.pk).select_related("branch")
    for membership in memberships:
        branch = membership.branch
        rows: dict[str, list[RecordRow]] = {state: [] for state in ReviewState.values}
        for name in KINDS:
            for record in _visible(user, name).filter(branch=branch).order_by("-updated_at"):
                rows[record.state].append(RecordRow(name, record))
        desks.append(
            BranchDesk(
                branch=branch,
                role=membership.get_role_display(),
                authorities=list(branch.authorities.all()),
                by_state=[(ReviewState(state).label, rows[state]) for state in ReviewState.values],
            )
        )
    return desks


def review_queue(user: Any, state: str = "") -> list[RecordRow]:
    """Records awaiting a researcher, oldest first, each with the username of its author.

    Only for people who may review: the workspace shows usernames to researchers alone.
    """
    states = [state] if state in QUEUE_STATES else QUEUE_STATES
    rows = []
    for name in KINDS:
        records = (
            _visible(user, name)
            .filter(state__in=states)
            .select_related("created_by", "branch")
            .order_by("updated_at")
        )
        rows += [
            RecordRow(name, r, r.created_by.get_username() if r.created_by else "") for r in records
        ]
    return sorted(rows, key=lambda row: row.record.updated_at)


@dataclass
class Comparison:
    """What is already published beside a submission, in the register's own words."""

    same_place: list[Arrangement] = field(default_factory=list)
    same_provider: list[Arrangement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    similar_providers: list[Provider] = field(default_factory=list)
    same_document: list[Source] = field(default_factory=list)
    place: str = ""

    @property
    def empty(self) -> bool:
        return not (
            self.same_place
            or self.same_provider
            or self.events
            or self.similar_providers
            or self.same_document
        )


PUBLISHED_ARRANGEMENTS = Arrangement.objects.filter(
    state=ReviewState.PUBLISHED, provider__state=ReviewState.PUBLISHED
).select_related("authority", "service_area", "provider")


def published_alongside(record: ReviewedRecord) -> Comparison:
    """The published records a reviewer should read a submission against.

    An arrangement or an event on one is compared with what is published for the same
    council and service area, and for the same provider; a provider with published providers
    of a similar name; a source with published sources at the same address or with the same
    document (by SHA-256), which would make it a duplicate.
    """
    comparison = Comparison()
    published_events = Event.objects.filter(state=ReviewState.PUBLISHED)
    arrangement: Arrangement | None = None
    provider: Provider | None = None
    if isinstance(record, Arrangement):
        arrangement, provider = record, record.provider
    elif isinstance(record, Event):
        arrangement = record.arrangement
        provider = record.provider or (arrangement.provider if arrangement else None)
    if arrangement is not None:
        comparison.place = f"{arrangement.service_area.name} for {arrangement.authority.name}"
        comparison.same_place = list(
            PUBLISHED_ARRANGEMENTS.filter(
                authority_id=arrangement.authority_id, service_area_id=arrangement.service_area_id
            ).exclude(pk__in=[record.pk] if isinstance(record, Arrangement) else [])
        )
        comparison.events = list(
            published_events.filter(
                arrangement__authority_id=arrangement.authority_id,
                arrangement__service_area_id=arrangement.service_area_id,
            )
        )
    if provider is not None:
        comparison.same_provider = list(
            PUBLISHED_ARRANGEMENTS.filter(provider=provider).exclude(
                pk__in=[a.pk for a in comparison.same_place]
            )
        )
        comparison.events += list(
            published_events.filter(Q(provider=provider) | Q(counterparty=provider)).exclude(
                pk__in=[e.pk for e in comparison.events]
            )
        )
    if isinstance(record, Provider):
        first_word = record.name.split()[0] if record.name.split() else record.name
        comparison.similar_providers = list(
            Provider.objects.filter(state=ReviewState.PUBLISHED, name__icontains=first_word)
            .exclude(pk=record.pk)
            .order_by("name")[:20]
        )
    if isinstance(record, Source):
        same = Q(pk__in=[])
        if record.url:
            same |= Q(url=record.url)
        if record.sha256:
            same |= Q(sha256=record.sha256)
        comparison.same_document = list(
            Source.objects.filter(same, state=ReviewState.PUBLISHED).exclude(pk=record.pk)
        )
    comparison.events.sort(key=lambda event: event.date)
    return comparison


def cited_records(record: ReviewedRecord) -> list[tuple[str, ReviewedRecord]]:
    """What a record cites or rests on, each with its kind: all must be published before it."""
    cited: list[tuple[str, ReviewedRecord]] = []
    if isinstance(record, Arrangement | Event):
        cited += [("source", record.source)]
        cited += [("source", s) for s in record.additional_sources.order_by("title")]
    if isinstance(record, Arrangement):
        cited.append(("provider", record.provider))
    if isinstance(record, Event):
        if record.arrangement is not None:
            cited.append(("arrangement", record.arrangement))
        cited += [("provider", p) for p in (record.provider, record.counterparty) if p is not None]
    return cited


def history_for(record: ReviewedRecord, viewer: Any) -> list[ShownEntry]:
    """The record's history; who made each change is named only to researchers."""
    return history_seen_by(record, viewer, names_visible=may_review(viewer))


#: The fields shown on a record's workspace page, in order.
FACT_FIELDS: dict[type[ReviewedRecord], list[str]] = {
    Arrangement: [
        "authority",
        "service_area",
        "provider",
        "origin",
        "start_date",
        "end_date",
        "staff_transferred",
        "notes",
    ],
    Event: ["event_type", "date", "arrangement", "provider", "counterparty", "description"],
    Provider: ["name", "legal_form", "notes"],
    Source: ["title", "kind", "publisher", "url", "published_on", "accessed_on", "sha256"],
}


def facts_of(record: ReviewedRecord) -> list[tuple[str, Any, bool]]:
    """The record's own fields as (label, value, is a link), choices shown by their labels."""
    facts = []
    for name in FACT_FIELDS[type(record)]:
        model_field = record._meta.get_field(name)
        assert isinstance(model_field, Field)
        value = getattr(record, name)
        if getattr(model_field, "choices", None):
            value = getattr(record, f"get_{name}_display")()
        if value not in (None, ""):
            facts.append((field_label(model_field), value, name == "url"))
    return facts
