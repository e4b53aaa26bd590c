"""Every write to the guidance library goes through these named actions.

Each asks the permission table (``mutualwatch.branches.permissions``, kinds ``GUIDANCE`` and
``POSITION``), records who did it in the history, and raises a ``RegisterError`` subclass
(``NotAllowed``, ``ReviewRuleBroken``, or one of ``guidance.exceptions``) when refused.

A version is never changed once added: a change is a new version, numbered after the last,
whose text must differ from the latest. A position's quote must occur word for word
(whitespace aside) in the text of the version it cites: that is how every position on the
positions page is quoted from a source in the library.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model

from mutualwatch.branches.permissions import Action, Kind, can, can_add
from mutualwatch.guidance.diff import normalised, quoted_in
from mutualwatch.guidance.exceptions import DocumentFileError, QuoteNotFound, VersionUnchanged
from mutualwatch.guidance.models import (
    Actor,
    Document,
    DocumentKind,
    DocumentVersion,
    Position,
    Question,
    Topic,
)
from mutualwatch.register.exceptions import NotAllowed, ReviewRuleBroken
from mutualwatch.register.models import ReviewState, ServiceArea, Source, SourceKind
from mutualwatch.register.services import PAST_TENSE, TRANSITIONS
from mutualwatch.untrusted_text import without_bidi_controls


def _person(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None


def _save(record: Model, user: Any, reason: str) -> None:
    """Validate and save, telling the history (where the model keeps one) who and why."""
    record.full_clean()
    record._history_user = _person(user)  # type: ignore[attr-defined]
    record._change_reason = reason  # type: ignore[attr-defined]
    record.save()


def _require_source_published(document: Document, source: Source) -> None:
    if document.state == ReviewState.PUBLISHED and source.state != ReviewState.PUBLISHED:
        raise ReviewRuleBroken(
            f"“{document}” is published: a new version must cite a published source, and "
            f"“{source}” is {source.state}."
        )


@transaction.atomic
def add_document(
    user: Any,
    *,
    title: str,
    kind: str,
    text: str,
    dated: datetime.date,
    source: Source,
    author: str = "",
    topics: Iterable[Topic] = (),
    stages: Iterable[str] = (),
    service_areas: Iterable[ServiceArea] = (),
    change_note: str = "",
) -> Document:
    """Add a document, as a draft, with its first version."""
    if not can_add(user, Kind.GUIDANCE):
        raise NotAllowed("You may not add a guidance document.")
    document = Document(
        title=without_bidi_controls(title),
        kind=kind,
        author=without_bidi_controls(author),
        stages=sorted(set(stages)),
        created_by=_person(user),
    )
    _save(document, user, "added")
    document.topics.set(topics)
    document.service_areas.set(service_areas)
    _new_version(user, document, text, dated, source, change_note or "First version.")
    return document


def _new_version(
    user: Any, document: Document, text: str, dated: datetime.date, source: Source, note: str
) -> DocumentVersion:
    last = document.versions.order_by("-number").first()
    text = without_bidi_controls(text).strip()
    if last is not None and text == last.text:
        raise VersionUnchanged(
            f"The text is that of version {last.number} of “{document}”: nothing to add."
        )
    version = DocumentVersion(
        document=document,
        number=(last.number if last else 0) + 1,
        dated=dated,
        text=text,
        change_note=without_bidi_controls(note),
        source=source,
        created_by=_person(user),
    )
    version.full_clean()
    version.save()
    if version.number > 1:
        # The document's history records each version added (and the cached public pages,
        # the search among them, are versioned by the histories).
        _save(document, user, f"version {version.number} added")
    return version


@transaction.atomic
def add_version(
    user: Any,
    document: Document,
    *,
    text: str,
    dated: datetime.date,
    source: Source,
    change_note: str = "",
) -> DocumentVersion:
    """Add a new version of a document; every earlier version is kept as it was. A published
    document's new version is public at once, so it must cite a published source."""
    if not can(user, Action.EDIT, Kind.GUIDANCE, document):
        raise NotAllowed(f"You may not add a version of “{document}”.")
    _require_source_published(document, source)
    return _new_version(user, document, text, dated, source, change_note)


@transaction.atomic
def tag(
    user: Any,
    document: Document,
    *,
    topics: Iterable[Topic] | None = None,
    stages: Iterable[str] | None = None,
    service_areas: Iterable[ServiceArea] | None = None,
) -> Document:
    """Set what a document is about: its topics, the campaign stages and the services it
    helps with (none of either: any). Only what is given changes."""
    if not can(user, Action.EDIT, Kind.GUIDANCE, document):
        raise NotAllowed(f"You may not tag “{document}”.")
    if stages is not None:
        document.stages = sorted(set(stages))
        _save(document, user, "tagged")
    if topics is not None:
        document.topics.set(topics)
    if service_areas is not None:
        document.service_areas.set(service_areas)
    return document


def topic_named(name: str) -> Topic:
    """The topic of this name, added if new (its code made from the name)."""
    from django.utils.text import slugify

    code = slugify(name)[:60]
    if not code:
        raise DocumentFileError(f"A topic needs a name with letters or digits, not {name!r}.")
    topic, _ = Topic.objects.get_or_create(code=code, defaults={"name": name.strip()})
    return topic


