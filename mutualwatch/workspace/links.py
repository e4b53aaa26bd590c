"""Researchers' queues fed by the registers: supplier links to judge, and register events
suggested for linked providers. Thin views over ``matching.judgements`` and
``matching.suggestions``."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from mutualwatch.matching.judgements import JudgementRefused, judge
from mutualwatch.matching.models import (
    CandidateBody,
    CandidateReason,
    CandidateStatus,
    Decision,
    EventSuggestion,
    Link,
    RegisterName,
    SuggestionStatus,
)
from mutualwatch.matching.suggestions import SuggestionRefused, accept, dismiss
from mutualwatch.register.exceptions import RegisterError
from mutualwatch.workspace.views import _render, reviewer_page

LISTED = 200


def bars(weights: dict[str, float]) -> list[dict[str, Any]]:
    """Each field's match weight as a bar: right of the axis for, left against (SVG units).
    Fields in alphabetical order, as every candidate shows them (PostgreSQL's JSON keeps no
    order of its own)."""
    scale = 8.0
    rows = []
    for label, weight in sorted(weights.items()):
        width = min(abs(weight) * scale, 120.0)
        rows.append(
            {
                "label": label,
                "weight": weight,
                "x": 130.0 if weight >= 0 else 130.0 - width,
                "width": max(width, 1.0),
                "against": weight < 0,
            }
        )
    return rows


@reviewer_page
def link_queue(request: HttpRequest) -> HttpResponse:
    waiting = Link.objects.filter(decision=Decision.NEEDS_REVIEW).order_by(
        "-mentions", "published_name"
    )
    return _render(
        request,
        "workspace/links.html",
        {"links": waiting[:LISTED], "count": waiting.count()},
    )


@reviewer_page
def link_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    link = get_object_or_404(Link, pk=pk)
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        register, _, number = request.POST.get("candidate", "").partition(":")
        if choice == "other":
            register = request.POST.get("register", "")
            number = request.POST.get("number", "")
        decision = Decision.REJECTED if choice == "reject" else Decision.CONFIRMED
        try:
            judge(
                request.user, link, decision, register=register, number=number,
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except JudgementRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{link.published_name}: {link.get_decision_display()}.")
            return redirect("workspace:links")
    candidates = [dict(c, bars=bars(c.get("weights") or {})) for c in link.candidates]
    return _render(
        request,
        "workspace/link.html",
        {"link": link, "candidates": candidates, "registers": RegisterName.choices},
    )


@reviewer_page
def suggestion_queue(request: HttpRequest) -> HttpResponse:
    pending = EventSuggestion.objects.filter(status=SuggestionStatus.PENDING).select_related(
        "provider", "counterparty"
    )
    return _render(
        request,
        "workspace/suggestions.html",
        {"suggestions": pending[:LISTED], "count": pending.count()},
    )


@reviewer_page
def suggestion_decision(request: HttpRequest, pk: int) -> HttpResponseBase:
    if request.method != "POST":
        raise Http404("Decide a suggestion from the list.")
    suggestion = get_object_or_404(EventSuggestion, pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            accept(request.user, suggestion)
            messages.success(request, f"Recorded as a draft event: {suggestion}.")
        else:
            dismiss(request.user, suggestion)
            messages.success(request, f"Dismissed: {suggestion}.")
    except (SuggestionRefused, RegisterError) as error:
        messages.error(request, str(error))
    return redirect("workspace:register-suggestions")


# The legal form a candidate is most likely recorded under, from why it is a candidate.
LEGAL_FORM_OF = {
    CandidateReason.CIC: "cic",
    CandidateReason.SOCIETY: "cooperative",
    CandidateReason.CO_OPERATIVE: "cooperative",
    CandidateReason.COUNCIL_CONTROLLED: "trading-company",
}


def start_arrangement_url(candidate: CandidateBody) -> str:
    """The arrangement form, filled in with what the candidate says: the council, a new
    provider of the candidate's name and likely legal form, a spin-out."""
    query = urlencode(
        {
            "authority": candidate.authority_id,
            "new_provider_name": candidate.name,
            "new_provider_legal_form": LEGAL_FORM_OF[CandidateReason(candidate.reason)],
            "origin": "spin-out",
        }
    )
    return f"{reverse('workspace:add-arrangement')}?{query}"


@reviewer_page
def candidate_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        candidate = get_object_or_404(CandidateBody, pk=request.POST.get("candidate", 0))
        candidate.status = CandidateStatus.DISMISSED
        candidate.save(update_fields=["status"])
        messages.success(request, f"{candidate.name}: not a spin-out or outsourcing.")
        return redirect("workspace:candidates")
    open_ = CandidateBody.objects.filter(status=CandidateStatus.OPEN).select_related("authority")
    rows = [{"candidate": c, "start": start_arrangement_url(c)} for c in open_[:LISTED]]
    return _render(request, "workspace/candidates.html", {"rows": rows, "count": open_.count()})
