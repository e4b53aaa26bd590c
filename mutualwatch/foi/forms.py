"""The FOI pages' forms: they parse input; the services decide."""

from typing import Any

from django import forms

from mutualwatch.date_picker import DateInput
from mutualwatch.foi.models import ResponseKind, Template


class TemplateChoiceForm(forms.Form):
    template = forms.ChoiceField(
        label="What to ask for", choices=Template.choices, widget=forms.RadioSelect
    )


class DraftForm(forms.Form):
    template = forms.ChoiceField(choices=Template.choices, widget=forms.HiddenInput)
    subject = forms.CharField(max_length=300)
    body = forms.CharField(
        label="The request",
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text="Edit it as you need before saving: once sent, it is a record of what was asked.",
    )


class EditForm(forms.Form):
    subject = forms.CharField(max_length=300)
    body = forms.CharField(label="The request", widget=forms.Textarea(attrs={"rows": 22}))


class SentForm(forms.Form):
    sent_on = forms.DateField(label="Sent on", widget=DateInput)


class _AnswerForm(forms.Form):
    url = forms.URLField(
        label="Link to the response", required=False, max_length=1000, assume_scheme="https"
    )
    stored_copy = forms.FileField(label="Or upload it", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("url") and not cleaned.get("stored_copy") and not self.errors:
            raise forms.ValidationError("Give a link to the response or upload it.")
        return cleaned


class ResponseForm(_AnswerForm):
    responded_on = forms.DateField(label="Answered on", widget=DateInput)
    response_kind = forms.ChoiceField(label="The answer", choices=ResponseKind.choices)
    field_order = ["responded_on", "response_kind", "url", "stored_copy"]


class ReviewForm(forms.Form):
    requested_on = forms.DateField(label="Review asked for on", widget=DateInput)


class ReviewResponseForm(_AnswerForm):
    responded_on = forms.DateField(label="Review answered on", widget=DateInput)
    field_order = ["responded_on", "url", "stored_copy"]
