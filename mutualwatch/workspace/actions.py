"""The workspace's writes, each composed only of the register's named actions.

A submission from a branch is several register writes that belong together (a new source, a
new provider, the arrangement or event citing them, then submitting them all for review), so
each runs in one transaction: either all of it is recorded or none.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from mutualwatch.branches.permissions import Action, can
from mutualwatch.register import services
from mutualwatch.register.models import (
    Arrangement,
    Event,
    Provider,
    ReviewedRecord,
    ReviewState,
    Source,
)
from mutualwatch.workspace.queries import cited_records


@dataclass(frozen=True)
class NewSource:
    """A source added inline with a submission: a URL, an uploaded document, or both."""

    title: str
    kind: str
    url: str = ""
    publisher: str = ""
    published_on: Any = None
    stored_copy: UploadedFile | None = None


@dataclass(frozen=True)
class NewProvider:
    name: str
    legal_form: str


def _sources(
    user: Any, branch_id: int | None, existing: Iterable[Source], new: NewSource | None
) -> list[Source]:
    """The citations, a newly added source first: it is the one the submitter brought."""
    sources = []
    if new is not None:
        sources.append(
            services.add_source(
                user,
                branch_id=branch_id,
                stored_copy=new.stored_copy,
                title=new.title,
                kind=new.kind,
                url=new.url,
                publisher=new.publisher,
                published_on=new.published_on,
            )
        )
    return sources + list(existing)


def _provider(user: Any, branch_id: int | None, new: NewProvider | None) -> Provider | None:
    if new is None:
        return None
    return services.add_provider(
        user, branch_id=branch_id, name=new.name, legal_form=new.legal_form
    )


def record_arrangement(user: Any, **details: Any) -> Arrangement:
    """Add an arrangement with its citations as a draft, and submit it all if asked."""
    return _record(services.add_arrangement, user, **details)


def record_event(user: Any, **details: Any) -> Event:
    """Add an event with its citations as a draft, and submit it all if asked."""
    return _record(services.add_event, user, **details)


def _record[Record: ReviewedRecord](
    add: Callable[..., Record],
    user: Any,
    *,
    branch_id: int | None,
    existing_sources: Iterable[Source],
    new_source: NewSource | None,
    new_provider: NewProvider | None,
    submit: bool,
    **fields: Any,
) -> Record:
    """All of it in one transaction. An uploaded copy is written to storage as its source is
    saved, and a rollback cannot take it back: if anything after fails, it is deleted here, so
    a refused submission leaves no document behind (it may hold personal data)."""
    stored: list[FieldFile] = []
    try:
        with transaction.atomic():
            sources = _sources(user, branch_id, existing_sources, new_source)
            if new_source is not None and sources[0].stored_copy:
                stored.append(sources[0].stored_copy)
            fields["provider"] = _provider(user, branch_id, new_provider) or fields.get("provider")
            record = add(user, sources=sources, branch_id=branch_id, **fields)
            if submit:
                submit_for_review(user, record)
            return record
    except BaseException:
        for copy in stored:
            if copy.name:
                copy.storage.delete(copy.name)
        raise


@transaction.atomic
def submit_for_review[Record: ReviewedRecord](user: Any, record: Record) -> Record:
    """Submit a draft, and with it every draft it cites that the person may submit.

    A source or provider added with a submission would otherwise sit unseen in draft, and the
    record could never be published.
    """
    for kind, cited in cited_records(record):
        permission_kind = services.KIND_OF_MODEL[type(cited)]
        if cited.state != ReviewState.DRAFT or not can(user, Action.EDIT, permission_kind, cited):
            continue
        if kind == "arrangement":
            submit_for_review(user, cited)
        else:
            services.move_through_review(user, cited, "submit")
    return services.move_through_review(user, record, "submit")


def take_review_step[Record: ReviewedRecord](
    user: Any, record: Record, step: str, comment: str = ""
) -> Record:
    """One step of review: submit (with its draft citations), verify, send back or publish."""
    if step == "submit":
        return submit_for_review(user, record)
    return services.move_through_review(user, record, step, comment)
