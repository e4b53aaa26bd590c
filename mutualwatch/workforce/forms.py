"""Workforce forms: they parse input; the limits of what an answer may be are checked in one
place, ``instrument.check_terms`` (through ``services``), and its refusals are shown here
next to the field they name.

Every field is rendered with ``as_field_group``, which ties its label, help text and errors to
the input, as WCAG 2.2 asks; choices read as their labels, and a blank answer is "not known".
"""

from typing import Any

from django import forms
from django.db import models

from mutualwatch.branches.models import Branch
from mutualwatch.workforce import services
from mutualwatch.workforce.instrument import (
    QUESTIONNAIRE_TERMS,
    TERMS,
    EvidenceKind,
    TimePoint,
)
from mutualwatch.workforce.models import Evidence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

HELP = {
    "money": "In pounds and pence, for example 12.45.",
    "percent": "A percentage, for example 19.9.",
    "hours": "Hours a week, for example 37.5.",
    "days": "Days a year, bank holidays included if they are.",
    "count": "A whole number.",
}
#: What a member sees for a term they do not know or would rather not say.
NOT_KNOWN = "Don't know, or rather not say"


class WorkforceForm(forms.Form):
    """Labels without Django's trailing colon: they read as plain questions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def refuse(self, problems: dict[str, str]) -> None:
        """Show ``TermsRefused.problems`` next to the fields they name."""
        for field, problem in problems.items():
            self.add_error(field if field in self.fields else None, problem)


def term_field(field: str, *, for_member: bool = False) -> forms.Field:
    """The form field for one term of the instrument: free text for figures (their limits are
    ``check_terms``'s), the choices by their labels for the rest."""
    label, kind = TERMS[field]
    blank = NOT_KNOWN if for_member else "Not known"
    widget: forms.Widget
    if kind == "yes-no" or (isinstance(kind, type) and issubclass(kind, models.TextChoices)):
        choices = [("yes", "Yes"), ("no", "No")] if kind == "yes-no" else list(kind.choices)
        widget = forms.RadioSelect() if for_member else forms.Select()
        return forms.ChoiceField(
            label=label, choices=[("", blank), *choices], required=False, widget=widget
        )
    if kind == "text":
        return forms.CharField(label=label, required=False, max_length=200)
    mode = "numeric" if kind in {"days", "count"} else "decimal"
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        help_text=HELP[kind],
        widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}),
    )


class EvidenceForm(WorkforceForm):
    kind = forms.ChoiceField(label="Kind of document", choices=EvidenceKind.choices)
    dated = forms.DateField(label="Dated", required=False, widget=DATE)
    description = forms.CharField(
        label="Description",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it is and where the branch keeps it. Kept sealed; only the branch's "
        "officers can read it, and each reading is logged.",
    )


class EvidenceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Evidence) -> str:
        dated = f" dated {obj.dated:%d %B %Y}" if obj.dated else ""
        return f"{obj.get_kind_display()}{dated}, added {obj.created_at:%d %B %Y} (no. {obj.pk})"


def service_field(user: Any, branch: Branch) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Service",
        queryset=services.followed_arrangements(user, branch.pk),
        help_text=f"A service of a council {branch.name} follows.",
    )


class TermsForm(WorkforceForm):
    """An officer's observation: every term of the instrument, from a document the branch
    holds."""

    def __init__(self, *args: Any, user: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arrangement"] = service_field(user, branch)
        self.fields["time_point"] = forms.ChoiceField(label="Time point", choices=TimePoint.choices)
        self.fields["observed_on"] = forms.DateField(
            label="Observed on",
            required=False,
            widget=DATE,
            help_text="The date the document describes. Needed for “On a stated date”.",
        )
        self.fields["evidence"] = EvidenceChoice(
            label="Evidence it rests on",
            queryset=Evidence.objects.filter(branch=branch),
            help_text="One of the branch's documents: add it first under “Add evidence”.",
        )
        for field in TERMS:
            self.fields[field] = term_field(field)

    def terms(self) -> list[forms.BoundField]:
        return [self[field] for field in TERMS]

    def about(self) -> list[forms.BoundField]:
        return [self[name] for name in ("arrangement", "time_point", "observed_on", "evidence")]

    def answers(self) -> dict[str, Any]:
        return {field: self.cleaned_data.get(field) for field in TERMS}


class LinkForm(WorkforceForm):
    def __init__(self, *args: Any, user: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arrangement"] = service_field(user, branch)


class QuestionnaireForm(WorkforceForm):
    """What a member is asked: about their own job, no name, nothing about anyone else."""

    time_point = forms.ChoiceField(
        label="Which job are you telling us about?",
        choices=[
            (TimePoint.DATED, "Your job now"),
            (TimePoint.BEFORE, "Your job before the transfer"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in QUESTIONNAIRE_TERMS:
            self.fields[field] = term_field(field, for_member=True)

    def answers(self) -> dict[str, Any]:
        return {field: self.cleaned_data.get(field) for field in QUESTIONNAIRE_TERMS}


class ReceiptForm(WorkforceForm):
    receipt = forms.CharField(
        label="The member's receipt code",
        max_length=40,
        help_text="As the questionnaire showed it, for example 1A2B3C-4D5E6F-7A8B9C.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class BreakGlassForm(WorkforceForm):
    branch = forms.ModelChoiceField(label="Branch", queryset=Branch.objects.all())
    reason = forms.CharField(
        label="Why you need to read its workforce records",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="At least 20 characters. Kept in the access log, which the branch's officers "
        "read.",
    )
