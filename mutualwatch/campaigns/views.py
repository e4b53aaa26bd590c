"""Campaign case pages in the workspace. Each parses its input, calls one ``services`` action
and renders or redirects.

A visitor is sent to log in. A case the person may not see is 404, never 403, so a branch's
private cases cannot be discovered; one they may see but not change (a member, or another
network branch reading a shared case) is 403 for every change. Every change is a plain form
post answered by a redirect back to the case (or the case page again, 400, saying what was
wrong), so the pages work without JavaScript.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from mutualwatch.campaigns import queries, services
from mutualwatch.campaigns.exceptions import CaseError
from mutualwatch.campaigns.forms import (
    ActionForm,
    AssignForm,
    DocumentForm,
    EditCaseForm,
    MilestoneForm,
    NewCaseForm,
    OutcomeForm,
)
from mutualwatch.campaigns.models import Case, CaseAction
from mutualwatch.register.exceptions import NotAllowed, RegisterError

View = Callable[..., HttpResponseBase]


def case_page(view: View) -> View:
    """Logged in; never cached (a branch's private campaign); a refusal is a 403 saying why."""

    @wraps(view)
    def refusing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as refused:
            raise PermissionDenied(str(refused)) from refused

    return never_cache(login_required(refusing))


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, context, status=status)


def _case(request: HttpRequest, pk: int) -> Case:
    case = queries.visible_case(request.user, pk)
    if case is None:
        raise Http404("No such case.")
    return case


def _editable_case(request: HttpRequest, pk: int) -> Case:
    case = _case(request, pk)
    if not queries.may_edit(request.user, case):
        raise PermissionDenied(
            "Only the officers of the branch that keeps this case may change it."
        )
    return case


@case_page
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "campaigns/index.html",
        {
            "rows": queries.index_rows(request.user),
            "may_open": queries.branches_for_new_cases(request.user).exists(),
        },
    )


@case_page
def new_case(request: HttpRequest) -> HttpResponse:
    if not queries.branches_for_new_cases(request.user).exists():
        raise PermissionDenied("Only a branch's officers open its campaign cases.")
    form = NewCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(request.user, **form.cleaned_data)
        except CaseError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The case was opened. It is private to your branch.")
            return redirect("campaigns:case", pk=case.pk)
    status = 400 if form.is_bound else 200
    return _render(request, "campaigns/new.html", {"form": form}, status)


def _case_context(request: HttpRequest, case: Case, **forms: Form) -> dict[str, Any]:
    user = request.user
    editable = queries.may_edit(user, case)
    context: dict[str, Any] = {
        "case": case,
        "may_edit": editable,
        "own_branch": editable or queries.is_branch_member(user, case),
        "milestones": case.milestones.all(),
        "documents": case.documents.select_related("source"),
        "readable_sources": queries.readable_sources(user, case),
        "actions": [
            (
                action,
                queries.person_name(action.assigned_to),
                AssignForm(
                    case=case,
                    prefix=f"assign-{action.pk}",
                    initial={"assigned_to": action.assigned_to_id},
                )
                if editable
                else None,
            )
            for action in case.actions.select_related("assigned_to")
        ],
        "event_state": queries.event_state_words(case),
    }
    if editable:
        context |= {
            "edit_form": EditCaseForm(user=user, case=case),
            "milestone_form": MilestoneForm(initial={"stage": case.stage}),
            "document_form": DocumentForm(user=user, case=case),
            "action_form": ActionForm(case=case),
            "outcome_form": OutcomeForm(case=case),
        }
    context |= forms
    return context


@case_page
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _render(request, "campaigns/case.html", _case_context(request, case))


