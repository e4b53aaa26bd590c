"""Workspace forms: they parse and check input; the register's services do the writing.

Every field is rendered with ``as_field_group``, which ties its label, help text and errors to
the input (``aria-describedby``, ``aria-invalid``), as WCAG 2.2 asks.
"""

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, Value, When
from django.forms.models import ModelChoiceIterator, fields_for_model

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import Kind, branches_allowed_to_add
from mutualwatch.register import queries as register_queries
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    LegalForm,
    Provider,
    Source,
    SourceKind,
)
from mutualwatch.workspace.actions import NewProvider, NewSource

#: The largest document a branch may upload as a source's stored copy.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SOURCE_REQUIRED = (
    "Cite at least one source: pick one already in the register, or add a new one below "
    "with its web address or an uploaded copy."
)

ARRANGEMENT_FIELDS = [
    "authority",
    "service_area",
    "provider",
    "origin",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "staff_transferred",
    "notes",
]
EVENT_FIELDS = [
    "event_type",
    "date",
    "date_precision",
    "arrangement",
    "provider",
    "counterparty",
    "description",
]
PROVIDER_FIELDS = ["name", "legal_form", "notes"]
SOURCE_FIELDS = ["title", "kind", "publisher", "url", "published_on", "accessed_on"]
EDITABLE_FIELDS: dict[type, list[str]] = {
    Arrangement: ARRANGEMENT_FIELDS,
    Event: EVENT_FIELDS,
    Provider: PROVIDER_FIELDS,
    Source: SOURCE_FIELDS,
}


def model_fields(model: type, names: list[str]) -> dict[str, forms.Field]:
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {
        name: DATE for name in names if name.endswith(("date", "_on"))
    }
    return dict(fields_for_model(model, fields=names, widgets=widgets))


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a model's validation error on the form, on the field it names where there is one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class WhereTheyWork:
    """Choices limited to what the person may see and the branches they may add for."""

    def __init__(self, user: Any) -> None:
        anywhere, branch_ids = branches_allowed_to_add(user, Kind.ARRANGEMENT)
        self.anywhere = anywhere
        self.branches: QuerySet[Branch] = (
            Branch.objects.all() if anywhere else Branch.objects.filter(pk__in=branch_ids)
        )
        self.authorities: QuerySet[Authority] = (
            Authority.objects.all()
            if anywhere
            else Authority.objects.filter(branches__in=branch_ids).distinct()
        )
        self.providers = register_queries.visible_providers(user)
        self.sources = register_queries.visible_sources(user)
        arrangements = register_queries.visible_arrangements(user)
        self.arrangements = (
            arrangements if anywhere else arrangements.filter(authority__in=self.authorities)
        )
        #: The branches the person belongs to, whose own records their pickers list first.
        self.own_branches = list(
            Branch.objects.filter(memberships__user_id=user.pk)
            .prefetch_related("authorities")
            .order_by("name")
        )


FIELDSETS = [
    (
        "Where and what",
        ["branch", "authority", "service_area", "arrangement", "event_type", "origin"],
    ),
    (
        "When",
        ["date", "date_precision", "start_date", "start_precision", "end_date", "end_precision"],
    ),
    (
        "Who",
        [
            "provider",
            "new_provider_name",
            "new_provider_legal_form",
            "counterparty",
            "staff_transferred",
        ],
    ),
    ("What happened", ["description", "notes"]),
    (
        "Sources (at least one)",
        [
            "existing_sources",
            "new_source_title",
            "new_source_kind",
            "new_source_url",
            "new_source_file",
            "new_source_publisher",
            "new_source_published_on",
        ],
    ),
]


#: How many options a long picker shows at once; a search box beside it finds the others.
SHOWN_OPTIONS = 50

# What a picker's search box matches, for each kind of record it picks.
SEARCHED_BY: dict[type, list[str]] = {
    Provider: ["name"],
    Source: ["title", "publisher", "url"],
    Arrangement: ["authority__name", "service_area__name", "provider__name"],
}


# A branch's own records, which its members' pickers list first (each rule with the labels of
# its group of options and of the rest): the sources it added, and what is delivered for the
# councils it covers.
OWN_RECORDS: dict[type, tuple[Callable[[Branch], Q], str, str]] = {
    Source: (lambda branch: Q(branch_id=branch.pk), "Sources from {branch}", "Other sources"),
    Arrangement: (
        lambda branch: Q(authority_id__in=[a.pk for a in branch.authorities.all()]),
        "At the councils {branch} covers",
        "At other councils",
    ),
}


