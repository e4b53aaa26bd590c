"""The branch network's space in the workspace. Each view parses its input, calls one query or
service, renders.

Visitors are sent to log in. A logged-in person whose branches are not in the network sees how
a branch joins, and no records. A record the person may not see is 404; one they may see but
not change is 403.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import (
    Action,
    Kind,
    branches_allowed_to_add,
    can,
)
from mutualwatch.network import queries, services
from mutualwatch.network.charts import COLOUR_NAMES, COLOURS, dashboard_svg
from mutualwatch.network.exceptions import NotAllowed, RecordRefused
from mutualwatch.network.forms import MeetingForm, PracticeNoteForm, attach_errors
from mutualwatch.network.models import Meeting, PracticeNote

#: Where a shared case is read (the campaigns app's case page).
CASE_PATH = "/workspace/campaigns/{pk}/"


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"network/{template}", context)


def _outside(request: HttpRequest) -> HttpResponse:
    """How a branch joins, for a person none of whose branches is in the network."""
    return _render(request, "outside.html", {"own_branches": queries.own_branches(request.user)})


def _allowed_branches(user: Any, kind: Kind) -> list[Branch]:
    _, branch_ids = branches_allowed_to_add(user, kind)
    return list(Branch.objects.filter(pk__in=branch_ids).order_by("name"))


@never_cache
@login_required
def space(request: HttpRequest) -> HttpResponse:
    mine = queries.network_branches_of(request.user)
    if not mine:
        return _outside(request)
    board = queries.dashboard(request.user)
    cases = [(case, CASE_PATH.format(pk=case.pk)) for case in queries.shared_cases(request.user)]
    return _render(
        request,
        "space.html",
        {
            "mine": mine,
            "members": queries.network_branch_list(),
            "upcoming": queries.upcoming_meetings(request.user)[:5],
            "recent": queries.recent_meetings(request.user)[:5],
            "notes": queries.visible_notes(request.user)[:5],
            "cases": cases,
            "dashboard": board,
            "totals": list(board.totals().values()),
            "chart": dashboard_svg(board),
            "colours": [(COLOUR_NAMES[colour], measure) for measure, colour in COLOURS.items()],
            "pipeline_stages": [stage.label for stage in queries.PIPELINE_STAGES],
            "may_add_meeting": bool(_allowed_branches(request.user, Kind.MEETING)),
            "may_add_note": bool(_allowed_branches(request.user, Kind.PRACTICE_NOTE)),
        },
    )


@never_cache
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    if not queries.network_branches_of(request.user):
        return _outside(request)
    today = timezone.localdate()
    return _render(
        request,
        "meeting_list.html",
        {
            "upcoming": queries.upcoming_meetings(request.user, today),
            "recent": queries.recent_meetings(request.user, today),
            "may_add": bool(_allowed_branches(request.user, Kind.MEETING)),
        },
    )


def _visible(
    request: HttpRequest, model: type[Meeting] | type[PracticeNote], kind: Kind, pk: int
) -> Any:
    record = get_object_or_404(model.objects.select_related("branch"), pk=pk)
    if not can(request.user, Action.VIEW, kind, record):
        raise Http404("No such record.")
    return record


@never_cache
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible(request, Meeting, Kind.MEETING, pk)
    return _render(
        request,
        "meeting_detail.html",
        {
            "meeting": meeting,
            "attending": meeting.attending.order_by("name"),
            "may_edit": can(request.user, Action.EDIT, Kind.MEETING, meeting),
        },
    )


def _meeting_fields(form: MeetingForm) -> dict[str, Any]:
    data = form.cleaned_data
    names = ("title", "held_on", "agenda", "notes", "attending")
    return {name: data[name] for name in names}


@never_cache
@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    conveners = _allowed_branches(request.user, Kind.MEETING)
    if not conveners:
        raise PermissionDenied("Only officers of branches in the network record its meetings.")
    form = MeetingForm(request.POST or None, conveners=conveners)
    if request.method == "POST" and form.is_valid():
        return _saved(
            request,
            form,
            lambda: services.schedule_meeting(
                request.user, form.cleaned_data["branch"], **_meeting_fields(form)
            ),
            "The meeting was recorded.",
        )
    return _render(request, "meeting_form.html", {"form": form, "meeting": None})


@never_cache
@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible(request, Meeting, Kind.MEETING, pk)
    if not can(request.user, Action.EDIT, Kind.MEETING, meeting):
        raise PermissionDenied(f"Only officers of {meeting.branch.name} change this meeting.")
    initial = {
        "title": meeting.title,
        "held_on": meeting.held_on,
        "agenda": meeting.agenda,
        "notes": meeting.notes,
        "attending": list(meeting.attending.all()),
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _saved(
            request,
            form,
            lambda: services.edit_meeting(request.user, meeting, **_meeting_fields(form)),
            "The meeting was changed.",
            meeting,
        )
    return _render(request, "meeting_form.html", {"form": form, "meeting": meeting})


def _saved(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    done: str,
    record: Meeting | PracticeNote | None = None,
) -> HttpResponse:
    """Save through the service; a refusal goes back to the form, beside its field."""
    try:
        record = save()
    except NotAllowed as refusal:
        raise PermissionDenied(str(refusal)) from None
    except RecordRefused as refusal:
        attach_errors(form, refusal.problems)
        if isinstance(form, MeetingForm):
            return _render(request, "meeting_form.html", {"form": form, "meeting": record})
        return _render(request, "note_form.html", {"form": form, "note": record})
    messages.success(request, done)
    kind = "meeting" if isinstance(record, Meeting) else "note"
    return redirect(f"network:{kind}", pk=record.pk)


@never_cache
@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    if not queries.network_branches_of(request.user):
        return _outside(request)
    return _render(
        request,
        "note_list.html",
        {
            "notes": queries.visible_notes(request.user),
            "may_add": bool(_allowed_branches(request.user, Kind.PRACTICE_NOTE)),
        },
    )


@never_cache
@login_required
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = _visible(request, PracticeNote, Kind.PRACTICE_NOTE, pk)
    return _render(
        request,
        "note_detail.html",
        {"note": note, "may_edit": can(request.user, Action.EDIT, Kind.PRACTICE_NOTE, note)},
    )


def _note_fields(form: PracticeNoteForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in ("title", "body", "service_area")}


@never_cache
@login_required
def note_new(request: HttpRequest) -> HttpResponse:
    authors = _allowed_branches(request.user, Kind.PRACTICE_NOTE)
    if not authors:
        raise PermissionDenied("Only officers of branches in the network share practice notes.")
    form = PracticeNoteForm(request.POST or None, authors=authors)
    if request.method == "POST" and form.is_valid():
        return _saved(
            request,
            form,
            lambda: services.add_practice_note(
                request.user, form.cleaned_data["branch"], **_note_fields(form)
            ),
            "The practice note was shared with the network.",
        )
    return _render(request, "note_form.html", {"form": form, "note": None})


@never_cache
@login_required
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _visible(request, PracticeNote, Kind.PRACTICE_NOTE, pk)
    if not can(request.user, Action.EDIT, Kind.PRACTICE_NOTE, note):
        raise PermissionDenied(f"Only officers of {note.branch.name} change this note.")
    initial = {"title": note.title, "body": note.body, "service_area": note.service_area}
    form = PracticeNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _saved(
            request,
            form,
            lambda: services.edit_practice_note(request.user, note, **_note_fields(form)),
            "The practice note was changed.",
            note,
        )
    return _render(request, "note_form.html", {"form": form, "note": note})
