"""FOI pages, inside a case: draft a request from a template, follow it to its answer.

Each view parses its input, calls one ``services`` action and renders. Visitors are sent to log
in; a request or case the person may not see is 404 (never a hint that it exists); one they
may see but not change is 403.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mutualwatch.branches.permissions import holds_a_role
from mutualwatch.campaigns.models import Case
from mutualwatch.foi import deadlines, queries, services
from mutualwatch.foi.exceptions import FoiError, NotAllowed
from mutualwatch.foi.forms import (
    DraftForm,
    EditForm,
    ResponseForm,
    ReviewForm,
    ReviewResponseForm,
    SentForm,
    TemplateChoiceForm,
)
from mutualwatch.foi.models import FoiRequest, Template


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A page inside the workspace's layout, for people with a branch or national role (the
    layout's navigation comes from ``workspace.context_processors``)."""
    if not holds_a_role(request.user):
        raise PermissionDenied("The workspace is for branch members and researchers.")
    return render(request, template, context, status=status)


def _case(request: HttpRequest, case_pk: int) -> Case:
    case = queries.visible_case(request.user, case_pk)
    if case is None:
        raise Http404("No such case.")
    return case


def _request(request: HttpRequest, case_pk: int, pk: int) -> FoiRequest:
    foi = queries.visible_request(request.user, case_pk, pk)
    if foi is None:
        raise Http404("No such FOI request.")
    return foi


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = queries.overview(request.user, today)
    return _render(
        request,
        "foi/overview.html",
        {"rows": rows, "overdue": sum(status.overdue for _, status in rows)},
    )


@never_cache
@login_required
def new(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Choose a template, see it filled in from the case, edit it, save the draft."""
    case = _case(request, case_pk)
    if not services.may_draft(request.user, case):
        raise PermissionDenied("Only the branch's officers draft its FOI requests.")
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            try:
                foi = services.draft_request(
                    request.user,
                    case,
                    form.cleaned_data["template"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused)) from refused
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, "The draft is saved. Mark it sent once you send it.")
                return redirect("foi:request", case_pk=case.pk, pk=foi.pk)
        return _render(request, "foi/new.html", {"case": case, "draft_form": form}, 400)
    choice = TemplateChoiceForm(request.GET or None)
    draft_form = None
    if choice.is_valid():
        template = Template(choice.cleaned_data["template"])
        subject, body = services.draft_text(case, template)
        draft_form = DraftForm(initial={"template": template, "subject": subject, "body": body})
        draft_form.template_label = template.label  # type: ignore[attr-defined]
    return _render(
        request, "foi/new.html", {"case": case, "choice": choice, "draft_form": draft_form}
    )


@never_cache
@login_required
def request_page(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    return _request_page(request, _request(request, case_pk, pk), {})


def _request_page(
    request: HttpRequest, foi: FoiRequest, forms: dict[str, Form], status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    nation = foi.authority.nation
    may_change = services.may_change(request.user, foi)
    context: dict[str, Any] = {
        "foi": foi,
        "case": foi.case,
        "status": deadlines.status(foi, today),
        "law": deadlines.law_of(nation),
        "may_change": may_change,
        "review_ask_by": deadlines.review_request_by(foi.responded_on, nation)
        if foi.responded_on
        else None,
    }
    if may_change:
        if foi.sent_on is None:
            forms.setdefault(
                "edit_form", EditForm(initial={"subject": foi.subject, "body": foi.body})
            )
            forms.setdefault("sent_form", SentForm(initial={"sent_on": today}))
        elif foi.responded_on is None:
            forms.setdefault("response_form", ResponseForm(initial={"responded_on": today}))
        elif foi.review_requested_on is None:
            forms.setdefault("review_form", ReviewForm(initial={"requested_on": today}))
        elif foi.review_responded_on is None:
            forms.setdefault(
                "review_response_form", ReviewResponseForm(initial={"responded_on": today})
            )
    return _render(request, "foi/request.html", context | forms, status)


def _step(
    form_class: type[Form],
    name: str,
    act: Callable[[Any, FoiRequest, dict[str, Any]], Any],
    done: str,
) -> Callable[..., HttpResponse]:
    """A view taking one step on a request: parse the form, call the action, show the page."""

    @never_cache
    @login_required
    @require_POST
    def step(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
        foi = _request(request, case_pk, pk)
        if not services.may_change(request.user, foi):
            raise PermissionDenied("Only the branch's officers change its FOI requests.")
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                act(request.user, foi, form.cleaned_data)
            except NotAllowed as refused:
                raise PermissionDenied(str(refused)) from refused
            except (FoiError, ValidationError) as refused:
                form.add_error(
                    None, refused.messages if isinstance(refused, ValidationError) else str(refused)
                )
            else:
                messages.success(request, done)
                return redirect("foi:request", case_pk=case_pk, pk=pk)
            foi.refresh_from_db()
        return _request_page(request, foi, {name: form}, 400)

    return step


edit = _step(
    EditForm,
    "edit_form",
    lambda user, foi, data: services.edit_draft(
        user, foi, subject=data["subject"], body=data["body"]
    ),
    "The draft is saved.",
)
sent = _step(
    SentForm,
    "sent_form",
    lambda user, foi, data: services.mark_sent(user, foi, data["sent_on"]),
    "Marked sent: the deadline is set.",
)
response = _step(
    ResponseForm,
    "response_form",
    lambda user, foi, data: services.record_response(
        user,
        foi,
        responded_on=data["responded_on"],
        response_kind=data["response_kind"],
        url=data["url"],
        stored_copy=data["stored_copy"],
    ),
    "The response is recorded as a source.",
)
review = _step(
    ReviewForm,
    "review_form",
    lambda user, foi, data: services.request_review(user, foi, data["requested_on"]),
    "The internal review is recorded: its deadline is set.",
)
review_response = _step(
    ReviewResponseForm,
    "review_response_form",
    lambda user, foi, data: services.record_review_response(
        user,
        foi,
        responded_on=data["responded_on"],
        url=data["url"],
        stored_copy=data["stored_copy"],
    ),
    "The review's answer is recorded as a source.",
)