@dataclass(frozen=True)
class OwnFirst:
    """The groups a picker's options fall in: one for each of the person's branches, in
    order, then the rest. ``rank`` is an option's group, as a database expression."""

    rank: Case
    labels: list[str]


def own_first(model: type, branches: list[Branch]) -> OwnFirst | None:
    """How to list a branch's own records of ``model`` first; None for a person with no branch,
    or for a kind of record no branch owns."""
    if model not in OWN_RECORDS or not branches:
        return None
    rule, own_label, other_label = OWN_RECORDS[model]
    return OwnFirst(
        Case(
            *(When(rule(branch), then=Value(place)) for place, branch in enumerate(branches)),
            default=Value(len(branches)),
        ),
        [own_label.format(branch=branch.name) for branch in branches] + [other_label],
    )


class ShownChoices(ModelChoiceIterator):
    """A picker's options: only those shown, while the field still accepts any of its
    queryset (so a choice made before a search narrowed the list stays valid). Where some
    are the person's branch's own (``own``), those come first, each group under its label."""

    def __init__(
        self, field: forms.ModelChoiceField, shown: QuerySet[Any], own: OwnFirst | None = None
    ) -> None:
        super().__init__(field)
        self.queryset = shown
        self.own = own

    def __iter__(self) -> Iterator[Any]:
        if self.own is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        ranked = self.queryset.annotate(picker_group=self.own.rank).order_by(
            "picker_group", *self.queryset.model._meta.ordering
        )
        groups: dict[int, list[Any]] = defaultdict(list)
        for record in ranked:
            groups[record.picker_group].append(self.choice(record))
        if len(groups) == 1:  # all the branch's own, or none of them: nothing to tell apart
            yield from next(iter(groups.values()))
            return
        for place, label in enumerate(self.own.labels):
            if groups.get(place):
                yield (label, groups[place])


