"""Every write of the councils app: importing authorities and their names, noting buyer
names nobody could place, and remembering a researcher's choice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import router, transaction
from django.db.models import F

from mutualwatch.councils.exceptions import AuthorityFileError
from mutualwatch.councils.importers import (
    AuthorityRecord,
    normalise_authority_name,
    read_authority_file,
    read_names_file,
    spelling_key,
)
from mutualwatch.councils.models import (
    AuthorityName,
    BuyerChoice,
    NameSource,
    Succession,
    UnresolvedBuyer,
)
from mutualwatch.councils.resolution import Resolution, resolution_of
from mutualwatch.register.models import Authority
from mutualwatch.register.signals import records_changed


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.successions} successions"
        )


def import_authorities(path: Path) -> ImportSummary:
    """Create or update every authority in a register CSV or ONS code list, in one
    transaction. Only authorities whose values differ are saved, so a second import of the
    same file writes nothing, not even history. Successors are linked after every row is
    in, since a successor may come later in the file. A bad row raises AuthorityFileError
    and nothing is written.
    """
    records = read_authority_file(path)
    summary = ImportSummary()
    with transaction.atomic():
        by_key: dict[str, Authority] = {}
        for record in records:
            authority, outcome = save_authority(record)
            by_key[record.key] = authority
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            record_official_name(authority, record.name)
        summary.successions = link_successors(records, by_key, str(path))
    return summary


AUTHORITY_FIELDS = ("gss_code", "name", "kind", "nation", "registry_code", "region")
DATE_FIELDS = ("start_date", "end_date")


def save_authority(record: AuthorityRecord) -> tuple[Authority, str]:
    """The authority for a record, created or updated; and "created", "updated" or
    "unchanged". A register row finds its authority by registry code first, so a council
    whose GSS code changed is updated rather than duplicated.
    """
    authority = None
    if record.registry_code:
        authority = Authority.objects.filter(registry_code=record.registry_code).first()
    if authority is None:
        authority = Authority.objects.filter(gss_code=record.key).first()
    wanted: dict[str, Any] = {
        "gss_code": record.key,
        "name": record.name,
        "kind": record.kind,
        "nation": record.nation,
    }
    if record.carries_history:
        # A register row states every field; an ONS list states only code and name, so it
        # never clears what a register import recorded.
        wanted |= {
            "registry_code": record.registry_code or "",
            "region": record.region or "",
            "start_date": record.start_date,
            "end_date": record.end_date,
        }
    if authority is None:
        return Authority.objects.create(**wanted), "created"
    if not record.carries_history and authority.registry_code:
        # The register's official name and type win over an ONS list's ("Bristol, City of");
        # the ONS name is still kept as a spelling.
        return authority, "unchanged"
    changed = [name for name, value in wanted.items() if getattr(authority, name) != value]
    if not changed:
        return authority, "unchanged"
    for name in changed:
        setattr(authority, name, wanted[name])
    authority.save()
    return authority, "updated"


def record_official_name(authority: Authority, name: str) -> None:
    """Keep the name a file gives an authority among its known spellings, for resolution."""
    key = spelling_key(name)
    existing = AuthorityName.objects.filter(spelling=key).first()
    if existing is None:
        AuthorityName.objects.create(
            spelling=key,
            normalised=normalise_authority_name(name),
            name=name,
            registry_code=authority.registry_code,
            authority=authority,
            source=NameSource.REGISTER,
        )
    elif existing.authority_id is None and existing.registry_code in ("", authority.registry_code):
        existing.authority = authority
        existing.save(update_fields=["authority"])


def link_successors(records: list[AuthorityRecord], by_key: dict[str, Authority], path: str) -> int:
    """Set ``replaced_by`` and the Succession rows from the register's ``replaced-by``."""
    by_code = {
        record.registry_code: by_key[record.key] for record in records if record.registry_code
    }
    count = 0
    for record in records:
        if not record.carries_history:
            continue
        predecessor = by_key[record.key]
        successors = []
        for code in record.replaced_by:
            successor = by_code.get(code) or Authority.objects.filter(registry_code=code).first()
            if successor is None:
                raise AuthorityFileError(
                    path, f"no authority has the registry code {code!r}", record.row, "replaced-by"
                )
            if successor.pk == predecessor.pk:
                raise AuthorityFileError(
                    path, "an authority cannot replace itself", record.row, "replaced-by"
                )
            successors.append(successor)
        first = successors[0] if successors else None
        if predecessor.replaced_by_id != (first.pk if first else None):
            predecessor.replaced_by = first
            predecessor.save()
        stale = Succession.objects.filter(predecessor=predecessor).exclude(
            successor__in=[s.pk for s in successors]
        )
        stale.delete()
        for successor in successors:
            Succession.objects.get_or_create(predecessor=predecessor, successor=successor)
        count += len(successors)
    return count


