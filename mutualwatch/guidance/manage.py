"""Researchers' pages for the library: add a document, a version, tags; move it through
review; add and edit positions. Each asks the permission table, through the services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mutualwatch.branches.permissions import Action, Kind, can, can_add, visible_filter
from mutualwatch.guidance import queries, services
from mutualwatch.guidance.forms import DocumentForm, PositionForm, TagForm, VersionForm
from mutualwatch.guidance.models import Position
from mutualwatch.register.exceptions import RegisterError
from mutualwatch.register.models import Source
from mutualwatch.register.services import TRANSITIONS


def _sources(user: Any) -> Any:
    return Source.objects.filter(visible_filter(user, Kind.SOURCE)).order_by("title")


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    if not can_add(request.user, Kind.GUIDANCE):
        raise PermissionDenied("Only national researchers and administrators edit the library.")
    shown = queries.visible_documents(request.user).order_by("title")
    return render(request, "guidance/manage/documents.html", {"documents": shown})


@login_required
def add_document(request: HttpRequest) -> HttpResponse:
    if not can_add(request.user, Kind.GUIDANCE):
        raise PermissionDenied("You may not add a guidance document.")
    form = DocumentForm(request.POST or None, sources=_sources(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_document(request.user, **form.cleaned_data)
        except RegisterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added “{added}” as a draft.")
            return redirect("guidance-manage:document", pk=added.pk)
    return render(request, "guidance/manage/add.html", {"form": form})


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document's versions, tags and review; a POST names what it does (``do``)."""
    shown = get_object_or_404(queries.visible_documents(request.user), pk=pk)
    if not can(request.user, Action.EDIT, Kind.GUIDANCE, shown):
        raise PermissionDenied("You may not edit this document.")
    version_form = VersionForm(sources=_sources(request.user))
    tag_form = TagForm(
        initial={
            "topics": shown.topics.all(),
            "stages": shown.stages,
            "service_areas": shown.service_areas.all(),
        }
    )
    if request.method == "POST":
        step = request.POST.get("do", "")
        try:
            if step == "version":
                version_form = VersionForm(request.POST, sources=_sources(request.user))
                if version_form.is_valid():
                    services.add_version(request.user, shown, **version_form.cleaned_data)
                    messages.success(request, "Version added.")
                    return redirect("guidance-manage:document", pk=pk)
            elif step == "tag":
                tag_form = TagForm(request.POST)
                if tag_form.is_valid():
                    services.tag(request.user, shown, **tag_form.cleaned_data)
                    messages.success(request, "Tags saved.")
                    return redirect("guidance-manage:document", pk=pk)
            elif step in TRANSITIONS:
                services.move_document_through_review(
                    request.user, shown, step, request.POST.get("comment", "")
                )
                messages.success(request, f"Now {shown.get_state_display().lower()}.")
                return redirect("guidance-manage:document", pk=pk)
        except RegisterError as error:
            messages.error(request, str(error))
    steps = [
        (step, step.replace("_", " ").capitalize())
        for step, (allowed_from, _to, action) in TRANSITIONS.items()
        if shown.state in allowed_from and can(request.user, action, Kind.GUIDANCE, shown)
    ]
    return render(
        request,
        "guidance/manage/document.html",
        {
            "document": shown,
            "versions": shown.versions.select_related("source"),
            "version_form": version_form,
            "tag_form": tag_form,
            "steps": steps,
        },
    )


@login_required
def positions(request: HttpRequest) -> HttpResponse:
    if not can_add(request.user, Kind.POSITION):
        raise PermissionDenied("Only national researchers and administrators edit positions.")
    shown = Position.objects.select_related("actor", "version__document")
    return render(request, "guidance/manage/positions.html", {"positions": shown})


@login_required
def position(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a position, or edit one (its actor and question stay)."""
    existing = get_object_or_404(Position, pk=pk) if pk is not None else None
    allowed = (
        can(request.user, Action.EDIT, Kind.POSITION, existing)
        if existing
        else can_add(request.user, Kind.POSITION)
    )
    if not allowed:
        raise PermissionDenied("You may not change positions.")
    initial = {}
    if existing is not None:
        initial = {
            field: getattr(existing, field)
            for field in ["actor", "question", "summary", "quote", "version", "right_of_reply"]
        } | {"reply_requested_on": existing.reply_requested_on}
    form = PositionForm(request.POST or None, initial=initial)
    if existing is not None:
        form.fields["actor"].disabled = True
        form.fields["question"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if existing is None:
                services.add_position(request.user, **data)
            else:
                del data["actor"], data["question"]
                services.edit_position(request.user, existing, **data)
        except RegisterError as error:
            form.add_error("quote" if "quote" in str(error) else None, str(error))
        else:
            messages.success(request, "Position saved.")
            return redirect(reverse("guidance-manage:positions"))
    return render(request, "guidance/manage/position.html", {"form": form, "position": existing})
