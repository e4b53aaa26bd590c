"""Workforce pages: a branch's officers collect members' terms and conditions; an administrator
reads them only through break-glass; a member answers a questionnaire through a single-use link.

Each view parses its input, calls one of ``access`` or ``services`` (which check who may do it
and log it) and renders. A visitor is sent to log in; anyone else the records are not for gets a
plain 403 page saying why. Nothing here is cached by a browser or a proxy.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from mutualwatch.branches.models import Branch
from mutualwatch.workforce import access, services
from mutualwatch.workforce.exceptions import (
    LinkRefused,
    LinkUnknown,
    NotAllowed,
    ReceiptUnknown,
    TermsRefused,
)
from mutualwatch.workforce.forms import (
    BreakGlassForm,
    EvidenceForm,
    LinkForm,
    QuestionnaireForm,
    ReceiptForm,
    TermsForm,
)
from mutualwatch.workforce.models import AccessAction, TermsRecord
from mutualwatch.workforce.wording import answers_in_words

View = Callable[..., HttpResponseBase]

#: The most access-log lines a page shows (the admin has them all).
LOG_LINES = 500


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A workforce page inside the workspace's layout (whose navigation comes from
    ``workspace.context_processors``), saying whether the person may change the branch's records."""
    if "branch" in context:
        context.setdefault("may_change", access.may_change(request.user, context["branch"].pk))
    return render(request, template, context, status=status)


def workforce_page(view: View) -> View:
    """Logged in; refused (``NotAllowed``) as a plain 403 page saying why; never cached; and,
    before anything is read, the records past their retention deleted."""

    @wraps(view)
    def refusing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        services.delete_expired()
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as refused:
            return _page(request, "workforce/refused.html", {"message": str(refused)}, 403)

    return never_cache(login_required(refusing))


def _branch(request: HttpRequest, slug: str, *, change: bool = False) -> Branch:
    branch = get_object_or_404(Branch, slug=slug)
    if change:
        access.require_change(request.user, branch.pk)
    else:
        access.require_read(request.user, branch.pk)
    return branch


def _back_to(branch: Branch) -> HttpResponse:
    return redirect("workforce:branch", slug=branch.slug)


@workforce_page
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    branches = access.officer_branches(request.user)
    administrator = access.is_administrator(request.user)
    if not branches and not administrator:
        raise NotAllowed(
            "Workforce terms are for a branch's officers; an administrator reads them only "
            "through break-glass."
        )
    return _page(
        request,
        "workforce/index.html",
        {
            "branches": branches,
            "administrator": administrator,
            "grants": access.open_grants(request.user),
        },
    )


@workforce_page
@require_safe
def branch_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The branch's records, links and evidence: what they are about and when, never what
    they say (listing opens nothing, so it is not a read)."""
    branch = _branch(request, slug)
    user = request.user
    return _page(
        request,
        "workforce/branch.html",
        {
            "branch": branch,
            "records": access.branch_records(user, branch.pk),
            "links": access.branch_links(user, branch.pk),
            "evidence": access.branch_evidence(user, branch.pk),
            "grant": access.open_grant(user, branch.pk),
            "now": timezone.now(),
        },
    )


@workforce_page
def add_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    branch = _branch(request, slug, change=True)
    form = EvidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_evidence(request.user, branch.pk, **form.cleaned_data)
        messages.success(request, "The evidence was added.")
        return _back_to(branch)
    status = 400 if form.is_bound else 200
    return _page(request, "workforce/evidence_form.html", {"branch": branch, "form": form}, status)


@workforce_page
def record_terms(request: HttpRequest, slug: str) -> HttpResponse:
    branch = _branch(request, slug, change=True)
    form = TermsForm(request.POST or None, user=request.user, branch=branch)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_observation(
                request.user,
                branch.pk,
                data["arrangement"],
                time_point=data["time_point"],
                observed_on=data["observed_on"],
                answers=form.answers(),
                evidence=data["evidence"],
            )
        except TermsRefused as refused:
            form.refuse(refused.problems)
        else:
            messages.success(request, f"The terms of {data['arrangement']} were recorded.")
            return _back_to(branch)
    status = 400 if form.is_bound else 200
    return _page(request, "workforce/terms_form.html", {"branch": branch, "form": form}, status)


@workforce_page
@require_safe
def record_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One record's answers: opening it is a read, logged (with the reason, under a grant)."""
    branch = _branch(request, slug)
    record = get_object_or_404(
        TermsRecord.objects.select_related(
            "arrangement__authority", "arrangement__service_area", "arrangement__provider"
        ),
        pk=pk,
        branch=branch,
    )
    answers = access.read_record(request.user, record)
    evidence = record.evidence
    return _page(
        request,
        "workforce/record.html",
        {
            "branch": branch,
            "record": record,
            "answers": answers_in_words(answers),
            "evidence": evidence,
            "evidence_description": access.read_evidence(request.user, evidence)
            if evidence is not None
            else "",
        },
    )


