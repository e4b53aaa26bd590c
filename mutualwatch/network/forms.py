"""Forms of the network's meetings and practice notes: parsing only; the services decide."""

from typing import Any

from django import forms

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import network_branches
from mutualwatch.date_picker import DateInput
from mutualwatch.register.models import ServiceArea


def _branch_field(branches: list[Branch], label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Branch.objects.filter(pk__in=[b.pk for b in branches]),
        label=label,
        empty_label=None,
    )


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=300)
    held_on = forms.DateField(label="Date", widget=DateInput)
    agenda = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What was said and agreed, once the meeting has been held.",
    )
    attending = forms.ModelMultipleChoiceField(
        queryset=Branch.objects.none(),
        required=False,
        label="Branches attending",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, conveners: list[Branch] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attending = self.fields["attending"]
        assert isinstance(attending, forms.ModelMultipleChoiceField)
        attending.queryset = Branch.objects.filter(network_branches()).distinct().order_by("name")
        if conveners is not None:
            self.fields = {
                "branch": _branch_field(conveners, "Convening branch"),
                **self.fields,
            }


class PracticeNoteForm(forms.Form):
    title = forms.CharField(max_length=300)
    body = forms.CharField(
        label="The note", widget=forms.Textarea(attrs={"rows": 12}), help_text="What you learned."
    )
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.order_by("name"),
        required=False,
        label="Service area (if it is about one)",
    )

    def __init__(self, *args: Any, authors: list[Branch] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if authors is not None:
            self.fields = {"branch": _branch_field(authors, "Branch"), **self.fields}


def attach_errors(form: forms.Form, problems: dict[str, str]) -> None:
    for name, reason in problems.items():
        form.add_error(name if name in form.fields else None, reason)