def import_authority_names(path: Path) -> ImportSummary:
    """Load a spellings lookup (``la-name,local-authority-code``) in one transaction.

    A spelling already known for another authority is an error: one spelling, one council.
    Importing the same file again changes nothing. New spellings are written together and
    ``records_changed`` is sent once for them all (the search index reads them).
    """
    records = read_names_file(path)
    summary = ImportSummary()
    authorities = {
        a.registry_code: a
        for a in Authority.objects.exclude(registry_code="").only("pk", "registry_code")
    }
    with transaction.atomic():
        seen: dict[str, tuple[int, str]] = {}
        new: dict[str, AuthorityName] = {}
        for record in records:
            key = spelling_key(record.name)
            if key in seen and seen[key][1] != record.registry_code:
                raise AuthorityFileError(
                    str(path),
                    f"{record.name!r} is also given to {seen[key][1]} on row {seen[key][0]}",
                    record.row,
                    "local-authority-code",
                )
            seen[key] = (record.row, record.registry_code)
            if key in new:
                summary.unchanged += 1
                continue
            authority = authorities.get(record.registry_code)
            existing = AuthorityName.objects.filter(spelling=key).first()
            if existing is None:
                new[key] = AuthorityName(
                    spelling=key,
                    normalised=normalise_authority_name(record.name),
                    name=record.name,
                    registry_code=record.registry_code,
                    authority=authority,
                    source=NameSource.LOOKUP,
                )
                summary.created += 1
                continue
            if existing.registry_code and existing.registry_code != record.registry_code:
                raise AuthorityFileError(
                    str(path),
                    f"{record.name!r} is already known as a name of {existing.registry_code}",
                    record.row,
                    "local-authority-code",
                )
            wanted = {
                "registry_code": record.registry_code,
                "authority_id": authority.pk if authority else existing.authority_id,
            }
            changed = [k for k, v in wanted.items() if getattr(existing, k) != v]
            if changed:
                for k in changed:
                    setattr(existing, k, wanted[k])
                existing.save(update_fields=[k.removesuffix("_id") for k in changed])
                summary.updated += 1
            else:
                summary.unchanged += 1
        created = AuthorityName.objects.bulk_create(new.values())
        records_changed.send(
            sender=AuthorityName,
            records=created,
            deleted=False,
            using=router.db_for_write(AuthorityName),
        )
    return summary


def resolve_buyer(name: str, identifier: str | None = None) -> Resolution:
    """What ``resolution_of`` makes of a buyer, listing a name that names no authority (unless
    a researcher already decided it is not a council) for a researcher to place. Ask the
    result ``.on(notice date)`` for the authority."""
    resolution = resolution_of(name, identifier)
    key = normalise_authority_name(name)
    if resolution.authorities or resolution.chosen or not key:
        return resolution
    updated = UnresolvedBuyer.objects.filter(normalised=key).update(times_seen=F("times_seen") + 1)
    if not updated:
        UnresolvedBuyer.objects.create(normalised=key, name=" ".join(name.split()))
    return resolution


def record_official_names(authorities: Iterable[Authority]) -> None:
    """Each authority's official name among its spellings, however it was recorded (the
    register's import, the admin, ``import-authorities``): buyers are resolved by it."""
    for authority in authorities:
        record_official_name(authority, authority.name)


@transaction.atomic
def remember_choice(name: str, authority: Authority | None, user: Any = None) -> BuyerChoice:
    """Remember that buyers called ``name`` (any spelling with the same normalised key) are
    ``authority``, or are not a council when ``authority`` is None. The name leaves the
    unresolved list; the choice wins over every rule from now on.
    """
    key = normalise_authority_name(name)
    if not key:
        raise ValueError("a buyer name needs at least one letter or digit")
    chosen_by = user if user is not None and getattr(user, "is_authenticated", False) else None
    choice, _ = BuyerChoice.objects.update_or_create(
        normalised=key,
        defaults={"name": " ".join(name.split()), "authority": authority, "chosen_by": chosen_by},
    )
    UnresolvedBuyer.objects.filter(normalised=key).delete()
    return choice
