"""Workspace pages. Each parses its input, calls one workspace or register action, renders.

Visitors are sent to log in; a logged-in person without a branch or national role gets 403;
a record the person may not see is 404 (never a hint that it exists); one they may see but not
act on is 403.
"""

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mutualwatch.branches.permissions import Action, Kind, can
from mutualwatch.register import services
from mutualwatch.register.exceptions import NotAllowed, ReviewRuleBroken, SourceRequired
from mutualwatch.register.models import ReviewedRecord, ReviewState
from mutualwatch.register.services import TRANSITIONS
from mutualwatch.workspace import actions, queries
from mutualwatch.workspace.access import holds_a_role, may_review
from mutualwatch.workspace.forms import (
    REVIEW_STEPS,
    ArrangementSubmissionForm,
    EditForm,
    EventSubmissionForm,
    ReviewStepForm,
    SubmissionForm,
    attach_errors,
)

View = Callable[..., HttpResponseBase]


def workspace_page(view: View) -> View:
    """Logged in, and holding a branch or national role."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not holds_a_role(request.user):
            raise PermissionDenied("The workspace is for branch members and researchers.")
        return view(request, *args, **kwargs)

    return wrapped


def reviewer_page(view: View) -> View:
    @workspace_page
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_review(request.user):
            raise PermissionDenied("Only national researchers review submissions.")
        return view(request, *args, **kwargs)

    return wrapped


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a workspace page (its navigation comes from ``workspace.context_processors``)."""
    return render(request, template, context, status=status)


def _record(request: HttpRequest, kind: str, uid: Any) -> ReviewedRecord:
    if kind not in queries.KINDS:
        raise Http404("No such kind of record.")
    record = queries.visible_record(request.user, kind, uid)
    if record is None:
        raise Http404("No such record.")
    return record


@workspace_page
def home(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "workspace/home.html",
        {
            "desks": queries.desks_of(request.user),
            "reviewer": may_review(request.user),
            "queue_size": len(queries.review_queue(request.user))
            if may_review(request.user)
            else 0,
        },
    )


def _submission(
    request: HttpRequest,
    form_class: type[SubmissionForm],
    kind: str,
    record_with: Callable[..., Any],
) -> HttpResponse:
    form, searching = _form_for(request, partial(form_class, user=request.user))
    if request.method == "POST" and not searching and form.is_valid():
        submit = request.POST.get("intent") == "submit"
        try:
            record = record_with(
                request.user,
                branch_id=form.branch_id(),
                existing_sources=form.cleaned_data["existing_sources"],
                new_source=form.new_source(),
                new_provider=form.new_provider(),
                submit=submit,
                **form.record_values(),
            )
        except NotAllowed as refused:
            raise PermissionDenied(str(refused)) from refused
        except SourceRequired as missing:
            form.add_error("existing_sources", str(missing))
        except ValidationError as invalid:
            attach_errors(form, invalid)
        else:
            said = "submitted for review" if submit else "saved as a draft"
            messages.success(request, f"Your {kind} was {said}.")
            return redirect("workspace:record", kind=kind, uid=record.uid)
    status = 400 if form.is_bound else 200
    return _render(request, "workspace/submit.html", {"form": form, "kind": kind}, status=status)


def _form_for(request: HttpRequest, make: Callable[..., Any]) -> tuple[Any, bool]:
    """The form of a record page, its long pickers narrowed (forms.show_only), and whether the
    request is a picker's search: then the form again as filled in, neither checked nor
    saved."""
    posted = request.method == "POST"
    searching = posted and request.POST.get("intent") == "search"
    if searching:
        form = make(initial=_as_initial(request.POST))
    elif posted:
        form = make(request.POST, request.FILES)
    else:
        # A link may start a record with some fields filled in (a candidate spin-out's page
        # does): they are only initial values, checked like any others when posted.
        form = make(initial=_as_initial(request.GET) if request.GET else None)
    form.show_only(
        {name: request.POST.get(f"{name}_search", "") for name in form.searchable},
        {name: request.POST.getlist(name) for name in form.searchable},
    )
    return form, searching


def _as_initial(data: Any) -> dict[str, Any]:
    """Posted values as a form's initial ones (every value of a field chosen more than once)."""
    return {name: values if len(values) > 1 else values[0] for name, values in data.lists()}


@workspace_page
def add_arrangement(request: HttpRequest) -> HttpResponse:
    return _submission(
        request, ArrangementSubmissionForm, "arrangement", actions.record_arrangement
    )


@workspace_page
def add_event(request: HttpRequest) -> HttpResponse:
    return _submission(request, EventSubmissionForm, "event", actions.record_event)


def _steps_open_to(user: Any, kind: str, record: ReviewedRecord) -> list[tuple[str, str]]:
    """The review steps this person may take on the record in its present state."""
    permission_kind = queries.KINDS[kind][0]
    return [
        (step, label)
        for step, label in REVIEW_STEPS
        if record.state in TRANSITIONS[step][0]
        and can(user, TRANSITIONS[step][2], permission_kind, record)
    ]


