"""Load a register file (docs/register-format.md) into the database.

One file is one transaction: a bad record stops the import with an error naming the file,
record, field and reason, and nothing from the file is written. Records are matched on their
natural keys and saved only when something differs, so importing a file twice changes nothing
(and adds no history) the second time.
"""

import datetime
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction

from mutualwatch.branches.models import Branch
from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.exchange import (
    RECORD_TYPES,
    FlatRecord,
    parse_full_date,
    parse_partial_date,
    read_records,
    split_list,
)
from mutualwatch.register.models import (
    Arrangement,
    ArrangementOrigin,
    Authority,
    AuthorityKind,
    ControllerKind,
    DatePrecision,
    Event,
    EventType,
    IdentifierScheme,
    LegalForm,
    Nation,
    NetworkMembership,
    Provider,
    ProviderControl,
    ProviderIdentifier,
    ProviderName,
    ReviewState,
    ServiceArea,
    Source,
    SourceKind,
)


@dataclass
class ImportSummary:
    read: Counter[str] = field(default_factory=Counter)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


class RecordReader:
    """Typed access to one flat record's fields, raising errors that say where and why."""

    def __init__(self, path: str, label: str, record: FlatRecord) -> None:
        self.path, self.label, self.record = path, label, record

    def fail(self, field_name: str, reason: str) -> RegisterFileError:
        return RegisterFileError(self.path, self.label, field_name, reason)

    def text(self, name: str, required: bool = False) -> str:
        value = self.record.get(name, "")
        if required and not value:
            raise self.fail(name, "is required")
        return value

    def choice(self, name: str, choices: type[models.TextChoices]) -> str:
        value = self.text(name, required=True)
        if value not in choices.values:
            raise self.fail(name, f"{value!r} is not one of {', '.join(choices.values)}")
        return value

    def full_date(self, name: str) -> datetime.date | None:
        value = self.text(name)
        return self._parsed(name, parse_full_date, value) if value else None

    def partial_date(self, name: str, required: bool = False) -> tuple[datetime.date | None, str]:
        value = self.text(name, required)
        if not value:
            return None, DatePrecision.DAY
        return self._parsed(name, parse_partial_date, value)

    def number(self, name: str) -> int | None:
        value = self.text(name)
        if not value:
            return None
        if not value.isdigit():
            raise self.fail(name, f"{value!r} is not a whole number")
        return int(value)

    def uid(self, name: str) -> uuid.UUID:
        value = self.text(name, required=True)
        return self._parsed(name, uuid.UUID, value)

    def reference(self, name: str, model: type[models.Model], key: str, required: bool) -> Any:
        value = self.text(name, required)
        if not value:
            return None
        try:
            return model._default_manager.get(**{key: value})
        except (ObjectDoesNotExist, ValidationError, ValueError):
            raise self.fail(
                name, f"no {model._meta.verbose_name} with {key} {value!r} in the register"
            ) from None

    def sources(self) -> list[Source]:
        uids = split_list(self.text("sources", required=True))
        found = []
        for uid in uids:
            try:
                found.append(Source.objects.get(uid=uid))
            except (Source.DoesNotExist, ValidationError, ValueError):
                raise self.fail("sources", f"no source with uid {uid!r} in the register") from None
        return found

    def _parsed(self, name: str, parse: Callable[[str], Any], value: str) -> Any:
        try:
            return parse(value)
        except ValueError as error:
            raise self.fail(name, str(error)) from None


def import_register(path: Path) -> ImportSummary:
    """Load every record of the file, or nothing at all."""
    name = str(path)
    if not path.is_file():
        raise RegisterFileError(name, "file", "", "no such file")
    by_type: dict[str, list[tuple[str, FlatRecord]]] = {t: [] for t in RECORD_TYPES}
    for label, record in read_records(path):
        by_type[record["record_type"]].append((label, record))
    summary = ImportSummary()
    reason = f"imported from {path.name}"
    with transaction.atomic():
        for record_type in RECORD_TYPES:
            loader = LOADERS[record_type]
            for label, record in by_type[record_type]:
                summary.read[record_type] += 1
                outcome = loader(RecordReader(name, label, record), reason)
                if outcome == "created":
                    summary.created[record_type] += 1
                elif outcome == "updated":
                    summary.updated[record_type] += 1
        for record_type, link in LATE_LINKS.items():
            for label, record in by_type[record_type]:
                if link(RecordReader(name, label, record), reason) == "updated":
                    summary.updated[record_type] += 1
    return summary