def _changed(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("campaigns:case", pk=case.pk)


def _refused(
    request: HttpRequest, case: Case, name: str, form: Form, error: Exception | None = None
) -> HttpResponse:
    """The case page again, with the form that failed showing why (400)."""
    if error is not None:
        form.add_error(None, str(error))
    context = _case_context(request, _case(request, case.pk), **{name: form})
    return _render(request, "campaigns/case.html", context, 400)


def _post(
    form_name: str,
    form_class: Callable[..., Form],
    act: Callable[[HttpRequest, Case, Form], str],
) -> View:
    """A case action's endpoint: the officer's form, one service call, back to the case."""

    @case_page
    @require_POST
    def endpoint(request: HttpRequest, pk: int) -> HttpResponse:
        case = _editable_case(request, pk)
        form = form_class(request.POST, user=request.user, case=case)
        if not form.is_valid():
            return _refused(request, case, form_name, form)
        try:
            message = act(request, case, form)
        except (CaseError, RegisterError) as error:
            if isinstance(error, NotAllowed):
                raise
            return _refused(request, case, form_name, form, error)
        return _changed(request, case, message)

    return endpoint


def _form(form_class: type[Form], *names: str) -> Callable[..., Form]:
    """Build a form passing on only the keyword arguments it takes."""

    def build(data: Any, **kwargs: Any) -> Form:
        return form_class(data, **{name: kwargs[name] for name in names})

    return build


def _edit(request: HttpRequest, case: Case, form: Form) -> str:
    services.edit_case(request.user, case, **form.cleaned_data)
    return "The case was updated."


def _milestone(request: HttpRequest, case: Case, form: Form) -> str:
    services.add_milestone(request.user, case, **form.cleaned_data)
    return "The milestone was added."


def _document(request: HttpRequest, case: Case, form: Form) -> str:
    assert isinstance(form, DocumentForm)
    services.add_document(
        request.user,
        case,
        source=form.cleaned_data["source"],
        new_source=form.new_source(),
        note=form.cleaned_data["note"],
    )
    return "The document was added."


def _action(request: HttpRequest, case: Case, form: Form) -> str:
    services.add_action(request.user, case, **form.cleaned_data)
    return "The action was added."


def _outcome(request: HttpRequest, case: Case, form: Form) -> str:
    services.record_outcome(request.user, case, **form.cleaned_data)
    return "The outcome was recorded and submitted to the register's review."


edit_case = _post("edit_form", _form(EditCaseForm, "user", "case"), _edit)
add_milestone = _post("milestone_form", _form(MilestoneForm), _milestone)
add_document = _post("document_form", _form(DocumentForm, "user", "case"), _document)
add_action = _post("action_form", _form(ActionForm, "case"), _action)
record_outcome = _post("outcome_form", _form(OutcomeForm, "case"), _outcome)


def _case_action(request: HttpRequest, pk: int, action_pk: int) -> tuple[Case, CaseAction]:
    case = _editable_case(request, pk)
    return case, get_object_or_404(CaseAction, pk=action_pk, case=case)


@case_page
@require_POST
def assign_action(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    case, action = _case_action(request, pk, action_pk)
    form = AssignForm(request.POST, case=case, prefix=f"assign-{action.pk}")
    if not form.is_valid():
        return _refused(request, case, "assign_error_form", form)
    try:
        services.assign(request.user, action, form.cleaned_data["assigned_to"])
    except CaseError as error:
        return _refused(request, case, "assign_error_form", form, error)
    return _changed(request, case, "The action was given to someone.")


@case_page
@require_POST
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    case, action = _case_action(request, pk, action_pk)
    services.mark_done(request.user, action)
    return _changed(request, case, "The action was marked done.")


@case_page
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    case = _editable_case(request, pk)
    if request.POST.get("share") == "no":
        services.unshare(request.user, case)
        return _changed(request, case, "The case is now private to your branch.")
    try:
        services.share_with_network(request.user, case)
    except CaseError as refused:
        messages.error(request, str(refused))
        return redirect("campaigns:case", pk=case.pk)
    return _changed(request, case, "The case is now shared with the branch network.")
