"""Every write to the register goes through these named actions.

Each checks the permission table (``mutualwatch.branches.permissions``) and the review rules,
records who did it in the history, and raises a ``RegisterError`` subclass when refused.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import CharField, TextField

from mutualwatch.branches.permissions import Action, Kind, can, can_add
from mutualwatch.register.exceptions import NotAllowed, ReviewRuleBroken, SourceRequired
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    DatePrecision,
    Event,
    NetworkMembership,
    Provider,
    ReviewedRecord,
    ReviewState,
    Source,
    SourceKind,
)
from mutualwatch.register.network_file import MemberRow, read_network_file
from mutualwatch.untrusted_text import without_bidi_controls

#: Fields only the review actions (``move_through_review``) and recording (``add_*``) set:
#: no edit, form or admin save may change them.
REVIEW_FIELDS = ("state", "created_by", "branch")
_ATTNAMES = {"state": "state", "created_by": "created_by_id", "branch": "branch_id"}

KIND_OF_MODEL: dict[type[ReviewedRecord], Kind] = {
    Provider: Kind.PROVIDER,
    Source: Kind.SOURCE,
    Arrangement: Kind.ARRANGEMENT,
    Event: Kind.EVENT,
}

#: Which review state each action moves a record from and to.
TRANSITIONS: dict[str, tuple[set[str], str, Action]] = {
    "submit": ({ReviewState.DRAFT}, ReviewState.SUBMITTED, Action.EDIT),
    "send_back": ({ReviewState.SUBMITTED, ReviewState.VERIFIED}, ReviewState.DRAFT, Action.VERIFY),
    "verify": ({ReviewState.SUBMITTED}, ReviewState.VERIFIED, Action.VERIFY),
    "publish": ({ReviewState.VERIFIED}, ReviewState.PUBLISHED, Action.PUBLISH),
}
PAST_TENSE = {
    "submit": "submitted",
    "send_back": "sent back",
    "verify": "verified",
    "publish": "published",
}


def _require_add(user: Any, kind: Kind, branch_id: int | None) -> None:
    if not can_add(user, kind, branch_id):
        raise NotAllowed(f"You may not add a {kind} for this branch.")


def add_source(
    user: Any,
    *,
    branch_id: int | None = None,
    stored_copy: UploadedFile | None = None,
    **fields: Any,
) -> Source:
    """Record a citation; an uploaded copy is stored with its SHA-256."""
    _require_add(user, Kind.SOURCE, branch_id)
    source = Source(branch_id=branch_id, created_by=_person(user), **fields)
    if stored_copy is not None:
        source.stored_copy = stored_copy  # written on saving, after validation
    _save(source, user, "added")
    return source


def add_provider(user: Any, *, branch_id: int | None = None, **fields: Any) -> Provider:
    _require_add(user, Kind.PROVIDER, branch_id)
    provider = Provider(branch_id=branch_id, created_by=_person(user), **fields)
    _save(provider, user, "added")
    return provider


@transaction.atomic
def add_arrangement(
    user: Any, *, sources: Iterable[Source], branch_id: int | None = None, **fields: Any
) -> Arrangement:
    """Record who delivers a service. ``sources``: at least one; the first is the main one."""
    _require_add(user, Kind.ARRANGEMENT, branch_id)
    first, *others = _at_least_one(sources)
    if branch_id is not None:
        _require_branch_covers(branch_id, fields.get("authority"))
    arrangement = Arrangement(branch_id=branch_id, created_by=_person(user), source=first, **fields)
    _save(arrangement, user, "added")
    arrangement.additional_sources.set(others)
    return arrangement


@transaction.atomic
def add_event(
    user: Any, *, sources: Iterable[Source], branch_id: int | None = None, **fields: Any
) -> Event:
    """Record something that happened. ``sources``: at least one; the first is the main one."""
    _require_add(user, Kind.EVENT, branch_id)
    first, *others = _at_least_one(sources)
    event = Event(branch_id=branch_id, created_by=_person(user), source=first, **fields)
    _save(event, user, "added")
    event.additional_sources.set(others)
    return event


def edit[Record: ReviewedRecord](user: Any, record: Record, **changes: Any) -> Record:
    """Change fields of a record the user may edit; the history keeps the before and after."""
    for field, value in changes.items():
        setattr(record, field, value)
    return save_edited(user, record)


def save_edited[Record: ReviewedRecord](user: Any, record: Record) -> Record:
    """Save a record changed in memory (by ``edit``, or by a form such as the admin's), under
    the same rules as every edit: see ``check_edit``."""
    check_edit(user, record)
    _save(record, user, "edited")
    return record


def check_edit(
    user: Any, record: ReviewedRecord, citations: Iterable[ReviewedRecord] | None = None
) -> None:
    """Refuse an edit the rules forbid, judged against the record as stored.

    The user must be allowed to edit the stored record; review state and authorship
    (``REVIEW_FIELDS``) change only through the review actions; a verified or published
    source's stored copy is never swapped (a new copy is a new source, which goes through
    review); and a published record must not come to cite or rest on an unpublished one.
    ``citations``: the sources a form is about to set, where they are not yet saved.
    """
    kind = KIND_OF_MODEL[type(record)]
    stored = type(record)._default_manager.get(pk=record.pk)
    if not can(user, Action.EDIT, kind, stored):
        raise NotAllowed(f"You may not edit this {kind}.")
    changed = [
        field
        for field in REVIEW_FIELDS
        if getattr(record, _ATTNAMES[field]) != getattr(stored, _ATTNAMES[field])
    ]
    if changed:
        raise ReviewRuleBroken(
            f"The {' and '.join(changed)} of a {kind} change only through review "
            "(submit, verify, send back, publish), never by editing it."
        )
    if (
        isinstance(record, Source)
        and isinstance(stored, Source)
        and stored.state in {ReviewState.VERIFIED, ReviewState.PUBLISHED}
        and record.stored_copy.name != stored.stored_copy.name
    ):
        raise ReviewRuleBroken(
            f"The stored copy of a {stored.state} source cannot be replaced: add the new copy "
            "as a new source, which goes through review."
        )
    if stored.state == ReviewState.PUBLISHED:
        _require_citations_published(record, citations)


def add_from_form(user: Any, record: ReviewedRecord) -> ReviewedRecord:
    """Record a new record built by a form (the admin's): a draft, created by this user,
    under the same permission rules as the ``add_*`` actions."""
    kind = KIND_OF_MODEL[type(record)]
    _require_add(user, kind, record.branch_id)
    record.state = ReviewState.DRAFT
    record.created_by = _person(user)
    _save(record, user, "added")
    return record


@transaction.atomic
def change_citations[Cited: (Arrangement, Event)](
    user: Any, record: Cited, sources: Iterable[Source]
) -> Cited:
    """Replace what an arrangement or event cites (at least one source; the first becomes its
    main citation). The history keeps the before and after, as for any edit."""
    first, *others = _at_least_one(sources)
    check_edit(user, record, [first, *others])
    record.source = first
    further_change = set(record.additional_sources.values_list("pk", flat=True)) != {
        source.pk for source in others
    }
    # Changing the further sources writes a version of its own: then that is the one version.
    record.skip_history_when_saving = further_change  # type: ignore[attr-defined]
    try:
        _save(record, user, "citations changed")
    finally:
        del record.skip_history_when_saving  # type: ignore[attr-defined]
    record.additional_sources.set(others)
    return record


def move_through_review[Record: ReviewedRecord](
    user: Any, record: Record, step: str, comment: str = ""
) -> Record:
    """Submit, verify, send back or publish a record, as the review rules allow."""
    allowed_from, to_state, action = TRANSITIONS[step]
    kind = KIND_OF_MODEL[type(record)]
    if not can(user, action, kind, record):
        raise NotAllowed(f"You may not {step.replace('_', ' ')} this {kind}.")
    if record.state not in allowed_from:
        raise ReviewRuleBroken(
            f"A {record.state} {kind} cannot be {PAST_TENSE[step]}; "
            f"it must be {' or '.join(sorted(allowed_from))}."
        )
    if step == "publish":
        _require_citations_published(record)
    record.state = to_state
    if comment or step == "send_back":
        record.review_comment = comment
    _save(record, user, step.replace("_", " "))
    return record


def _require_citations_published(
    record: ReviewedRecord, citations: Iterable[ReviewedRecord] | None = None
) -> None:
    """A published record must not cite or rest on an unpublished one. ``citations``: what it
    is about to cite, where that is not yet saved."""
    dependencies: list[ReviewedRecord] = []
    if isinstance(record, Arrangement | Event):
        if citations is None:
            citations = [record.source, *record.additional_sources.all()]
        dependencies += citations
    if isinstance(record, Arrangement):
        dependencies.append(record.provider)
    if isinstance(record, Event):
        dependencies += [d for d in (record.provider, record.counterparty) if d is not None]
        if record.arrangement is not None:
            dependencies.append(record.arrangement)
    unpublished = [d for d in dependencies if d.state != ReviewState.PUBLISHED]
    if unpublished:
        names = "; ".join(f"{KIND_OF_MODEL[type(d)]} “{d}”" for d in unpublished)
        raise ReviewRuleBroken(f"Publish these first: {names}.")


def _save(record: ReviewedRecord, user: Any, reason: str) -> None:
    """Validate and save, telling the history who made the change and why. Text is stored
    without bidirectional controls (``untrusted_text``), however it was entered."""
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        if isinstance(value, str) and isinstance(field, CharField | TextField):
            setattr(record, field.attname, without_bidi_controls(value))
    record.full_clean()
    record._history_user = _person(user)  # type: ignore[attr-defined]
    record._change_reason = reason  # type: ignore[attr-defined]
    record.save()


def _at_least_one(sources: Iterable[Source]) -> list[Source]:
    listed = list(dict.fromkeys(sources))
    if not listed:
        raise SourceRequired("Every arrangement and event must cite at least one source.")
    return listed


def _require_branch_covers(branch_id: int, authority: Any) -> None:
    from mutualwatch.branches.models import Branch

    if (
        authority is not None
        and not Branch.objects.filter(pk=branch_id, authorities=authority).exists()
    ):
        raise NotAllowed(f"This branch does not cover {authority}.")


def _person(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None


@dataclass
class NetworkImportSummary:
    """What importing a network membership file did, spell by spell."""

    added: int = 0
    unchanged: int = 0
    updated: int = 0
    sources_added: int = 0


def import_network_file(path: Path, today: datetime.date) -> NetworkImportSummary:
    """Record the network memberships of a file (docs/network-membership.md): all or none.

    A spell is matched by member name, type and start, and saved only if the file says
    something different, so importing a file again changes nothing. Each source URL is one
    published web-page source, cited as it stands if the register already holds that URL.
    Raises ``NetworkFileInvalid`` listing every error if the file breaks a rule.
    """
    codes = dict(Authority.objects.values_list("gss_code", "pk"))
    rows = read_network_file(path, codes)
    reason = f"imported from {path.name}"
    summary = NetworkImportSummary()
    with transaction.atomic():
        sources = _cited_pages(rows, today, reason, summary)
        existing = {
            (m.member_name, m.member_type, m.joined_on): m for m in NetworkMembership.objects.all()
        }
        for row in rows:
            values = {
                "tier": row.tier,
                "authority_id": codes[row.gss_code] if row.gss_code else None,
                "joined_precision": row.joined_precision,
                "joined_basis": row.joined_basis,
                "left_on": row.left_on,
                "left_precision": row.left_precision if row.left_on else DatePrecision.DAY,
                "source_id": sources[row.source.url],
                "notes": row.notes,
            }
            membership = existing.get(row.key)
            if membership is None:
                membership = NetworkMembership(
                    member_name=row.member_name,
                    member_type=row.member_type,
                    joined_on=row.joined_on,
                    **values,
                )
                summary.added += 1
            elif any(getattr(membership, k) != v for k, v in values.items()):
                for attribute, value in values.items():
                    setattr(membership, attribute, value)
                summary.updated += 1
            else:
                summary.unchanged += 1
                continue
            membership._change_reason = reason  # type: ignore[attr-defined]
            membership.save()
    return summary


def _cited_pages(
    rows: list[MemberRow], today: datetime.date, reason: str, summary: NetworkImportSummary
) -> dict[str, int]:
    """The source of each URL the rows cite: the register's published source with that URL,
    or a new published one (a page's visitors must be able to follow every citation)."""
    urls = {row.source.url: row.source for row in rows}
    found: dict[str, int] = {}
    published = Source.objects.filter(url__in=urls, state=ReviewState.PUBLISHED)
    for url, pk in published.order_by("-pk").values_list("url", "pk"):
        found[url] = pk  # the oldest source with the URL wins
    for url, page in urls.items():
        if url in found:
            continue
        source = Source(
            url=url,
            title=page.title,
            publisher=page.publisher,
            published_on=page.published_on,
            kind=SourceKind.WEB_PAGE,
            state=ReviewState.PUBLISHED,
            accessed_on=today,
        )
        source._change_reason = reason  # type: ignore[attr-defined]
        source.save()
        found[url] = source.pk
        summary.sources_added += 1
    return found