def searched(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """The records whose searched fields contain every word of the text."""
    lookups = SEARCHED_BY[queryset.model]
    for word in text.split():
        queryset = queryset.filter(
            functools.reduce(
                operator.or_, (Q(**{f"{lookup}__icontains": word}) for lookup in lookups)
            )
        )
    return queryset


class WorkspaceForm(forms.Form):
    """Labels without Django's trailing colon: they read as plain questions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    #: Whose records the pickers offer (set by the forms that have pickers).
    where: WhereTheyWork | None = None

    #: The pickers that can hold thousands of records, each with a search box.
    searchable = [
        "arrangement",
        "provider",
        "counterparty",
        "existing_sources",
        "source",
        "additional_sources",
    ]

    def show_only(self, searches: dict[str, str], chosen: dict[str, list[str]]) -> None:
        """Show each long picker's matches for its search (or, with none, the most recently
        added), at most SHOWN_OPTIONS, the person's branch's own first (``own_first``), and
        always what was chosen in it (``chosen``, posted) or is its initial value (an edited
        record's). Sets the field's ``search``, ``shown_note`` and ``offer_search`` (a search
        box beside a list too long to show whole) for the template."""
        for name in self.searchable:
            field = self.fields.get(name)
            if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                continue
            text = searches.get(name, "").strip()
            matching = searched(field.queryset, text) if text else field.queryset
            total = matching.count()
            own = own_first(field.queryset.model, self.where.own_branches if self.where else [])
            ids, own_shown = _newest(matching, own)
            before = self.initial.get(name)  # what an edited record has now
            before = before if isinstance(before, list) else [before]
            ids += [int(pk) for pk in [*chosen.get(name, []), *before] if str(pk).isdigit()]
            field.widget.choices = ShownChoices(field, field.queryset.filter(pk__in=ids), own)
            field.search = text  # type: ignore[attr-defined]
            field.offer_search = bool(text) or total > SHOWN_OPTIONS  # type: ignore[attr-defined]
            field.shown_note = _shown_note(text, total, own_shown)  # type: ignore[attr-defined]


class SubmissionForm(WorkspaceForm):
    """The parts shared by arrangement and event submissions: branch, provider and sources."""

    branch = forms.ModelChoiceField(queryset=Branch.objects.none())
    new_provider_name = forms.CharField(
        label="Or add a new provider: its name", required=False, max_length=300
    )
    new_provider_legal_form = forms.ChoiceField(
        label="The new provider's legal form",
        choices=[("", "—"), *LegalForm.choices],
        required=False,
    )
    existing_sources = forms.ModelMultipleChoiceField(
        label="Sources already in the register",
        queryset=Source.objects.none(),
        required=False,
        help_text="Hold Ctrl (or Cmd) to pick more than one.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    new_source_title = forms.CharField(label="New source: title", required=False, max_length=500)
    new_source_kind = forms.ChoiceField(
        label="New source: kind", choices=[("", "—"), *SourceKind.choices], required=False
    )
    new_source_url = forms.URLField(
        label="New source: web address", required=False, max_length=1000, assume_scheme="https"
    )
    new_source_file = forms.FileField(
        label="New source: or upload a copy",
        required=False,
        help_text="A PDF or other document, up to 20 MB. It is kept with its SHA-256 fingerprint.",
    )
    new_source_publisher = forms.CharField(
        label="New source: publisher", required=False, max_length=300
    )
    new_source_published_on = forms.DateField(
        label="New source: date published", required=False, widget=DATE
    )

    #: The record's own fields, from the model, placed after ``branch``.
    record_fields: list[str] = []
    model: type = Arrangement
    where: WhereTheyWork

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.where = WhereTheyWork(user)
        own = model_fields(self.model, self.record_fields)
        self.fields = {"branch": self.fields.pop("branch"), **own, **self.fields}
        branch = self.fields["branch"]
        assert isinstance(branch, forms.ModelChoiceField)
        branch.queryset = self.where.branches
        branch.required = not self.where.anywhere
        branch.empty_label = "No branch (national research)" if self.where.anywhere else None
        self._limit("existing_sources", self.where.sources)
        self._limit("provider", self.where.providers)
        self.fields["provider"].required = False

    def _limit(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean_new_source_file(self) -> Any:
        upload = self.cleaned_data.get("new_source_file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("This file is larger than 20 MB: link to it by its address.")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_new_source(data)
        self._check_new_provider(data)
        return data

    def _check_new_source(self, data: dict[str, Any]) -> None:
        given = [data.get(f"new_source_{part}") for part in ("title", "url", "file", "publisher")]
        if not any(given):
            if not data.get("existing_sources") and "existing_sources" not in self.errors:
                self.add_error("existing_sources", SOURCE_REQUIRED)
            return
        if not data.get("new_source_title"):
            self.add_error("new_source_title", "Give the new source a title.")
        if not data.get("new_source_kind"):
            self.add_error("new_source_kind", "Say what kind of source it is.")
        if not data.get("new_source_url") and not data.get("new_source_file"):
            self.add_error("new_source_url", "Give the new source's web address or upload a copy.")

    def _check_new_provider(self, data: dict[str, Any]) -> None:
        if data.get("new_provider_name") and not data.get("new_provider_legal_form"):
            self.add_error("new_provider_legal_form", "Say what legal form the new provider has.")
        if data.get("new_provider_name") and data.get("provider"):
            self.add_error("new_provider_name", "Pick a provider or add a new one, not both.")

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in fieldsets, in the order a person fills them in."""
        groups = [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in FIELDSETS
        ]
        return [(legend, fields) for legend, fields in groups if fields]

    def new_source(self) -> NewSource | None:
        data = self.cleaned_data
        if not data.get("new_source_title"):
            return None
        return NewSource(
            title=data["new_source_title"],
            kind=data["new_source_kind"],
            url=data.get("new_source_url") or "",
            publisher=data.get("new_source_publisher") or "",
            published_on=data.get("new_source_published_on"),
            stored_copy=data.get("new_source_file"),
        )

    def new_provider(self) -> NewProvider | None:
        data = self.cleaned_data
        if not data.get("new_provider_name"):
            return None
        return NewProvider(
            name=data["new_provider_name"], legal_form=data["new_provider_legal_form"]
        )

    def record_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.record_fields}

    def branch_id(self) -> int | None:
        branch = self.cleaned_data.get("branch")
        return branch.pk if branch is not None else None


def _newest(matching: QuerySet[Any], own: OwnFirst | None) -> tuple[list[Any], bool]:
    """The keys of the records a picker shows unchosen (the branch's own first, then the
    newest), and whether any of the branch's own are among them."""
    if own is None:
        return list(matching.order_by("-pk").values_list("pk", flat=True)[:SHOWN_OPTIONS]), False
    ranked = matching.annotate(picker_group=own.rank).order_by("picker_group", "-pk")
    newest = list(ranked.values_list("pk", "picker_group")[:SHOWN_OPTIONS])
    others = len(own.labels) - 1  # the rank of records not the branch's own
    return [pk for pk, _ in newest], bool(newest) and newest[0][1] != others


