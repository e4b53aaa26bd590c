"""Procurement data as published (OCDS releases), as compiled (one per ocid), and as
normalised tables the rest of mutualwatch reads.

Raw releases are kept once each, keyed by the SHA-256 of their canonical JSON. Everything below
``ProcurementProcess`` is derived: rebuilt from the stored releases whenever an ocid receives a
new one, so it can always be regenerated and never disagrees with the releases.

The derived tables' references (to their process, award or party) have no foreign-key
constraints in the database: only the ingest writes those rows, each with the row it refers to
in the same transaction, and Django still cascades deletes. On PostgreSQL the constraints'
checks, one query per row at each commit, were a quarter of the server's work in an ingest.
Notice suggestions, which reviewers decide, keep theirs. Text columns are indexed with
``Meta.indexes`` rather than ``db_index``, which on PostgreSQL adds a second index for LIKE
prefix searches that nothing here makes.
"""

import json
from collections.abc import Iterable
from typing import Any

import orjson
from django.db import models

from mutualwatch.register.models import Authority, EventType


class JSONTextField(models.JSONField):
    """JSON kept as text on every database, read back as Python values.

    For the compiled releases: nothing queries inside them (the normalised tables are for
    that), and PostgreSQL's parsing every one into jsonb, and SQLite's checking each with
    JSON_VALID, cost the server more than the rest of storing them. Cast the column to jsonb
    to query it in SQL.
    """

    def get_internal_type(self) -> str:
        return "TextField"  # its column type, with no check, on every database

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or hasattr(value, "as_sql"):
            return value
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        except orjson.JSONEncodeError:  # integers beyond 64 bits: rare, and json handles them
            return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:  # integers beyond 64 bits, written by json
            return json.loads(value)


class OcdsVersion(models.TextChoices):
    V1_0 = "1.0", "OCDS 1.0"
    V1_1 = "1.1", "OCDS 1.1"


class Release(models.Model):
    """One OCDS release exactly once, whatever number of files or runs carried it."""

    content_hash = models.CharField(
        "SHA-256", max_length=64, primary_key=True, help_text="Of the release's canonical JSON."
    )
    ocid = models.TextField()  # indexed first in release_merge_order
    release_id = models.TextField()
    date = models.TextField(help_text="As published; releases merge in this order.")
    tags = models.JSONField(default=list)
    ocds_version = models.CharField(max_length=3, choices=OcdsVersion.choices)
    publisher = models.TextField(blank=True)
    source_file = models.TextField(help_text="Where it was first read.")
    source_position = models.TextField()
    canonical_json = models.TextField()

    class Meta:
        ordering = ["ocid", "date", "release_id"]
        indexes = [
            models.Index(fields=["ocid", "date", "release_id"], name="release_merge_order"),
            models.Index(fields=["publisher"], name="release_publisher"),
        ]

    def __str__(self) -> str:
        return f"{self.ocid} {self.release_id} ({self.date})"


class QuarantinedRelease(models.Model):
    """A release that failed schema validation, kept with its raw JSON and every error."""

    content_hash = models.CharField("SHA-256", max_length=64, primary_key=True)
    ocid = models.TextField(blank=True, db_index=True)
    release_id = models.TextField(blank=True)
    publisher = models.TextField(blank=True, db_index=True)
    source_file = models.TextField()
    source_position = models.TextField()
    canonical_json = models.TextField()
    errors = models.JSONField(help_text="A list of {path, message, validator}.")
    error_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["source_file", "source_position"]
        verbose_name = "quarantined release"

    def __str__(self) -> str:
        return f"{self.source_file} {self.source_position}: {self.error_count} errors"


class RejectedFile(models.Model):
    """An input file that was not usable JSON (or not OCDS), with where and why."""

    path = models.TextField(unique=True)
    reason = models.TextField()
    line = models.PositiveIntegerField(null=True, blank=True)
    byte_offset = models.PositiveBigIntegerField(null=True, blank=True)
    kept_before_error = models.BooleanField(
        default=False, help_text="JSON Lines only: the lines before the bad one were ingested."
    )

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path


