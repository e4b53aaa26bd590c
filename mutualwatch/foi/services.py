"""Every write to an FOI request goes through these named actions.

Each asks the permission table (``Kind.FOI_REQUEST``, whose rows are a case's: a request is as
private as its case), checks the step fits where the request is, records who did it in the
history, and raises an ``FoiError`` subclass when refused. Deadlines are computed by
``deadlines`` and stored when the date they follow is recorded.
"""

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from mutualwatch.branches.permissions import Action, Kind, can, can_add
from mutualwatch.campaigns import queries as campaigns
from mutualwatch.campaigns.models import Case
from mutualwatch.dates import day
from mutualwatch.foi import deadlines, wording
from mutualwatch.foi.exceptions import NotAllowed, OutOfOrder, ResponseRequired
from mutualwatch.foi.models import FoiRequest, ResponseKind, Template
from mutualwatch.register import services as register
from mutualwatch.register.exceptions import NotAllowed as SourceNotAllowed
from mutualwatch.register.models import Source, SourceKind
from mutualwatch.untrusted_text import without_bidi_controls


def may_draft(user: Any, case: Case) -> bool:
    """A request is drafted by someone who may add one for the case's branch and edit the
    case itself (its branch's officers)."""
    return can_add(user, Kind.FOI_REQUEST, case.branch_id) and campaigns.may_edit(user, case)


def may_change(user: Any, request: FoiRequest) -> bool:
    return can(user, Action.EDIT, Kind.FOI_REQUEST, request)


def template_case(case: Case) -> wording.Case:
    return wording.Case(
        authority=case.authority.name,
        service=case.service_area.name.lower(),
        nation=case.authority.nation,
        title=case.title,
    )


def draft_text(case: Case, template: Template) -> tuple[str, str]:
    """The template's subject and body filled in from the case."""
    filled = template_case(case)
    return wording.subject(template, filled), wording.body(template, filled)


def draft_request(
    user: Any,
    case: Case,
    template: Template | str,
    *,
    subject: str | None = None,
    body: str | None = None,
) -> FoiRequest:
    """A draft request to the case's council from ``template``; ``subject`` and ``body``, if
    given, are the officer's edits of the template's text."""
    if not may_draft(user, case):
        raise NotAllowed(f"You may not draft an FOI request for the case “{case.title}”.")
    template = Template(template)
    drafted_subject, drafted_body = draft_text(case, template)
    request = FoiRequest(
        case=case,
        template=template,
        authority=case.authority,
        subject=subject if subject is not None else drafted_subject,
        body=body if body is not None else drafted_body,
        created_by=_person(user),
    )
    _save(request, user, "drafted")
    return request


def edit_draft(user: Any, request: FoiRequest, *, subject: str, body: str) -> FoiRequest:
    """Change the wording of a request not yet sent; once sent it is a record of what was."""
    _require_change(user, request)
    if request.sent_on is not None:
        raise OutOfOrder(
            f"The FOI request “{request}” was sent on {day(request.sent_on)}: "
            "its wording is a record of what was asked and cannot change."
        )
    request.subject, request.body = subject, body
    _save(request, user, "edited")
    return request


def mark_sent(user: Any, request: FoiRequest, sent_on: datetime.date) -> FoiRequest:
    """Record the day the request was sent, and store the day the response is due."""
    _require_change(user, request)
    if request.responded_on is not None:
        raise OutOfOrder(f"The FOI request “{request}” has already been answered.")
    _require_not_future(sent_on, "sent")
    request.sent_on = sent_on
    request.due_on = deadlines.response_due(sent_on, request.authority.nation)
    _save(request, user, "sent")
    return request