@workforce_page
def make_link(request: HttpRequest, slug: str) -> HttpResponse:
    """A single-use questionnaire link: shown whole once, here; only its fingerprint is kept."""
    branch = _branch(request, slug, change=True)
    form = LinkForm(request.POST or None, user=request.user, branch=branch)
    if request.method == "POST" and form.is_valid():
        made = services.make_link(request.user, branch.pk, form.cleaned_data["arrangement"])
        path = reverse("questionnaire", args=[made.token])
        address = f"{settings.SITE_URL}{path}" if settings.SITE_URL else None
        return _page(
            request,
            "workforce/link_made.html",
            {
                "branch": branch,
                "link": made.link,
                "address": address or request.build_absolute_uri(path),
            },
        )
    status = 400 if form.is_bound else 200
    return _page(
        request,
        "workforce/link_form.html",
        {"branch": branch, "form": form, "link_days": settings.QUESTIONNAIRE_LINK_DAYS},
        status,
    )


@workforce_page
def member_request(request: HttpRequest, slug: str) -> HttpResponse:
    """A member quotes their receipt code: a copy of their answers (JSON), or their erasure,
    after a confirming step."""
    branch = _branch(request, slug, change=True)
    form = ReceiptForm(request.POST or None)
    context: dict[str, Any] = {"branch": branch, "form": form}
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["receipt"].strip().upper()
        intent = request.POST.get("intent")
        try:
            if intent == "export":
                return _export(request.user, branch, code)
            if intent == "confirm-erase":
                services.erase_member_answers(request.user, branch.pk, code)
                messages.success(request, f"The answers with receipt code {code} were erased.")
                return _back_to(branch)
            summary = services.describe_member_answers(request.user, branch.pk, code)
            return _page(
                request, "workforce/erase_confirm.html", context | {"code": code, **summary}
            )
        except ReceiptUnknown as unknown:
            form.add_error("receipt", str(unknown))
    status = 400 if form.is_bound else 200
    return _page(request, "workforce/member_request.html", context, status)


def _export(user: Any, branch: Branch, code: str) -> HttpResponse:
    copy = services.export_member_answers(user, branch.pk, code)
    response = HttpResponse(
        orjson.dumps(copy, option=orjson.OPT_INDENT_2), content_type="application/json"
    )
    # Not named by the code: whoever sees the file's name could otherwise erase the answers.
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="member-answers-{day}.json"'
    return response


@workforce_page
@require_safe
def access_log(request: HttpRequest, slug: str) -> HttpResponse:
    branch = _branch(request, slug)
    lines = access.branch_log(request.user, branch.pk)
    return _page(
        request,
        "workforce/access_log.html",
        {
            "branch": branch,
            "lines": lines[:LOG_LINES],
            "count": lines.count(),
            "shown": LOG_LINES,
            "break_glass": AccessAction.BREAK_GLASS,
        },
    )


@workforce_page
def break_glass(request: HttpRequest) -> HttpResponse:
    """An administrator's time-limited, logged access to one branch's records, with a reason."""
    if not access.is_administrator(request.user):
        raise NotAllowed("Only an administrator may break the glass.")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        branch = form.cleaned_data["branch"]
        try:
            grant = access.break_glass(request.user, branch, form.cleaned_data["reason"])
        except NotAllowed as refused:
            form.add_error("reason", str(refused))
        else:
            until = timezone.localtime(grant.expires_at)
            messages.success(
                request,
                f"You may read {branch.name}'s workforce records until {until:%H:%M}. Each "
                "reading is logged with your reason, and its officers can see it.",
            )
            return _back_to(branch)
    status = 400 if form.is_bound else 200
    return _page(
        request,
        "workforce/break_glass.html",
        {
            "form": form,
            "grants": access.open_grants(request.user),
            "minutes": settings.WORKFORCE_BREAK_GLASS_MINUTES,
        },
        status,
    )


def _questionnaire_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The member's pages carry the link's token in their address: no browser or proxy keeps
    them, and no page they link to is told the address."""
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


# No CSRF token: the link's secret in the address is the only authority this page acts on (no
# session or cookie of the member's is used), so a forged post has nothing to borrow; and with
# no referrer sent, browsers post from here with an "Origin: null" CSRF checking would refuse.
@csrf_exempt
def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    """A member's questionnaire: no account, no name, no cookie; answered once."""
    try:
        link = services.open_link(token)
    except LinkRefused as refused:
        return _link_refused(request, refused)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answered = services.answer_questionnaire(
                token, time_point=form.cleaned_data["time_point"], answers=form.answers()
            )
        except TermsRefused as refused:
            form.refuse(refused.problems)
        except LinkRefused as refused:
            return _link_refused(request, refused)
        else:
            return _questionnaire_page(
                request,
                "workforce/questionnaire_receipt.html",
                {"receipt": answered.receipt, "record": answered.record, "link": link},
            )
    status = 400 if form.is_bound else 200
    return _questionnaire_page(
        request, "workforce/questionnaire.html", {"form": form, "link": link}, status
    )


def _link_refused(request: HttpRequest, refused: LinkRefused) -> HttpResponse:
    """An unknown link is not found (404); one answered or expired is gone for good (410)."""
    status = 404 if isinstance(refused, LinkUnknown) else 410
    return _questionnaire_page(
        request, "workforce/questionnaire_refused.html", {"message": str(refused)}, status
    )