def _upsert(
    reader: RecordReader,
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    reason: str,
    many: dict[str, list[Any]] | None = None,
) -> str:
    """Create or update one row; save (and so add history) only when something differs."""
    instance = model._default_manager.filter(**lookup).first()
    outcome = "unchanged"
    if instance is None:
        instance = model(**lookup, **values)
        outcome = "created"
    else:
        for attribute, value in values.items():
            if getattr(instance, attribute) != value:
                setattr(instance, attribute, value)
                outcome = "updated"
    if outcome != "unchanged":
        try:
            instance.full_clean(validate_constraints=True)
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            raise reader.fail(
                "" if field_name == "__all__" else field_name, " ".join(messages)
            ) from None
        instance._change_reason = reason  # type: ignore[attr-defined]
        instance.save()
    for relation, wanted in (many or {}).items():
        manager = getattr(instance, relation)
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in wanted}:
            manager.set(wanted)
            outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def _reviewed_values(reader: RecordReader) -> tuple[dict[str, Any], dict[str, Any]]:
    lookup = {"uid": reader.uid("uid")}
    values = {
        "state": reader.choice("state", ReviewState),
        "branch": reader.reference("branch", Branch, "slug", required=False),
    }
    return lookup, values


def load_service_area(reader: RecordReader, reason: str) -> str:
    return _upsert(
        reader,
        ServiceArea,
        {"code": reader.text("code", required=True)},
        {"name": reader.text("name", required=True), "description": reader.text("description")},
        reason,
    )


def link_service_area(reader: RecordReader, reason: str) -> str:
    parent = reader.reference("parent", ServiceArea, "code", required=False)
    return _upsert(reader, ServiceArea, {"code": reader.text("code")}, {"parent": parent}, reason)


def load_authority(reader: RecordReader, reason: str) -> str:
    return _upsert(
        reader,
        Authority,
        {"gss_code": reader.text("gss_code", required=True)},
        {
            "name": reader.text("name", required=True),
            "registry_code": reader.text("registry_code"),
            "kind": reader.choice("kind", AuthorityKind),
            "nation": reader.choice("nation", Nation),
            "region": reader.text("region"),
            "start_date": reader.full_date("start_date"),
            "end_date": reader.full_date("end_date"),
        },
        reason,
    )


def link_authority(reader: RecordReader, reason: str) -> str:
    successor = reader.reference("replaced_by", Authority, "gss_code", required=False)
    lookup = {"gss_code": reader.text("gss_code")}
    return _upsert(reader, Authority, lookup, {"replaced_by": successor}, reason)


def load_network_membership(reader: RecordReader, reason: str) -> str:
    joined_on = reader.full_date("joined_on")
    if joined_on is None:
        raise reader.fail("joined_on", "is required")
    return _upsert(
        reader,
        NetworkMembership,
        {
            "authority": reader.reference("authority", Authority, "gss_code", required=True),
            "joined_on": joined_on,
        },
        {"left_on": reader.full_date("left_on")},
        reason,
    )


def load_branch(reader: RecordReader, reason: str) -> str:
    authorities = [
        _by_key(reader, "authorities", Authority, "gss_code", code)
        for code in split_list(reader.text("authorities"))
    ]
    return _upsert(
        reader,
        Branch,
        {"slug": reader.text("slug", required=True)},
        {"name": reader.text("name", required=True), "region": reader.text("region")},
        reason,
        many={"authorities": authorities},
    )


def load_source(reader: RecordReader, reason: str) -> str:
    lookup, values = _reviewed_values(reader)
    return _upsert(
        reader,
        Source,
        lookup,
        {
            **values,
            "title": reader.text("title", required=True),
            "publisher": reader.text("publisher"),
            "url": reader.text("url", required=True),
            "kind": reader.choice("kind", SourceKind),
            "published_on": reader.full_date("published_on"),
            "accessed_on": reader.full_date("accessed_on"),
            "sha256": reader.text("sha256"),
        },
        reason,
    )


def load_provider(reader: RecordReader, reason: str) -> str:
    lookup, values = _reviewed_values(reader)
    return _upsert(
        reader,
        Provider,
        lookup,
        {
            **values,
            "name": reader.text("name", required=True),
            "legal_form": reader.choice("legal_form", LegalForm),
            "notes": reader.text("notes"),
        },
        reason,
    )


