"""Every change to a register record, as who changed what from what to what."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
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


def record_history(record: Any) -> list[HistoryEntry]:
    """The record's changes, newest first, each with the fields it changed."""
    versions = list(record.history.all().select_related("history_user"))
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        if previous is None:
            fields = [
                FieldChange(field.attname, None, getattr(version, field.attname))
                for field in version.instance_type._meta.fields
                if field.attname not in {"id", "created_at", "updated_at"}
                and getattr(version, field.attname) not in (None, "", [])
            ]
        else:
            delta = version.diff_against(previous)
            fields = [FieldChange(c.field, c.old, c.new) for c in delta.changes]
        entries.append(
            HistoryEntry(
                when=version.history_date,
                who=version.history_user.get_username() if version.history_user else "system",
                change=CHANGE_TYPES.get(version.history_type, version.history_type),
                reason=version.history_change_reason or "",
                fields=fields,
            )
        )
    return entries


def history_seen_by(record: Any, viewer: Any, names_visible: bool) -> list[HistoryEntry]:
    """The history as ``viewer`` may see it. Unless ``names_visible`` (for researchers), people
    read "you" for their own changes and "another person" for the rest, so a branch member
    never learns who reviewed their work, nor anyone's username beyond the researchers."""
    entries = record_history(record)
    if names_visible:
        return entries
    own = viewer.get_username()
    hidden = {"created_by_id", "created_by"}
    return [
        HistoryEntry(
            when=entry.when,
            who="you"
            if entry.who == own
            else entry.who
            if entry.who == "system"
            else "another person",
            change=entry.change,
            reason=entry.reason,
            fields=[f for f in entry.fields if f.field not in hidden],
        )
        for entry in entries
    ]
