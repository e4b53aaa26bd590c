"""Load a register file (docs/register-format.md) into the database.

One file is one transaction: a bad record stops the import with an error naming the file,
record, field and reason, and nothing from the file is written. Records are matched on their
natural keys and saved only when something differs, so importing a file twice changes nothing
(and adds no history) the second time.

A national register is tens of thousands of records, so the rows already in the register are
read once per table, references are resolved from those keys in memory, and new rows are
written in bulk, each with its history row, followed by ``register.signals.records_changed``.
Rows that changed are saved one by one, as any other edit is.
"""

import datetime
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from simple_history.models import HistoricalRecords

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
    JoinedBasis,
    LegalForm,
    Nation,
    NetworkMembership,
    NetworkMemberType,
    NetworkTier,
    Provider,
    ProviderControl,
    ProviderIdentifier,
    ProviderName,
    ReviewState,
    ServiceArea,
    Source,
    SourceKind,
)
from mutualwatch.register.signals import records_changed

BATCH = 1000


@dataclass
class ImportSummary:
    read: Counter[str] = field(default_factory=Counter)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


@dataclass
class Row:
    """What one record says about one database row: the natural key that finds it, the values
    it should hold and the primary keys of its many-to-many relations, all by attribute name."""

    model: type[models.Model]
    lookup: dict[str, Any]
    values: dict[str, Any]
    many: dict[str, set[int]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(self.lookup.values())


class KeyIndex:
    """The primary key of every row in the register by natural key, each table read once."""

    def __init__(self) -> None:
        self._keys: dict[tuple[type[models.Model], str], dict[Any, int]] = {}

    def pk(self, model: type[models.Model], key: str, value: Any) -> int | None:
        index = self._keys.get((model, key))
        if index is None:
            index = dict(model._default_manager.values_list(key, "pk"))
            self._keys[(model, key)] = index
        return index.get(value)

    def add(self, model: type[models.Model], instances: Iterable[models.Model]) -> None:
        """Rows just created: tables not read yet will find them in the database."""
        for (indexed, key), index in self._keys.items():
            if indexed is model:
                index.update((getattr(obj, key), obj.pk) for obj in instances)


class RecordReader:
    """Typed access to one flat record's fields, raising errors that say where and why."""

    def __init__(self, path: str, label: str, record: FlatRecord, keys: KeyIndex) -> None:
        self.path, self.label, self.record, self.keys = path, label, record, keys

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

    def reference(
        self, name: str, model: type[models.Model], key: str, required: bool
    ) -> int | None:
        """The primary key of the row the field names, or None if it is empty."""
        value = self.text(name, required)
        return self.key_of(name, model, key, value) if value else None

    def key_of(self, name: str, model: type[models.Model], key: str, value: str) -> int:
        pk = self.keys.pk(model, key, _natural_key(key, value))
        if pk is None:
            raise self.fail(
                name, f"no {model._meta.verbose_name} with {key} {value!r} in the register"
            )
        return pk

    def sources(self) -> list[int]:
        uids = split_list(self.text("sources", required=True))
        if not uids:
            raise self.fail("sources", "is required")
        return [self.key_of("sources", Source, "uid", uid) for uid in uids]

    def _parsed(self, name: str, parse: Callable[[str], Any], value: str) -> Any:
        try:
            return parse(value)
        except ValueError as error:
            raise self.fail(name, str(error)) from None


def _natural_key(key: str, value: str) -> Any:
    """A key as the database holds it: uids are UUIDs, however the file spells them."""
    if key != "uid":
        return value
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


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
    keys = KeyIndex()
    with transaction.atomic():
        for record_type in RECORD_TYPES:
            readers = [RecordReader(name, label, r, keys) for label, r in by_type[record_type]]
            if not readers:
                continue
            outcomes = _load(readers, LOADERS[record_type], reason, keys)
            summary.read[record_type] += len(readers)
            summary.created[record_type] += outcomes["created"]
            summary.updated[record_type] += outcomes["updated"]
        for record_type, link in LATE_LINKS.items():
            readers = [RecordReader(name, label, r, keys) for label, r in by_type[record_type]]
            summary.updated[record_type] += _load(readers, link, reason, keys)["updated"]
    return summary


def _load(
    readers: list[RecordReader],
    loader: Callable[[RecordReader], Row],
    reason: str,
    keys: KeyIndex,
) -> Counter[str]:
    """Load the records of one type: create the new rows in bulk, save the changed ones."""
    outcomes: Counter[str] = Counter()
    if not readers:
        return outcomes
    rows = [(reader, loader(reader)) for reader in readers]
    model = rows[0][1].model
    existing = _existing(model, list(rows[0][1].lookup))
    relations = {name for _, row in rows for name in row.many}
    existing_many = {name: _related_pks(model, name) for name in relations}
    new: dict[tuple[Any, ...], tuple[RecordReader, models.Model, Row]] = {}
    first_seen: dict[tuple[Any, ...], str] = {}
    for reader, row in rows:
        if row.key in first_seen:
            # One of the two would be lost: the file must say which it means.
            raise reader.fail(
                next(iter(row.lookup)).removesuffix("_id"),
                f"names the same {model._meta.verbose_name} as {first_seen[row.key]}",
            )
        first_seen[row.key] = reader.label
        if row.key in existing:
            instance = existing[row.key]
            changed = _assign(instance, row.values)
            if changed:
                _validated(reader, instance)
                instance._change_reason = reason
                instance.save()
            for name, wanted in row.many.items():
                if existing_many[name].get(instance.pk, set()) != wanted:
                    getattr(instance, name).set(wanted)
                    changed = True
            outcomes["updated"] += changed
        else:
            instance = model(**row.lookup, **row.values)
            _checked(reader, instance)
            new[row.key] = (reader, instance, row)
            outcomes["created"] += 1
    _create(model, list(new.values()), reason, keys)
    return outcomes


def _existing(model: type[models.Model], lookup: list[str]) -> dict[tuple[Any, ...], Any]:
    return {
        tuple(getattr(obj, name) for name in lookup): obj
        for obj in model._default_manager.all().iterator(chunk_size=BATCH)
    }


def _through(model: type[models.Model], relation: str) -> tuple[Any, str, str]:
    """A many-to-many relation's table, and the names of its two foreign keys."""
    descriptor = getattr(model, relation)
    m2m = descriptor.field
    return descriptor.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def _related_pks(model: type[models.Model], relation: str) -> dict[int, set[int]]:
    through, owner, other = _through(model, relation)
    related: dict[int, set[int]] = {}
    for owner_pk, other_pk in through.objects.values_list(f"{owner}_id", f"{other}_id"):
        related.setdefault(owner_pk, set()).add(other_pk)
    return related


def _assign(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ; say whether any did."""
    changed = False
    for attribute, value in values.items():
        if getattr(instance, attribute) != value:
            setattr(instance, attribute, value)
            changed = True
    return changed


def _foreign_keys(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def _checked(reader: RecordReader, instance: models.Model) -> None:
    """Validate a new row without asking the database: its references were found in the
    register and its natural key is new. The database's own constraints are checked when the
    rows are written (``_create``)."""
    _raise_named(
        reader,
        instance,
        exclude=_foreign_keys(type(instance)),
        validate_unique=False,
        validate_constraints=False,
    )


def _validated(reader: RecordReader, instance: models.Model) -> None:
    _raise_named(reader, instance, validate_constraints=True)


def _raise_named(reader: RecordReader, instance: models.Model, **options: Any) -> None:
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        field_name, messages = next(iter(error.message_dict.items()))
        raise reader.fail(
            "" if field_name == "__all__" else field_name, " ".join(messages)
        ) from None


def _create(
    model: type[models.Model],
    new: list[tuple[RecordReader, models.Model, Row]],
    reason: str,
    keys: KeyIndex,
) -> None:
    """Write new rows in bulk, each with a history row as ``save`` would have added."""
    if not new:
        return
    instances = [instance for _, instance, _ in new]
    try:
        with transaction.atomic():  # a savepoint, so the refused rows can be named below
            model._default_manager.bulk_create(instances, batch_size=BATCH)
    except IntegrityError:
        for reader, instance, _ in new:
            instance.pk = None
            _validated(reader, instance)
        raise
    for instance in instances:
        instance._change_reason = reason  # type: ignore[attr-defined]
    history = model.history.bulk_history_create(  # type: ignore[attr-defined]
        instances, batch_size=BATCH, default_change_reason=reason
    )
    for name in {name for _, _, row in new for name in row.many}:
        wanted = [(instance, row.many.get(name, set())) for _, instance, row in new]
        _create_related(model, name, wanted, history)
    keys.add(model, instances)
    records_changed.send(
        sender=model, records=instances, deleted=False, using=router.db_for_write(model)
    )


def _create_related(
    model: type[models.Model],
    relation: str,
    wanted: list[tuple[models.Model, set[int]]],
    history: list[Any],
) -> None:
    """Write new rows' many-to-many links, and the links each new history row saw, as
    django-simple-history keeps them."""
    through, owner, other = _through(model, relation)
    links = through.objects.bulk_create(
        [
            through(**{f"{owner}_id": instance.pk, f"{other}_id": pk})
            for instance, pks in wanted
            for pk in sorted(pks)
        ],
        batch_size=BATCH,
    )
    m2m_history = HistoricalRecords.m2m_models.get(model._meta.get_field(relation))
    if m2m_history is None:
        return
    version = {row.id: row for row in history}
    m2m_history.objects.bulk_create(
        [
            m2m_history(
                id=link.pk,
                history=version[getattr(link, f"{owner}_id")],
                **{
                    f"{owner}_id": getattr(link, f"{owner}_id"),
                    f"{other}_id": getattr(link, f"{other}_id"),
                },
            )
            for link in links
        ],
        batch_size=BATCH,
    )


def _reviewed(reader: RecordReader) -> tuple[dict[str, Any], dict[str, Any]]:
    lookup = {"uid": reader.uid("uid")}
    values = {
        "state": reader.choice("state", ReviewState),
        "branch_id": reader.reference("branch", Branch, "slug", required=False),
    }
    return lookup, values


def load_service_area(reader: RecordReader) -> Row:
    return Row(
        ServiceArea,
        {"code": reader.text("code", required=True)},
        {"name": reader.text("name", required=True), "description": reader.text("description")},
    )


def link_service_area(reader: RecordReader) -> Row:
    parent = reader.reference("parent", ServiceArea, "code", required=False)
    return Row(ServiceArea, {"code": reader.text("code")}, {"parent_id": parent})


def load_authority(reader: RecordReader) -> Row:
    return Row(
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
    )


def link_authority(reader: RecordReader) -> Row:
    successor = reader.reference("replaced_by", Authority, "gss_code", required=False)
    return Row(Authority, {"gss_code": reader.text("gss_code")}, {"replaced_by_id": successor})


def load_network_membership(reader: RecordReader) -> Row:
    """A spell of membership. Files written before members had types and tiers give only the
    council: it is then a council, named as the register names it, its tier not stated."""
    joined_on, joined_precision = reader.partial_date("joined_on", required=True)
    left_on, left_precision = reader.partial_date("left_on")
    member_type = reader.text("member_type") or NetworkMemberType.COUNCIL
    if member_type not in NetworkMemberType.values:
        raise reader.fail(
            "member_type", f"{member_type!r} is not one of {', '.join(NetworkMemberType.values)}"
        )
    authority_id = reader.reference(
        "authority", Authority, "gss_code", required=member_type != NetworkMemberType.ORGANISATION
    )
    member_name = reader.text("member_name")
    if not member_name:
        if authority_id is None:
            raise reader.fail("member_name", "is required")
        member_name = Authority.objects.get(pk=authority_id).name
    tier = reader.text("tier") or NetworkTier.UNSTATED
    if tier not in NetworkTier.values:
        raise reader.fail("tier", f"{tier!r} is not one of {', '.join(NetworkTier.values)}")
    basis = reader.text("joined_basis") or JoinedBasis.JOINED
    if basis not in JoinedBasis.values:
        raise reader.fail(
            "joined_basis", f"{basis!r} is not one of {', '.join(JoinedBasis.values)}"
        )
    return Row(
        NetworkMembership,
        {"member_name": member_name, "member_type": member_type, "joined_on": joined_on},
        {
            "tier": tier,
            "authority_id": authority_id,
            "joined_precision": joined_precision,
            "joined_basis": basis,
            "left_on": left_on,
            "left_precision": left_precision,
            "source_id": reader.reference("source", Source, "uid", required=False),
            "notes": reader.text("notes"),
        },
    )


def load_branch(reader: RecordReader) -> Row:
    authorities = {
        reader.key_of("authorities", Authority, "gss_code", code)
        for code in split_list(reader.text("authorities"))
    }
    return Row(
        Branch,
        {"slug": reader.text("slug", required=True)},
        {"name": reader.text("name", required=True), "region": reader.text("region")},
        many={"authorities": authorities},
    )


def load_source(reader: RecordReader) -> Row:
    lookup, values = _reviewed(reader)
    return Row(
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
    )


def load_provider(reader: RecordReader) -> Row:
    lookup, values = _reviewed(reader)
    return Row(
        Provider,
        lookup,
        {
            **values,
            "name": reader.text("name", required=True),
            "legal_form": reader.choice("legal_form", LegalForm),
            "notes": reader.text("notes"),
        },
    )


def load_provider_name(reader: RecordReader) -> Row:
    return Row(
        ProviderName,
        {
            "provider_id": reader.reference("provider", Provider, "uid", required=True),
            "name": reader.text("name", required=True),
        },
        {"used_until": reader.full_date("used_until")},
    )


def load_provider_identifier(reader: RecordReader) -> Row:
    return Row(
        ProviderIdentifier,
        {
            "scheme": reader.choice("scheme", IdentifierScheme),
            "identifier": reader.text("identifier", required=True),
        },
        {"provider_id": reader.reference("provider", Provider, "uid", required=True)},
    )


def load_provider_control(reader: RecordReader) -> Row:
    start, start_precision = reader.partial_date("start", required=True)
    end, end_precision = reader.partial_date("end")
    return Row(
        ProviderControl,
        {
            "provider_id": reader.reference("provider", Provider, "uid", required=True),
            "controller_name": reader.text("controller_name", required=True),
            "start_date": start,
        },
        {
            "start_precision": start_precision,
            "end_date": end,
            "end_precision": end_precision,
            "controller_kind": reader.choice("controller_kind", ControllerKind),
            "controller_id": reader.reference("controller", Provider, "uid", required=False),
            "source_id": reader.reference("source", Source, "uid", required=True),
        },
    )


def load_arrangement(reader: RecordReader) -> Row:
    lookup, values = _reviewed(reader)
    start, start_precision = reader.partial_date("start", required=True)
    end, end_precision = reader.partial_date("end")
    first, *others = reader.sources()
    return Row(
        Arrangement,
        lookup,
        {
            **values,
            "authority_id": reader.reference("authority", Authority, "gss_code", required=True),
            "service_area_id": reader.reference("service_area", ServiceArea, "code", required=True),
            "provider_id": reader.reference("provider", Provider, "uid", required=True),
            "start_date": start,
            "start_precision": start_precision,
            "end_date": end,
            "end_precision": end_precision,
            "origin": reader.choice("origin", ArrangementOrigin),
            "staff_transferred": reader.number("staff_transferred"),
            "contract_references": split_list(reader.text("contract_references")),
            "notes": reader.text("notes"),
            "source_id": first,
        },
        many={"additional_sources": set(others)},
    )


def load_event(reader: RecordReader) -> Row:
    lookup, values = _reviewed(reader)
    date, precision = reader.partial_date("date", required=True)
    first, *others = reader.sources()
    arrangement = reader.reference("arrangement", Arrangement, "uid", required=False)
    provider = reader.reference("provider", Provider, "uid", required=False)
    if arrangement is None and provider is None:
        raise reader.fail("arrangement", "an event needs an arrangement or a provider")
    return Row(
        Event,
        lookup,
        {
            **values,
            "event_type": reader.choice("event_type", EventType),
            "date": date,
            "date_precision": precision,
            "arrangement_id": arrangement,
            "provider_id": provider,
            "counterparty_id": reader.reference("counterparty", Provider, "uid", required=False),
            "description": reader.text("description"),
            "source_id": first,
        },
        many={"additional_sources": set(others)},
    )


LOADERS: dict[str, Callable[[RecordReader], Row]] = {
    "service_area": load_service_area,
    "authority": load_authority,
    "branch": load_branch,
    "source": load_source,
    "network_membership": load_network_membership,
    "provider": load_provider,
    "provider_name": load_provider_name,
    "provider_identifier": load_provider_identifier,
    "provider_control": load_provider_control,
    "arrangement": load_arrangement,
    "event": load_event,
}
#: Links between records of one type, made once all of that type are loaded.
LATE_LINKS: dict[str, Callable[[RecordReader], Row]] = {
    "service_area": link_service_area,
    "authority": link_authority,
}