def load_provider_name(reader: RecordReader, reason: str) -> str:
    return _upsert(
        reader,
        ProviderName,
        {
            "provider": reader.reference("provider", Provider, "uid", required=True),
            "name": reader.text("name", required=True),
        },
        {"used_until": reader.full_date("used_until")},
        reason,
    )


def load_provider_identifier(reader: RecordReader, reason: str) -> str:
    return _upsert(
        reader,
        ProviderIdentifier,
        {
            "scheme": reader.choice("scheme", IdentifierScheme),
            "identifier": reader.text("identifier", required=True),
        },
        {"provider": reader.reference("provider", Provider, "uid", required=True)},
        reason,
    )


def load_provider_control(reader: RecordReader, reason: str) -> str:
    start, start_precision = reader.partial_date("start", required=True)
    end, end_precision = reader.partial_date("end")
    return _upsert(
        reader,
        ProviderControl,
        {
            "provider": reader.reference("provider", Provider, "uid", required=True),
            "controller_name": reader.text("controller_name", required=True),
            "start_date": start,
        },
        {
            "start_precision": start_precision,
            "end_date": end,
            "end_precision": end_precision,
            "controller_kind": reader.choice("controller_kind", ControllerKind),
            "controller": reader.reference("controller", Provider, "uid", required=False),
            "source": reader.reference("source", Source, "uid", required=True),
        },
        reason,
    )


def load_arrangement(reader: RecordReader, reason: str) -> str:
    lookup, values = _reviewed_values(reader)
    start, start_precision = reader.partial_date("start", required=True)
    end, end_precision = reader.partial_date("end")
    first, *others = reader.sources()
    return _upsert(
        reader,
        Arrangement,
        lookup,
        {
            **values,
            "authority": reader.reference("authority", Authority, "gss_code", required=True),
            "service_area": reader.reference("service_area", ServiceArea, "code", required=True),
            "provider": reader.reference("provider", Provider, "uid", required=True),
            "start_date": start,
            "start_precision": start_precision,
            "end_date": end,
            "end_precision": end_precision,
            "origin": reader.choice("origin", ArrangementOrigin),
            "staff_transferred": reader.number("staff_transferred"),
            "contract_references": split_list(reader.text("contract_references")),
            "notes": reader.text("notes"),
            "source": first,
        },
        reason,
        many={"additional_sources": others},
    )


def load_event(reader: RecordReader, reason: str) -> str:
    lookup, values = _reviewed_values(reader)
    date, precision = reader.partial_date("date", required=True)
    first, *others = reader.sources()
    arrangement = reader.reference("arrangement", Arrangement, "uid", required=False)
    provider = reader.reference("provider", Provider, "uid", required=False)
    if arrangement is None and provider is None:
        raise reader.fail("arrangement", "an event needs an arrangement or a provider")
    return _upsert(
        reader,
        Event,
        lookup,
        {
            **values,
            "event_type": reader.choice("event_type", EventType),
            "date": date,
            "date_precision": precision,
            "arrangement": arrangement,
            "provider": provider,
            "counterparty": reader.reference("counterparty", Provider, "uid", required=False),
            "description": reader.text("description"),
            "source": first,
        },
        reason,
        many={"additional_sources": others},
    )


def _by_key(
    reader: RecordReader, field_name: str, model: type[models.Model], key: str, value: str
) -> Any:
    try:
        return model._default_manager.get(**{key: value})
    except ObjectDoesNotExist:
        raise reader.fail(
            field_name, f"no {model._meta.verbose_name} with {key} {value!r} in the register"
        ) from None


LOADERS: dict[str, Callable[[RecordReader, str], str]] = {
    "service_area": load_service_area,
    "authority": load_authority,
    "network_membership": load_network_membership,
    "branch": load_branch,
    "source": load_source,
    "provider": load_provider,
    "provider_name": load_provider_name,
    "provider_identifier": load_provider_identifier,
    "provider_control": load_provider_control,
    "arrangement": load_arrangement,
    "event": load_event,
}
#: Links between records of one type, made once all of that type are loaded.
LATE_LINKS: dict[str, Callable[[RecordReader, str], str]] = {
    "service_area": link_service_area,
    "authority": link_authority,
}
