"""Register events suggested from the registers for every linked provider, and a researcher's
answer to each: accepted (a draft Event citing the register file, through review like any
other) or dismissed."""

import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from mutualwatch.branches.permissions import may_review
from mutualwatch.councils.resolution import resolution_of
from mutualwatch.matching.models import LINKED, EventSuggestion, Link, SuggestionStatus
from mutualwatch.register import services as register_services
from mutualwatch.register.models import DatePrecision, Source, SourceKind
from mutualwatch.registers import store
from mutualwatch.registers.events import PUBLISHERS, facts_for

COUNCIL_WORDS = re.compile(r"\b(council|borough|county|authority|corporation)\b", re.IGNORECASE)


def council_named(name: str) -> str:
    """The council a controller's name names, or "" (a company whose name merely contains a
    place is not a council: the name must also say it is one)."""
    if not name or not COUNCIL_WORDS.search(name):
        return ""
    authorities = resolution_of(name).authorities
    return authorities[0].name if len(authorities) == 1 else ""


def suggest_register_events() -> int:
    """Add a suggestion for every new register fact about a linked provider; returns how many
    were added. Suggestions already there (pending or decided) are left as they are."""
    links = list(
        Link.objects.filter(provider__isnull=False, decision__in=LINKED)
        .exclude(number="")
        .select_related("provider")
    )
    if not links:
        return 0
    providers_by_body = {
        (link.register, link.number): link.provider for link in links if link.provider
    }
    with store.connect(read_only=True) as connection:
        facts = facts_for(connection, providers_by_body, council_named)
    existing = set(EventSuggestion.objects.values_list("key", flat=True))
    new = []
    for fact in facts:
        provider = providers_by_body[(fact.register, fact.number)]
        key = f"{provider.uid}:{fact.key}"
        if key in existing:
            continue
        counterparty = providers_by_body.get((fact.counterparty_register, fact.counterparty_number))
        new.append(
            EventSuggestion(
                key=key, provider=provider, register=fact.register, number=fact.number,
                event_type=fact.event_type, date=fact.date, date_known=fact.date_known,
                description=fact.description, counterparty_name=fact.counterparty_name[:300],
                counterparty_number=fact.counterparty_number, counterparty=counterparty,
                source_title=fact.source_title[:500],
                source_publisher=PUBLISHERS[fact.source_kind], source_url=fact.source_url,
                source_sha256=fact.source_sha256, snapshot_on=fact.snapshot_on,
            )
        )  # fmt: skip
    EventSuggestion.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def register_source(user: Any, suggestion: EventSuggestion) -> Source:
    """The register file as a source: one Source per file, found again by its title."""
    found = Source.objects.filter(
        title=suggestion.source_title, kind=SourceKind.REGISTER_FILING
    ).first()
    if found is not None:
        return found
    return register_services.add_source(
        user,
        title=suggestion.source_title,
        publisher=suggestion.source_publisher,
        kind=SourceKind.REGISTER_FILING,
        url=suggestion.source_url,
        published_on=suggestion.snapshot_on,
        accessed_on=timezone.localdate(),
    )


class SuggestionRefused(Exception):
    """Raised when the person may not decide suggestions, or this one is decided already."""


def refuse_unless_open(user: Any, suggestion: EventSuggestion) -> None:
    if not may_review(user):
        raise SuggestionRefused("Only national researchers decide register suggestions.")
    if suggestion.status != SuggestionStatus.PENDING:
        raise SuggestionRefused("This suggestion has already been decided.")


@transaction.atomic
def accept(user: Any, suggestion: EventSuggestion) -> EventSuggestion:
    """Record the suggestion as a draft Event by ``user`` (the permission table applies)."""
    refuse_unless_open(user, suggestion)
    source = register_source(user, suggestion)
    description = suggestion.description
    if not suggestion.date_known:
        description += f" (Date: first seen in the snapshot of {suggestion.snapshot_on}.)"
    event = register_services.add_event(
        user,
        sources=[source],
        event_type=suggestion.event_type,
        date=suggestion.date,
        date_precision=DatePrecision.DAY,
        provider=suggestion.provider,
        counterparty=suggestion.counterparty,
        description=description,
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.event = event
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return suggestion


def dismiss(user: Any, suggestion: EventSuggestion) -> EventSuggestion:
    refuse_unless_open(user, suggestion)
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return suggestion