@transaction.atomic
def move_document_through_review(
    user: Any, document: Document, step: str, comment: str = ""
) -> Document:
    """Submit, verify, send back or publish a document, as the review rules allow: the
    register's steps (``register.services.TRANSITIONS``), asked of the permission table for
    guidance documents, so nobody verifies a document they added. A document is published
    only with every version's source published: each version's source is linked from it."""
    allowed_from, to_state, action = TRANSITIONS[step]
    kind = Kind.GUIDANCE
    if not can(user, action, kind, document):
        raise NotAllowed(f"You may not {step.replace('_', ' ')} this {kind}.")
    if document.state not in allowed_from:
        raise ReviewRuleBroken(
            f"A {document.state} {kind} cannot be {PAST_TENSE[step]}; "
            f"it must be {' or '.join(sorted(allowed_from))}."
        )
    if step == "publish":
        unpublished = sorted(
            {
                f"source “{version.source}”"
                for version in document.versions.select_related("source")
                if version.source.state != ReviewState.PUBLISHED
            }
        )
        if unpublished:
            raise ReviewRuleBroken(f"Publish these first: {'; '.join(unpublished)}.")
    document.state = to_state
    if comment or step == "send_back":
        document.review_comment = without_bidi_controls(comment)
    _save(document, user, step.replace("_", " "))
    return document


def _check_quote(quote: str, version: DocumentVersion) -> str:
    quote = without_bidi_controls(quote).strip()
    if not quoted_in(quote, version.text):
        raise QuoteNotFound(
            f"The quote “{normalised(quote)[:120]}” does not occur word for word in "
            f"{version}: quote the text exactly as it stands there (line breaks and spacing "
            "aside)."
        )
    return quote


@transaction.atomic
def add_position(
    user: Any,
    *,
    actor: Actor,
    question: str,
    summary: str,
    quote: str,
    version: DocumentVersion,
    right_of_reply: str = "",
    reply_requested_on: datetime.date | None = None,
) -> Position:
    """Record an actor's position on one of the fixed questions, quoted from a version of a
    document in the library."""
    if not can_add(user, Kind.POSITION):
        raise NotAllowed("You may not add a position.")
    position = Position(
        actor=actor,
        question=Question(question),
        summary=without_bidi_controls(summary),
        quote=_check_quote(quote, version),
        version=version,
        right_of_reply=without_bidi_controls(right_of_reply),
        reply_requested_on=reply_requested_on,
    )
    _save(position, user, "added")
    return position


@transaction.atomic
def edit_position(user: Any, position: Position, **changes: Any) -> Position:
    """Change a position (its summary, quote, version cited, right of reply); the quote is
    checked again against the version it then cites."""
    if not can(user, Action.EDIT, Kind.POSITION, position):
        raise NotAllowed(f"You may not edit the position “{position}”.")
    allowed = {"summary", "quote", "version", "right_of_reply", "reply_requested_on"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"A position's {', '.join(sorted(unknown))} cannot be edited.")
    for field, value in changes.items():
        setattr(position, field, without_bidi_controls(value) if isinstance(value, str) else value)
    position.quote = _check_quote(position.quote, position.version)
    _save(position, user, "edited")
    return position


@transaction.atomic
def record_reply(
    user: Any, position: Position, *, requested_on: datetime.date, reply: str = ""
) -> Position:
    """Note that the actor was offered a right of reply (when) and what they said, if
    anything."""
    return edit_position(user, position, reply_requested_on=requested_on, right_of_reply=reply)


@dataclass(frozen=True)
class Loaded:
    document: Document
    #: The version added, or None when the text was already the latest version's.
    version: DocumentVersion | None
    created: bool


def read_document_file(path: Path) -> str:
    """A plain-text document's text (UTF-8)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DocumentFileError(f"{path}: no such file.") from None
    except UnicodeDecodeError as error:
        raise DocumentFileError(f"{path}: not UTF-8 text ({error.reason}).") from None
    if not text.strip():
        raise DocumentFileError(f"{path}: the file is empty.")
    return text


@transaction.atomic
def load_document(
    path: Path,
    *,
    title: str,
    kind: str,
    dated: datetime.date,
    source_url: str,
    source_title: str = "",
    source_kind: str = SourceKind.WEB_PAGE,
    author: str = "",
    topics: Iterable[str] = (),
) -> Loaded:
    """Load a plain-text file as a new document (a draft) or, if a document of this title is
    in the library, as its new version. Loading the same text again adds nothing. The source
    is the one with this address, added as a draft if new: it goes through the register's
    review before the document can be published. An operator's action (the command line),
    so no permission is asked."""
    text = read_document_file(path)
    if kind not in DocumentKind.values:
        raise DocumentFileError(
            f"{path}: kind {kind!r} is not one of {', '.join(DocumentKind.values)}."
        )
    source = Source.objects.filter(url=source_url).order_by("pk").first()
    if source is None:
        source = Source(
            title=source_title or title,
            url=source_url,
            kind=source_kind,
            published_on=dated,
        )
        _save(source, None, "added with a guidance document")
    tags = [topic_named(name) for name in topics]
    document = Document.objects.filter(title=title).order_by("pk").first()
    if document is None:
        document = Document(title=title, kind=kind, author=author)
        _save(document, None, "loaded")
        document.topics.set(tags)
        version = _new_version(None, document, text, dated, source, f"Loaded from {path.name}.")
        return Loaded(document, version, created=True)
    document.topics.add(*tags)
    latest = document.versions.order_by("-number").first()
    if latest is not None and latest.text == without_bidi_controls(text).strip():
        return Loaded(document, None, created=False)
    _require_source_published(document, source)
    version = _new_version(None, document, text, dated, source, f"Loaded from {path.name}.")
    return Loaded(document, version, created=False)
