"""The register: who delivers each council service, since when, how it got there, and what
happened next, every fact citing a source.

Reference data (authorities, service areas) is public. Providers, arrangements, events and
the sources they cite pass through a review (draft, submitted, verified, published): only
published records are ever shown to visitors. Every change is kept by django-simple-history.
"""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

# A GSS code is one capital letter and eight digits. Councils abolished before they were ever
# given one (the Northern Ireland districts that ended in 2015) are keyed instead by their
# code in mySociety's register, such as NIR-R.
GSS_CODE = RegexValidator(
    r"^([A-Z][0-9]{8}|[A-Z]{3}-[A-Z0-9]{1,6})$",
    "A GSS code is one capital letter and eight digits, e.g. E09000022 (or, for a council "
    "that never had one, its register code, e.g. NIR-R).",
)
SERVICE_AREA_CODE = RegexValidator(
    r"^[a-z][a-z0-9-]*$", "A service-area code is lower-case letters, digits and hyphens."
)


class DatePrecision(models.TextChoices):
    """How much of a date is known. A partial date is stored as the first day it covers."""

    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    VERIFIED = "verified", "Verified"
    PUBLISHED = "published", "Published"


class AuthorityKind(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN_BOROUGH = "metropolitan-borough", "Metropolitan borough"
    LONDON_BOROUGH = "london-borough", "London borough"
    WELSH_UNITARY = "welsh-unitary", "Welsh unitary authority"
    SCOTTISH_UNITARY = "scottish-unitary", "Scottish unitary authority"
    NI_DISTRICT = "ni-district", "Northern Ireland district council"
    COMBINED_AUTHORITY = "combined-authority", "Combined authority"
    OTHER = "other", "Other local authority"


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"
    FICTIONAL = "fictional", "Fictional (demo data)"


class LegalForm(models.TextChoices):
    IN_HOUSE = "in-house", "In-house (the council itself)"
    TRADING_COMPANY = "trading-company", "Local-authority trading company"
    PUBLIC_SERVICE_MUTUAL = "public-service-mutual", "Public service mutual"
    COOPERATIVE = "cooperative", "Co-operative or community benefit society"
    CIC = "cic", "Community interest company"
    CHARITY = "charity", "Charity or trust"
    JOINT_VENTURE = "joint-venture", "Joint venture"
    PRIVATE_COMPANY = "private-company", "Private company"
    OTHER_PUBLIC_BODY = "other-public-body", "Other public body"


class IdentifierScheme(models.TextChoices):
    """org-id.guide prefixes, as OCDS party identifiers use them."""

    COMPANIES_HOUSE = "GB-COH", "Companies House number"
    FCA_MUTUALS = "GB-MPR", "FCA Mutuals Public Register number"
    CHARITY_ENGLAND_WALES = "GB-CHC", "Charity Commission (England and Wales) number"
    CHARITY_SCOTLAND = "GB-SC", "Scottish Charity Regulator number"
    CHARITY_NORTHERN_IRELAND = "GB-NIC", "Charity Commission for Northern Ireland number"
    OCDS_PARTY = "OCDS-PARTY", "OCDS party identifier (as published)"


class ControllerKind(models.TextChoices):
    COUNCIL = "council", "A council"
    OTHER_PUBLIC_BODY = "other-public-body", "Another public body"
    EMPLOYEES_OR_MEMBERS = "employees-or-members", "Its employees or members"
    CHARITY = "charity", "A charity or trust"
    PRIVATE = "private", "A private company or investor"
    OTHER = "other", "Other"


class ArrangementOrigin(models.TextChoices):
    SPIN_OUT = "spin-out", "Spin-out"
    OUTSOURCING = "outsourcing", "Outsourcing"
    TRANSFER = "transfer", "Transfer from another provider"
    INSOURCING = "insourcing", "Insourcing"
    ALWAYS_IN_HOUSE = "always-in-house", "Always in-house"


class EventType(models.TextChoices):
    SPIN_OUT = "spin-out", "Spin-out"
    CONTRACT_AWARD = "contract-award", "Contract award"
    RE_TENDER = "re-tender", "Re-tender"
    EXTENSION = "extension", "Extension"
    CHANGE_OF_CONTROL = "change-of-control", "Change of control"
    TAKEOVER = "takeover", "Takeover"
    MERGER = "merger", "Merger or transfer of engagements"
    INSOLVENCY = "insolvency", "Insolvency"
    DISSOLUTION = "dissolution", "Dissolution"
    INSOURCING = "insourcing", "Insourcing"
    CLOSURE = "closure", "Closure"
    CHANGE_OF_NAME = "change-of-name", "Change of name"
    #: A campaign's outcomes (campaigns app), once verified: evidence like any other event.
    RETAINED = "retained-in-house", "Kept in-house after a campaign"
    TRANSFER_DELAYED = "transfer-delayed", "Transfer delayed"


class SourceKind(models.TextChoices):
    PROCUREMENT_NOTICE = "procurement-notice", "Procurement notice"
    REGISTER_FILING = "register-filing", "Register filing"
    COUNCIL_PAPER = "council-paper", "Council paper"
    FOI_RESPONSE = "foi-response", "FOI response"
    PRESS = "press", "Press"
    BRANCH_REPORT = "branch-report", "Branch report"
    POLICY_DOCUMENT = "policy-document", "Motion, pledge or policy statement"
    WEB_PAGE = "web-page", "Web page"


class Authority(models.Model):
    """A UK local authority, past or present, keyed by its GSS code."""

    gss_code = models.CharField("GSS code", max_length=9, unique=True, validators=[GSS_CODE])
    name = models.CharField(max_length=200)
    registry_code = models.CharField(
        max_length=10,
        blank=True,
        db_index=True,
        help_text="The three-letter code of mySociety's UK local authority register, if known.",
    )
    kind = models.CharField(max_length=24, choices=AuthorityKind.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Set when abolished.")
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The authority that took over its services when it was abolished.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.gss_code})"