def _record_context(request: HttpRequest, kind: str, record: ReviewedRecord) -> dict[str, Any]:
    permission_kind = queries.KINDS[kind][0]
    reviewer = may_review(request.user)
    return {
        "kind": kind,
        "record": record,
        "facts": queries.facts_of(record),
        "cited": [
            (name, cited, queries.KIND_NAME.get(type(cited)))
            for name, cited in queries.cited_records(record)
        ],
        "history": queries.history_for(record, request.user),
        "may_edit": can(request.user, Action.EDIT, permission_kind, record),
        "steps": _steps_open_to(request.user, kind, record),
        "reviewer": reviewer,
        "author": record.created_by.get_username() if reviewer and record.created_by else "",
        # Named only to those who may see the branch: its members and the researchers.
        "branch_name": record.branch.name
        if record.branch is not None and can(request.user, Action.VIEW, Kind.BRANCH, record.branch)
        else "",
        "sent_back": record.state == ReviewState.DRAFT and bool(record.review_comment),
    }


@workspace_page
def record_page(request: HttpRequest, kind: str, uid: Any) -> HttpResponse:
    record = _record(request, kind, uid)
    return _render(request, "workspace/record.html", _record_context(request, kind, record))


@reviewer_page
def compare(request: HttpRequest, kind: str, uid: Any) -> HttpResponse:
    record = _record(request, kind, uid)
    context = _record_context(request, kind, record)
    context["comparison"] = queries.published_alongside(record)
    return _render(request, "workspace/compare.html", context)


@workspace_page
@require_POST
def review_step(request: HttpRequest, kind: str, uid: Any) -> HttpResponse:
    """Take one review step. A refusal by the table is 403; a broken review rule is explained."""
    record = _record(request, kind, uid)
    form = ReviewStepForm(request.POST)
    back = "workspace:compare" if request.POST.get("from") == "compare" else "workspace:record"
    if not form.is_valid():
        context = _record_context(request, kind, record) | {"step_form": form}
        if back == "workspace:compare" and may_review(request.user):
            context["comparison"] = queries.published_alongside(record)
            return _render(request, "workspace/compare.html", context, status=400)
        return _render(request, "workspace/record.html", context, status=400)
    step = form.cleaned_data["step"]
    try:
        actions.take_review_step(request.user, record, step, form.cleaned_data["comment"])
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except ReviewRuleBroken as broken:
        messages.error(request, str(broken))
    else:
        messages.success(request, f"The {kind} is now {record.get_state_display().lower()}.")
    if back == "workspace:compare" and not may_review(request.user):
        back = "workspace:record"
    return redirect(back, kind=kind, uid=record.uid)


@workspace_page
def edit(request: HttpRequest, kind: str, uid: Any) -> HttpResponse:
    record = _record(request, kind, uid)
    if not can(request.user, Action.EDIT, queries.KINDS[kind][0], record):
        raise PermissionDenied(f"You may not edit this {kind}.")
    form, searching = _form_for(request, partial(EditForm, user=request.user, record=record))
    if request.method == "POST" and not searching and form.is_valid():
        try:
            _save_edit(request.user, record, form)
        except NotAllowed as refused:
            raise PermissionDenied(str(refused)) from refused
        except ValidationError as invalid:
            attach_errors(form, invalid)
        else:
            messages.success(request, f"Your changes to the {kind} were saved.")
            return redirect("workspace:record", kind=kind, uid=record.uid)
    status = 400 if form.is_bound else 200
    return _render(
        request,
        "workspace/edit.html",
        {"form": form, "kind": kind, "record": record},
        status=status,
    )


@transaction.atomic
def _save_edit(user: Any, record: ReviewedRecord, form: EditForm) -> None:
    changes, citations = form.changes(), form.citations()
    if changes or citations is None:
        services.edit(user, record, **changes)
    if citations is not None:
        services.change_citations(user, record, citations)  # type: ignore[type-var]


@reviewer_page
def review_queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    rows = queries.review_queue(request.user, state)
    htmx = bool(getattr(request, "htmx", False))
    template = "workspace/_queue_rows.html" if htmx else "workspace/queue.html"
    states = [(s.value, s.label) for s in queries.QUEUE_STATES]
    return _render(request, template, {"rows": rows, "state": state, "states": states})


@workspace_page
def stored_copy(request: HttpRequest, uid: Any) -> FileResponse:
    """The uploaded copy of a source, for whoever may see the source."""
    source = _record(request, "source", uid)
    copy = getattr(source, "stored_copy", None)
    if not copy:
        raise Http404("This source has no stored copy.")
    try:
        opened = copy.open("rb")
    except FileNotFoundError:
        raise Http404("The stored copy is missing from storage.") from None
    return FileResponse(opened, as_attachment=True, filename=copy.name.rsplit("/", 1)[-1])