def _shown_note(text: str, total: int, own_shown: bool = False) -> str:
    if text and not total:
        return f"Nothing matches “{text}”."
    if total <= SHOWN_OPTIONS:
        return f"{total} match “{text}”." if text else ""
    newest = f"The {SHOWN_OPTIONS} newest of {total:,}"
    if own_shown:
        newest = f"{SHOWN_OPTIONS} of {total:,}, those of your branch first, then the newest"
    if text:
        return f"{newest} that match “{text}”: search for more words."
    return f"{newest}: search to find the others."


class ArrangementSubmissionForm(SubmissionForm):
    model = Arrangement
    record_fields = ARRANGEMENT_FIELDS

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self._limit("authority", self.where.authorities)
        self.fields["provider"].help_text = "Pick one already in the register, or add one below."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("provider") and not data.get("new_provider_name"):
            self.add_error("provider", "Pick the provider, or add a new one below.")
        branch, authority = data.get("branch"), data.get("authority")
        if (
            branch is not None
            and authority is not None
            and not branch.authorities.filter(pk=authority.pk).exists()
        ):
            self.add_error("authority", f"{branch} does not cover {authority.name}.")
        return data


class EventSubmissionForm(SubmissionForm):
    model = Event
    record_fields = EVENT_FIELDS

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self._limit("arrangement", self.where.arrangements)
        self._limit("counterparty", self.where.providers)
        self.fields[
            "arrangement"
        ].help_text = (
            "The service this happened to. Leave empty if it happened to a provider as a whole."
        )
        self.fields["provider"].help_text = "The provider it happened to, if not a service."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(name) for name in ("arrangement", "provider", "new_provider_name")):
            self.add_error("arrangement", "Pick the service or the provider this happened to.")
        return data


class EditForm(WorkspaceForm):
    """A record's own fields, for ``services.edit``, and for an arrangement or event what it
    cites, for ``services.change_citations``; review state is not here."""

    def __init__(self, *args: Any, user: Any, record: Any, **kwargs: Any) -> None:
        names = EDITABLE_FIELDS[type(record)]
        given = kwargs.get("initial") or {}  # a picker's search: what was filled in
        kwargs["initial"] = {name: _initial(record, name) for name in names}
        cites = isinstance(record, Arrangement | Event)
        if cites:
            kwargs["initial"] |= {
                "source": record.source_id,
                "additional_sources": [s.pk for s in record.additional_sources.all()],
            }
        kwargs["initial"] |= given
        super().__init__(*args, **kwargs)
        self.fields = model_fields(type(record), names)
        self.where = where = WhereTheyWork(user)
        if cites:
            self._add_citation_fields(where, record)
        limits: dict[str, QuerySet[Any]] = {
            "provider": where.providers,
            "counterparty": where.providers,
            "arrangement": where.arrangements,
        }
        if record.branch_id is not None and not where.anywhere:
            limits["authority"] = Authority.objects.filter(branches=record.branch_id)
        for name, queryset in limits.items():
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = queryset

    def _add_citation_fields(self, where: "WhereTheyWork", record: Any) -> None:
        # What it cites now stays a choice even if this person could not cite it afresh.
        cited = [record.source_id, *(s.pk for s in record.additional_sources.all())]
        choices = (where.sources | Source.objects.filter(pk__in=cited)).distinct()
        self.fields["source"] = forms.ModelChoiceField(
            queryset=choices,
            label="Main source",
            help_text="What the record rests on first: shown with it on the public pages.",
        )
        self.fields["additional_sources"] = forms.ModelMultipleChoiceField(
            queryset=choices, required=False, label="Further sources"
        )

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name not in CITATION_FIELDS
        }

    def citations(self) -> list[Source] | None:
        """The sources to cite, main one first, if they changed (else None)."""
        if not CITATION_FIELDS.intersection(self.changed_data):
            return None
        main = self.cleaned_data["source"]
        further = [s for s in self.cleaned_data["additional_sources"] if s != main]
        return [main, *sorted(further, key=lambda s: s.pk)]


CITATION_FIELDS = frozenset({"source", "additional_sources"})


def _initial(record: Any, name: str) -> Any:
    field = record._meta.get_field(name)
    return getattr(record, field.attname)


REVIEW_STEPS = [
    ("submit", "Submit for review"),
    ("verify", "Verify"),
    ("send_back", "Send back"),
    ("publish", "Publish"),
]


class ReviewStepForm(WorkspaceForm):
    step = forms.ChoiceField(choices=REVIEW_STEPS, widget=forms.HiddenInput)
    comment = forms.CharField(
        label="Comment for the submitter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what needs changing; the branch sees this with the record.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("step") == "send_back" and not data.get("comment", "").strip():
            self.add_error("comment", "Say why you are sending it back, so the branch can fix it.")
        return data
