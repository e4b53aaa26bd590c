"""Forms of the case pages: each offers only what the person may choose (their branch's
councils, arrangements and sources they may see, their branch's members)."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from mutualwatch.branches.models import Branch
from mutualwatch.campaigns import queries
from mutualwatch.campaigns.models import Case, Outcome, Stage
from mutualwatch.date_picker import DateInput
from mutualwatch.register.models import Arrangement, Authority, ServiceArea, Source, SourceKind

DATE = DateInput()


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return queries.person_name(obj)


class CouncilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class NewCaseForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=Branch.objects.none(), empty_label=None)
    authority = CouncilChoice(queryset=Authority.objects.none(), label="Council")
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.order_by("name"), label="Service area"
    )
    arrangement = forms.ModelChoiceField(
        queryset=Arrangement.objects.none(),
        required=False,
        label="Arrangement in the register (optional)",
        help_text="Link it now if the register already has it, or later.",
    )
    title = forms.CharField(max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branches = queries.branches_for_new_cases(user)
        authorities = queries.authorities_of(branches)
        self.fields["branch"].queryset = branches  # type: ignore[attr-defined]
        self.fields["authority"].queryset = authorities  # type: ignore[attr-defined]
        self.fields["arrangement"].queryset = queries.linkable_arrangements(user, authorities)  # type: ignore[attr-defined]


class EditCaseForm(forms.Form):
    prefix = "edit"
    title = forms.CharField(max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    stage = forms.ChoiceField(choices=Stage.choices)
    arrangement = forms.ModelChoiceField(
        queryset=Arrangement.objects.none(),
        required=False,
        label="Arrangement in the register",
    )

    def __init__(self, *args: Any, user: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": case.title,
                "summary": case.summary,
                "stage": case.stage,
                "arrangement": case.arrangement,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["arrangement"].queryset = queries.linkable_arrangements(  # type: ignore[attr-defined]
            user, queries.authorities_of_case(case)
        ).filter(service_area_id=case.service_area_id)


class MilestoneForm(forms.Form):
    prefix = "milestone"
    date = forms.DateField(widget=DATE)
    stage = forms.ChoiceField(choices=Stage.choices)
    description = forms.CharField(max_length=500)


class DocumentForm(forms.Form):
    """An existing source, or a new one (title, kind and address or publisher at least)."""

    prefix = "document"

    source = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        required=False,
        label="A source already recorded",
    )
    title = forms.CharField(max_length=500, required=False, label="Or a new source: title")
    kind = forms.ChoiceField(choices=[("", "—"), *SourceKind.choices], required=False)
    url = forms.URLField(max_length=1000, required=False, label="Address (URL)")
    publisher = forms.CharField(max_length=300, required=False)
    published_on = forms.DateField(widget=DATE, required=False, label="Published on")
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = queries.citable_sources(user, case)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") is None:
            if not data.get("title"):
                raise forms.ValidationError(
                    "Choose a source already recorded, or give a new one's title."
                )
            if not data.get("kind"):
                self.add_error("kind", "Say what kind of source the new one is.")
            if not data.get("url"):
                self.add_error("url", "Give the new source's address, so others can check it.")
        elif data.get("title"):
            raise forms.ValidationError("Choose a recorded source or give a new one, not both.")
        return data

    def new_source(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("source") is not None:
            return None
        fields = ("title", "kind", "url", "publisher", "published_on")
        return {name: data[name] for name in fields if data.get(name) not in (None, "")}


class ActionForm(forms.Form):
    prefix = "action"
    description = forms.CharField(max_length=500, label="What is to be done")
    assigned_to = PersonChoice(
        queryset=get_user_model().objects.none(), required=False, label="Who is doing it"
    )
    due_on = forms.DateField(widget=DATE, required=False, label="By")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = queries.branch_members(case)  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    assigned_to = PersonChoice(
        queryset=get_user_model().objects.none(), required=False, label="Who is doing it"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = queries.branch_members(case)  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    prefix = "outcome"
    outcome = forms.ChoiceField(choices=Outcome.choices)
    date = forms.DateField(widget=DATE, label="On")
    source = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        label="Source that shows it",
        help_text="One of the case's documents; add it above first if it is not there.",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="What happened"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = queries.case_sources(case)  # type: ignore[attr-defined]