class IngestRun(models.Model):
    """One finished OCDS ingest: when, and what it stored. Its id is part of the version the
    public pages are cached under, so they show what the last ingest brought."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    files = models.PositiveIntegerField()
    files_rejected = models.PositiveIntegerField()
    releases_read = models.PositiveIntegerField()
    new = models.PositiveIntegerField()
    already_present = models.PositiveIntegerField()
    quarantined = models.PositiveIntegerField()
    ocids_compiled = models.PositiveIntegerField()

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"OCDS ingest finished {self.finished_at:%Y-%m-%d %H:%M}: {self.new} new releases"


class ProcurementProcess(models.Model):
    """One contracting process (one ocid) and its compiled release."""

    ocid = models.TextField(primary_key=True)
    needs_compile = models.BooleanField(
        default=True, help_text="Set when new releases arrive; cleared on compile."
    )
    compiled = JSONTextField(null=True, blank=True)
    ocds_version = models.CharField(max_length=3, choices=OcdsVersion.choices, blank=True)
    release_count = models.PositiveIntegerField(default=0)
    latest_release_date = models.TextField(blank=True)
    merge_warnings = models.JSONField(default=list, blank=True)
    compiled_at = models.DateTimeField(
        null=True, blank=True, help_text="When its releases were last compiled (or failed to)."
    )
    publisher = models.TextField(blank=True)
    title = models.TextField(blank=True)
    buyer_name = models.CharField(max_length=500, blank=True)
    buyer_identifier = models.CharField(max_length=300, blank=True)
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procurement_processes",
        help_text="The register authority the buyer was linked to, if any.",
    )
    procurement_method = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["ocid"]
        verbose_name_plural = "procurement processes"
        indexes = [
            # Only the few marked processes: every compile clears the flag, and a whole-table
            # index on it would be rewritten for each one.
            models.Index(
                fields=["ocid"],
                condition=models.Q(needs_compile=True),
                name="process_needs_compile",
            ),
            models.Index(fields=["publisher"], name="process_publisher"),
            models.Index(fields=["buyer_name"], name="process_buyer_name"),
            models.Index(fields=["procurement_method"], name="process_procurement_method"),
        ]

    def __str__(self) -> str:
        return self.ocid


class Tender(models.Model):
    process = models.OneToOneField(
        ProcurementProcess, on_delete=models.CASCADE, related_name="tender", db_constraint=False
    )
    tender_id = models.CharField(max_length=300, blank=True)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=100, blank=True)
    procurement_method = models.CharField(max_length=100, blank=True)
    procurement_method_details = models.TextField(blank=True)
    main_procurement_category = models.CharField(max_length=100, blank=True)
    value_amount = models.DecimalField(max_digits=22, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=10, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    number_of_tenderers = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["process"]

    def __str__(self) -> str:
        return self.title or self.tender_id


class Lot(models.Model):
    process = models.ForeignKey(
        ProcurementProcess,
        on_delete=models.CASCADE,
        related_name="lots",
        db_index=False,
        db_constraint=False,
    )
    lot_id = models.CharField(max_length=300)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=100, blank=True)
    value_amount = models.DecimalField(max_digits=22, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["process", "lot_id"]
        indexes = [models.Index(fields=["process"], name="lot_process")]

    def __str__(self) -> str:
        return f"{self.process_id} lot {self.lot_id}"


class Party(models.Model):
    """An organisation as one process names it (matching across processes is another app's)."""

    # No index of its own: party_position_once's index starts with the process.
    process = models.ForeignKey(
        ProcurementProcess,
        on_delete=models.CASCADE,
        related_name="parties",
        db_index=False,
        db_constraint=False,
    )
    position = models.PositiveIntegerField(help_text="Its order among the process's parties.")
    party_id = models.CharField(
        max_length=300, help_text="As published, or made up from role and name for OCDS 1.0."
    )
    name = models.CharField(max_length=500, blank=True)
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier_id = models.CharField(max_length=300, blank=True)
    legal_name = models.CharField(max_length=500, blank=True)
    street_address = models.TextField(blank=True)
    locality = models.CharField(max_length=300, blank=True)
    region = models.CharField(max_length=300, blank=True)
    postal_code = models.CharField(max_length=100, blank=True)
    country_name = models.CharField(max_length=200, blank=True)
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A column, not a table of their own: a party has two or three roles, and a row each made
    # the table written most in an ingest. Not indexed: a dozen values, read through the party.
    roles = models.TextField(
        blank=True,
        help_text='Its roles, sorted, each between commas: ",buyer,procuringEntity,".',
    )

    class Meta:
        ordering = ["process", "position"]
        verbose_name_plural = "parties"
        indexes = [models.Index(fields=["name"], name="party_name")]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="party_position_once")
        ]

    def __str__(self) -> str:
        return self.name or self.party_id

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(ROLE_SEPARATOR) if role]


ROLE_SEPARATOR = ","


