"""Every change to a register record, as who changed what from what to what.

``record_history`` keeps the changes as stored; ``history_seen_by`` is what a person reads:
each field by its name, a choice by its label, a linked record by its name (or, where the
reader may not see it, by what it is: "a source not yet published"), dates as the site writes
them, and bookkeeping (ids, fingerprints, codes that are keys) left out.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    DateField,
    Field,
    FileField,
    ForeignKey,
    ManyToManyField,
    Model,
    QuerySet,
)

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import Kind, visible_filter
from mutualwatch.dates import day
from mutualwatch.register import queries
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    Provider,
    ServiceArea,
    Source,
)
from mutualwatch.register.services import PAST_TENSE

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
#: A review step, kept as the reason for its change ("send back"), as people read it.
REVIEW_STEP_REASONS = {step.replace("_", " "): done for step, done in PAST_TENSE.items()}

#: What people read for a field, where its own verbose name would not say it plainly.
LABELS = {
    "url": "Web address",
    "state": "Review state",
    "created_by": "Added by",
    "review_comment": "Reviewer's comment",
    "source": "Main source",
    "additional_sources": "Further sources",
    "published_on": "Date published",
    "accessed_on": "Date accessed",
    "registry_code": "Code in mySociety's register",
}

#: Kept for the register's own use, never shown: a stored copy's fingerprint (the copy itself
#: is shown) and a service area's code (its key, never changed).
LEFT_OUT = frozenset({(Source, "sha256"), (ServiceArea, "code")})


def field_label(field: Field[Any, Any] | ManyToManyField[Any, Any]) -> str:
    """A register field as people read it: "Web address", "Service area", "Legal form"."""
    label = LABELS.get(field.name, str(field.verbose_name))
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class FieldChange:
    """One field's change, as stored: a linked record by its key, a choice by its code."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    change: str
    reason: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class ShownChange:
    """One field's change as people read it; ``day`` when its values are dates, which are
    kept on one line."""

    label: str
    before: str
    after: str
    day: bool = False


@dataclass(frozen=True)
class ShownEntry:
    when: datetime
    who: str
    change: str
    reason: str
    fields: list[ShownChange]


def _tracked_m2m(record: Model) -> list[ManyToManyField[Any, Any]]:
    return list(getattr(record.history.model, "_history_m2m_fields", []))  # type: ignore[attr-defined]


def _m2m_keys(versions: list[Any], field: ManyToManyField[Any, Any]) -> dict[Any, list[Any]]:
    """What each version linked to through ``field``, sorted keys by version, in one query."""
    keys: dict[Any, list[Any]] = defaultdict(list)
    if not versions:
        return keys
    rows = getattr(versions[0], field.name).model.objects.filter(
        history_id__in=[version.pk for version in versions]
    )
    target = field.m2m_reverse_field_name()
    for version_key, key in rows.values_list("history_id", f"{target}_id"):
        keys[version_key].append(key)
    return {version_key: sorted(linked) for version_key, linked in keys.items()}


def record_history(record: Model) -> list[HistoryEntry]:
    """The record's changes, newest first, each with the fields it changed in model order."""
    versions = list(record.history.all().select_related("history_user"))  # type: ignore[attr-defined]
    m2m = {field: _m2m_keys(versions, field) for field in _tracked_m2m(record)}
    order = {field.name: place for place, field in enumerate(record._meta.get_fields())}
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        if previous is None:
            fields = [
                FieldChange(field.name, None, getattr(version, field.attname))
                for field in record._meta.concrete_fields
                if field.editable and not field.primary_key
            ]
        else:
            delta = version.diff_against(previous, excluded_fields=[f.name for f in m2m])
            fields = [FieldChange(c.field, c.old, c.new) for c in delta.changes]
        for field, linked in m2m.items():
            before = linked.get(previous.pk, []) if previous is not None else []
            fields.append(FieldChange(field.name, before, linked.get(version.pk, [])))
        entries.append(
            HistoryEntry(
                when=version.history_date,
                who=version.history_user.get_username() if version.history_user else "system",
                change=CHANGE_TYPES.get(version.history_type, version.history_type),
                reason=version.history_change_reason or "",
                fields=sorted(
                    (f for f in fields if f.before != f.after and _given(f.after, f.before)),
                    key=lambda change: order.get(change.field, len(order)),
                ),
            )
        )
    return entries