class NetworkTier(models.TextChoices):
    """The network's tiers of membership. It has had tiers since 2017; a source that lists a
    member without one (every source before then) gives ``unstated``, never a guess."""

    FULL = "full", "Full member"
    ASSOCIATE = "associate", "Associate member"
    AFFILIATE = "affiliate", "Affiliate member"
    UNSTATED = "unstated", "Member (tier not stated)"


class NetworkMemberType(models.TextChoices):
    COUNCIL = "council", "A council"
    OPPOSITION_GROUP = "opposition-group", "A council's opposition group"
    ORGANISATION = "organisation", "Another organisation"


class JoinedBasis(models.TextChoices):
    """What ``joined_on`` says: the day it joined, or only the first time a source lists it."""

    JOINED = "joined", "joined"
    FIRST_LISTED = "first-listed", "first listed as a member"


class NetworkMembership(models.Model):
    """A spell of membership of the Co-operative Councils Network, citing its source.

    A council, a council's opposition group or another organisation, at one tier. Where the day
    it joined is not known, ``joined_on`` is the first date a source lists it as a member
    (``joined_basis``): it joined on or before then.
    """

    member_name = models.CharField(max_length=300, help_text="The member's name as listed.")
    member_type = models.CharField(
        max_length=16, choices=NetworkMemberType.choices, default=NetworkMemberType.COUNCIL
    )
    tier = models.CharField(max_length=10, choices=NetworkTier.choices, default=NetworkTier.FULL)
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_memberships",
        help_text="The council (for a council or its opposition group); empty for others.",
    )
    joined_on = models.DateField()
    joined_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    joined_basis = models.CharField(
        max_length=12, choices=JoinedBasis.choices, default=JoinedBasis.JOINED
    )
    left_on = models.DateField(null=True, blank=True)
    left_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member_name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_name", "member_type", "joined_on"],
                name="network_membership_once_per_join",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="network_membership_leaves_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(member_type="organisation") | Q(authority__isnull=False),
                name="network_membership_council_names_authority",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name}: {self.get_tier_display()} from {self.joined_on}"