@transaction.atomic
def record_response(
    user: Any,
    request: FoiRequest,
    *,
    responded_on: datetime.date,
    response_kind: ResponseKind | str,
    source: Source | None = None,
    url: str = "",
    stored_copy: UploadedFile | None = None,
) -> FoiRequest:
    """Record the authority's answer, kept as a register Source of kind "FOI response" (an
    existing one, or a new one from ``url`` or an uploaded copy) for the case's branch."""
    _require_change(user, request)
    if request.sent_on is None:
        raise OutOfOrder(f"The FOI request “{request}” has not been sent: mark it sent first.")
    if responded_on < request.sent_on:
        raise OutOfOrder(
            f"The response date {day(responded_on)} is before the request was sent "
            f"({day(request.sent_on)})."
        )
    _require_not_future(responded_on, "response")
    kind = ResponseKind(response_kind)
    # The source first: if it is refused, the request is left as it was.
    request.response_source = (
        _cited(user, source)
        if source
        else _response_source(user, request, responded_on, url, stored_copy, "Response")
    )
    request.responded_on, request.response_kind = responded_on, kind
    _save(request, user, "response recorded")
    return request


def request_review(user: Any, request: FoiRequest, requested_on: datetime.date) -> FoiRequest:
    """Record that the branch asked for an internal review, and store when it is due."""
    _require_change(user, request)
    if request.responded_on is None:
        raise OutOfOrder(
            f"The FOI request “{request}” has no response yet: a review is of a response "
            "(if it is overdue, complain to the Information Commissioner instead)."
        )
    if requested_on < request.responded_on:
        raise OutOfOrder(
            f"The review date {day(requested_on)} is before the response "
            f"({day(request.responded_on)})."
        )
    _require_not_future(requested_on, "review request")
    request.review_requested_on = requested_on
    request.review_due_on = deadlines.review_due(requested_on, request.authority.nation)
    _save(request, user, "review requested")
    return request


@transaction.atomic
def record_review_response(
    user: Any,
    request: FoiRequest,
    *,
    responded_on: datetime.date,
    source: Source | None = None,
    url: str = "",
    stored_copy: UploadedFile | None = None,
) -> FoiRequest:
    """Record the authority's answer to the internal review, kept as a Source."""
    _require_change(user, request)
    if request.review_requested_on is None:
        raise OutOfOrder(f"No internal review of “{request}” has been asked for.")
    if responded_on < request.review_requested_on:
        raise OutOfOrder(
            f"The review answer date {day(responded_on)} is before the review was asked "
            f"for ({day(request.review_requested_on)})."
        )
    _require_not_future(responded_on, "review answer")
    request.review_source = (
        _cited(user, source)
        if source
        else _response_source(
            user, request, responded_on, url, stored_copy, "Internal review answer"
        )
    )
    request.review_responded_on = responded_on
    _save(request, user, "review answer recorded")
    return request


def _cited(user: Any, source: Source) -> Source:
    if not can(user, Action.VIEW, Kind.SOURCE, source):
        raise NotAllowed("You may not cite a source you cannot see.")
    return source


def _response_source(
    user: Any,
    request: FoiRequest,
    responded_on: datetime.date,
    url: str,
    stored_copy: UploadedFile | None,
    what: str,
) -> Source:
    if not url and stored_copy is None:
        raise ResponseRequired(
            f"Give the response to “{request}” as a link or a file, so it can be cited."
        )
    try:
        return register.add_source(
            user,
            branch_id=request.case.branch_id,
            stored_copy=stored_copy,
            # Sources are read by national reviewers: the title names the document, not the
            # branch's case it was asked for.
            title=(
                f"{what} from {request.authority.name} to a Freedom of Information request "
                f"({request.get_template_display().lower()}, {responded_on:%Y-%m-%d})"
            )[:500],
            publisher=request.authority.name,
            url=url,
            kind=SourceKind.FOI_RESPONSE,
            published_on=responded_on,
            accessed_on=timezone.localdate(),
        )
    except SourceNotAllowed as refused:
        raise NotAllowed(str(refused)) from refused


def _require_change(user: Any, request: FoiRequest) -> None:
    if not may_change(user, request):
        raise NotAllowed(f"You may not change the FOI request “{request}”.")


def _require_not_future(when: datetime.date, what: str) -> None:
    if when > timezone.localdate():
        raise OutOfOrder(f"The {what} date {day(when)} is in the future.")


def _save(request: FoiRequest, user: Any, reason: str) -> None:
    request.subject = without_bidi_controls(request.subject)
    request.body = without_bidi_controls(request.body)
    request.full_clean()
    request._history_user = _person(user)  # type: ignore[attr-defined]
    request._change_reason = reason  # type: ignore[attr-defined]
    request.save()


def _person(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None