def _given(*values: Any) -> bool:
    return any(value not in (None, "", []) for value in values)


def history_seen_by(record: Model, viewer: Any, names_visible: bool) -> list[ShownEntry]:
    """The history as ``viewer`` may read it. Unless ``names_visible`` (for researchers),
    people read "you" for their own changes and "another person" for the rest, so a branch
    member never learns who reviewed their work, nor anyone's username beyond the
    researchers. Linked records are named only where the viewer may see them."""
    entries = record_history(record)
    model = type(record)
    shown_fields = {
        field.name: field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if (model, field.name) not in LEFT_OUT and (names_visible or field.name != "created_by")
    }
    names = _linked_names(
        [change for entry in entries for change in entry.fields], shown_fields, viewer
    )
    own = viewer.get_username()
    return [
        ShownEntry(
            when=entry.when,
            who=_who(entry.who, own, names_visible),
            change=entry.change,
            reason=REVIEW_STEP_REASONS.get(entry.reason, entry.reason),
            fields=[
                ShownChange(
                    field_label(shown_fields[change.field]),
                    _shown(shown_fields[change.field], change.before, names),
                    _shown(shown_fields[change.field], change.after, names),
                    isinstance(shown_fields[change.field], DateField),
                )
                for change in entry.fields
                if change.field in shown_fields
            ],
        )
        for entry in entries
    ]


def _who(who: str, own: str, names_visible: bool) -> str:
    if names_visible or who == "system":
        return who
    return "you" if who == own else "another person"


Names = dict[type[Model], dict[Any, str]]


def _shown(field: Any, value: Any, names: Names) -> str:
    """A stored value as people read it."""
    if value in (None, "", []):
        return ""
    if isinstance(field, ManyToManyField):
        return "; ".join(names[field.related_model][key] for key in value)
    if isinstance(field, ForeignKey):
        return names[field.related_model][value]
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return day(value)
    if isinstance(field, FileField):
        return PurePosixPath(str(value)).name
    if isinstance(field, BooleanField):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _linked_names(changes: list[FieldChange], fields: dict[str, Any], viewer: Any) -> Names:
    """The name of every record the changes link to, read with one query for each kind of
    record (two where some are not to be seen), as the viewer may see it."""
    wanted: dict[type[Model], set[Any]] = defaultdict(set)
    for change in changes:
        field = fields.get(change.field)
        if isinstance(field, ForeignKey | ManyToManyField):
            for value in (change.before, change.after):
                wanted[field.related_model].update(
                    value if isinstance(value, list) else [value] if value is not None else []
                )
    names: Names = {}
    for model, keys in wanted.items():
        seen = {record.pk: _name(record) for record in _visible(model, viewer).filter(pk__in=keys)}
        unseen = keys - seen.keys()
        existing = set(
            model._base_manager.filter(pk__in=unseen).values_list("pk", flat=True) if unseen else []
        )
        names[model] = seen | {key: _unseen(model, key in existing) for key in unseen}
    return names


def _visible(model: type[Model], viewer: Any) -> QuerySet[Any]:
    """The records of ``model`` the viewer may see, through the permission table."""
    reviewed = {
        Provider: queries.visible_providers,
        Source: queries.visible_sources,
        Arrangement: queries.visible_arrangements,
        Event: queries.visible_events,
    }
    if model in reviewed:
        return reviewed[model](viewer)
    kinds = {Authority: Kind.AUTHORITY, ServiceArea: Kind.SERVICE_AREA, Branch: Kind.BRANCH}
    if model in kinds:
        return model._default_manager.filter(visible_filter(viewer, kinds[model]))
    # People: only researchers are shown who added a record (history_seen_by).
    return model._default_manager.all()


def _name(record: Model) -> str:
    if isinstance(record, Authority):
        return record.name
    if isinstance(record, get_user_model()):
        return record.get_username()
    return str(record)


def _unseen(model: type[Model], exists: bool) -> str:
    """What a linked record the viewer may not see (or that is gone) is called instead."""
    noun = str(model._meta.verbose_name)
    article = "an" if noun[:1] in "aeiou" else "a"
    if not exists:
        return f"{article} {noun} since deleted"
    if model is Branch:
        return "another branch"
    return f"{article} {noun} not yet published"