class ServiceArea(models.Model):
    """A council service in a controlled vocabulary. Codes are stable: never renamed."""

    code = models.CharField(
        max_length=60, unique=True, validators=[SERVICE_AREA_CODE], help_text="Stable code."
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReviewedRecord(models.Model):
    """Fields shared by every record that passes through review before it is public."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT, db_index=True
    )
    branch = models.ForeignKey(
        "branches.Branch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The branch that submitted it, if any.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.state == ReviewState.PUBLISHED


class Source(ReviewedRecord):
    """A citation. Its stored copy, where kept, is fingerprinted with SHA-256."""

    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    stored_copy = models.FileField(upload_to="sources/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(stored_copy=""),
                name="source_has_url_or_stored_copy",
            ),
            models.CheckConstraint(
                condition=Q(stored_copy="") | Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="source_stored_copy_has_sha256",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fingerprint_stored_copy()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.fingerprint_stored_copy()

    def fingerprint_stored_copy(self) -> None:
        """The SHA-256 is always of the bytes stored: taken again whenever the file changes,
        by whatever path (the workspace, an import, the admin), and cleared with the file."""
        if not self.stored_copy:
            self.sha256 = ""
        elif not self.stored_copy._committed:  # type: ignore[attr-defined]  # a new upload
            self.sha256 = sha256_of_file(self.stored_copy)


def sha256_of_file(file: Any) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class Provider(ReviewedRecord):
    """Whoever delivers a service: the council itself, a mutual, a company, a charity."""

    name = models.CharField(max_length=300)
    legal_form = models.CharField(max_length=24, choices=LegalForm.choices)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        # The providers list, a page at a time in name order: read off the index, not by
        # sorting every provider for each page.
        indexes = [models.Index(fields=["name", "id"], name="provider_name_order")]

    def __str__(self) -> str:
        return self.name


class ProviderName(models.Model):
    """A name the provider traded under before its current one."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(max_length=300)
    used_until = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="provider_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProviderIdentifier(models.Model):
    """A register number for a provider. One identifier names one provider."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=12, choices=IdentifierScheme.choices)
    identifier = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "identifier"], name="provider_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme}-{self.identifier}"


class PartialDateFields(models.Model):
    """A start and an optional end, each with the precision to which it is known."""

    start_date = models.DateField()
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    class Meta:
        abstract = True


class ProviderControl(PartialDateFields):
    """Who controlled a provider over a period (owner, parent, members).

    Like former names and identifiers, it is shown wherever its provider is.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="controls")
    controller_name = models.CharField(max_length=300)
    controller_kind = models.CharField(max_length=24, choices=ControllerKind.choices)
    controller = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="controlled",
        help_text="The controller, where it is itself in the register.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="provider_control_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider.name} controlled by {self.controller_name}"


class Arrangement(ReviewedRecord, PartialDateFields):
    """One provider delivering one service area for one authority over a period.

    ``source`` is the first citation and cannot be empty, so the database itself refuses an
    arrangement without a source; ``additional_sources`` hold any further citations.
    """

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="arrangements")
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="arrangements"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="arrangements")
    origin = models.CharField(max_length=16, choices=ArrangementOrigin.choices)
    staff_transferred = models.PositiveIntegerField(null=True, blank=True)
    contract_references = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    additional_sources = models.ManyToManyField(Source, blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[additional_sources])

    class Meta:
        ordering = ["authority__name", "service_area__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="arrangement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_area.name} for {self.authority.name} by {self.provider.name}"


class Event(ReviewedRecord):
    """Something that happened to an arrangement or a provider, on a date known to a precision.

    Like an arrangement, an event cannot exist without its first ``source``.
    """

    event_type = models.CharField(max_length=20, choices=EventType.choices)
    date = models.DateField()
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    arrangement = models.ForeignKey(
        Arrangement, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    counterparty = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="counterparty_events",
        help_text="The other party: the acquirer in a takeover, the new provider in a re-tender.",
    )
    description = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    additional_sources = models.ManyToManyField(Source, blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[additional_sources])

    class Meta:
        ordering = ["date", "event_type"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrangement__isnull=False) | Q(provider__isnull=False),
                name="event_attached_to_arrangement_or_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} on {self.date}"
