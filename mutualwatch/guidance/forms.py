"""Forms for researchers' editing of the library; every write goes through ``services``."""

from typing import Any

from django import forms

from mutualwatch.campaigns.models import Stage
from mutualwatch.guidance.models import Actor, DocumentKind, DocumentVersion, Question, Topic
from mutualwatch.register.models import ServiceArea, Source


class VersionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}))
    dated = forms.DateField(help_text="The date the version bears (YYYY-MM-DD).")
    source = forms.ModelChoiceField(queryset=Source.objects.none())
    change_note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, sources: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources if sources is not None else Source.objects.all()  # type: ignore[attr-defined]


class TagForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    stages = forms.MultipleChoiceField(
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None: any stage.",
    )
    service_areas = forms.ModelMultipleChoiceField(
        queryset=ServiceArea.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None: every service.",
    )


class DocumentForm(VersionForm):
    title = forms.CharField(max_length=500)
    kind = forms.ChoiceField(choices=DocumentKind.choices)
    author = forms.CharField(max_length=300, required=False)
    field_order = ["title", "kind", "author", "text", "dated", "source", "change_note"]


class PositionForm(forms.Form):
    actor = forms.ModelChoiceField(queryset=Actor.objects.all())
    question = forms.ChoiceField(choices=Question.choices)
    summary = forms.CharField(max_length=500)
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Word for word from the version cited (line breaks and spacing aside).",
    )
    version = forms.ModelChoiceField(
        queryset=DocumentVersion.objects.select_related("document").order_by(
            "document__title", "number"
        )
    )
    right_of_reply = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reply_requested_on = forms.DateField(required=False, help_text="YYYY-MM-DD")