def roles_text(roles: Iterable[str]) -> str:
    """Roles as Party.roles holds them: sorted, each between commas (none: empty), so that
    one role is found with a LIKE on any database (see with_role)."""
    cleaned = sorted({role.replace(ROLE_SEPARATOR, " ") for role in roles if role})
    return f",{','.join(cleaned)}," if cleaned else ""


def with_role(role: str, prefix: str = "") -> models.Q:
    """The parties (or, with ``prefix`` such as "party__", the rows of a related party) that
    have this role."""
    return models.Q(**{f"{prefix}roles__contains": f"{ROLE_SEPARATOR}{role}{ROLE_SEPARATOR}"})


class PartyIdentifier(models.Model):
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="identifiers", db_constraint=False
    )
    scheme = models.CharField(max_length=100)  # few values: looked up with the identifier
    identifier = models.CharField(max_length=300)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["party", "-is_primary", "scheme", "identifier"]
        indexes = [models.Index(fields=["identifier"], name="party_identifier")]

    def __str__(self) -> str:
        return f"{self.scheme}-{self.identifier}"


class Award(models.Model):
    # No index of its own: award_position_once's index starts with the process.
    process = models.ForeignKey(
        ProcurementProcess,
        on_delete=models.CASCADE,
        related_name="awards",
        db_index=False,
        db_constraint=False,
    )
    position = models.PositiveIntegerField(help_text="Its order among the process's awards.")
    award_id = models.CharField(max_length=300)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=100, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    value_amount = models.DecimalField(max_digits=22, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=10, blank=True)
    contract_period_start = models.DateTimeField(null=True, blank=True)
    contract_period_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="award_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.process_id} award {self.award_id}"


class AwardSupplier(models.Model):
    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="suppliers", db_constraint=False
    )
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="awards_won",
        db_constraint=False,
    )
    name = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["award", "name"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    process = models.ForeignKey(
        ProcurementProcess,
        on_delete=models.CASCADE,
        related_name="contracts",
        db_index=False,
        db_constraint=False,
    )
    contract_id = models.CharField(max_length=300)
    award_id = models.CharField(max_length=300, blank=True)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=100, blank=True)
    value_amount = models.DecimalField(max_digits=22, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=10, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    date_signed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "contract_id"]
        indexes = [models.Index(fields=["process"], name="contract_process")]

    def __str__(self) -> str:
        return f"{self.process_id} contract {self.contract_id}"


class Amendment(models.Model):
    process = models.ForeignKey(
        ProcurementProcess,
        on_delete=models.CASCADE,
        related_name="amendments",
        db_index=False,
        db_constraint=False,
    )
    stage = models.CharField(max_length=10, help_text="tender, award or contract")
    parent_id = models.CharField(max_length=300, blank=True, help_text="The award or contract id.")
    amendment_id = models.CharField(max_length=300, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["process", "stage", "parent_id", "amendment_id"]
        indexes = [models.Index(fields=["process"], name="amendment_process")]

    def __str__(self) -> str:
        return f"{self.process_id} {self.stage} amendment {self.amendment_id}"


class Classification(models.Model):
    """An item's classification (CPV, mostly): ``scheme`` + ``code``."""

    process = models.ForeignKey(
        ProcurementProcess,
        on_delete=models.CASCADE,
        related_name="classifications",
        db_index=False,
        db_constraint=False,
    )
    stage = models.CharField(max_length=10, help_text="tender, award or contract")
    parent_id = models.CharField(max_length=300, blank=True)
    item_id = models.CharField(max_length=300, blank=True)
    scheme = models.CharField(max_length=100)  # CPV nearly always: looked up with the code
    code = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        ordering = ["process", "stage", "parent_id", "item_id", "-is_primary", "scheme", "code"]
        indexes = [
            models.Index(fields=["process"], name="classification_process"),
            models.Index(fields=["code"], name="classification_code"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.code}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted (an event was recorded)"
    DISMISSED = "dismissed", "Dismissed"


class NoticeSuggestion(models.Model):
    """A Procurement Act 2023 notice (UK4, UK6, ...) suggesting a register event, for review.

    Never a register Event itself: a reviewer decides. Kept across recompiles, so a decision
    is not lost when the ocid's releases change.
    """

    process = models.ForeignKey(
        ProcurementProcess, on_delete=models.CASCADE, related_name="notice_suggestions"
    )
    notice_id = models.CharField(max_length=300)
    notice_type = models.CharField(max_length=10, db_index=True)
    notice_name = models.CharField(max_length=200)
    event_type = models.CharField(max_length=20, choices=EventType.choices, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )

    class Meta:
        ordering = ["process", "notice_id", "notice_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "notice_id", "notice_type"], name="notice_suggestion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_type} {self.notice_id}"
