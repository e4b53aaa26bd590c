"""Links from suppliers (as notices name them) and register providers to registered bodies."""

from django.conf import settings
from django.db import models

from mutualwatch.register.models import Event, EventType, Provider


class Decision(models.TextChoices):
    IDENTIFIER = "identifier", "By the identifier the notice gives"
    AUTOMATIC = "automatic", "Matched automatically"
    NEEDS_REVIEW = "needs-review", "Needs review"
    UNLINKED = "unlinked", "No likely match"
    CONFIRMED = "confirmed", "Confirmed by a researcher"
    REJECTED = "rejected", "Rejected by a researcher"


JUDGEMENTS = (Decision.CONFIRMED, Decision.REJECTED)
#: The decisions that link a supplier or provider to a body (pages, suggestions, scores).
LINKED = (Decision.IDENTIFIER, Decision.AUTOMATIC, Decision.CONFIRMED)


class RegisterName(models.TextChoices):
    COMPANIES_HOUSE = "companies-house", "Companies House"
    SOCIETIES = "societies", "FCA Mutuals Public Register"
    CHARITIES = "charities", "Charity registers"


class Link(models.Model):
    """One supplier, as notices write it (a cleaned name, identifier and postcode), or one
    register provider, and the registered body it is.

    A researcher's judgement (confirmed or rejected, with who, when and why) always wins: a
    later run of the linker never changes a judged link.
    """

    key = models.CharField(max_length=64, unique=True, help_text="Names what is linked.")
    provider = models.OneToOneField(
        Provider, null=True, blank=True, on_delete=models.CASCADE, related_name="register_link"
    )
    published_name = models.CharField(max_length=500)
    published_identifier = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    mentions = models.PositiveIntegerField(default=0, help_text="Supplier parties it covers.")
    first_notice_on = models.DateField(null=True, blank=True)
    register = models.CharField(max_length=20, choices=RegisterName.choices, blank=True)
    number = models.CharField(max_length=20, blank=True)
    match_probability = models.FloatField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, db_index=True)
    candidates = models.JSONField(
        default=list,
        blank=True,
        help_text="Best candidates: register, number, name, status, dates, probability and "
        "each field's match weight.",
    )
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    judged_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    linked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["published_name"]
        indexes = [models.Index(fields=["register", "number"], name="link_body")]

    def __str__(self) -> str:
        return f"{self.published_name} → {self.register}:{self.number or '-'}"

    @property
    def judged(self) -> bool:
        return self.decision in JUDGEMENTS


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a researcher"
    ACCEPTED = "accepted", "Accepted (a draft event was recorded)"
    DISMISSED = "dismissed", "Dismissed"


class EventSuggestion(models.Model):
    """A register event the company or society registers suggest for a linked provider.

    Never an Event itself: a researcher accepts it (recording a draft Event citing the
    register file, which then goes through review) or dismisses it. Kept across runs, so a
    decision is never lost; a later run only adds what is new.
    """

    key = models.CharField(max_length=80, unique=True)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="register_suggestions"
    )
    register = models.CharField(max_length=20, choices=RegisterName.choices)
    number = models.CharField(max_length=20)
    event_type = models.CharField(max_length=20, choices=EventType.choices)
    date = models.DateField()
    date_known = models.BooleanField(
        default=True, help_text="False: only the snapshot it was first seen in is known."
    )
    description = models.TextField()
    counterparty_name = models.CharField(max_length=300, blank=True)
    counterparty_number = models.CharField(max_length=20, blank=True)
    counterparty = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_title = models.CharField(max_length=500)
    source_publisher = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True)
    source_sha256 = models.CharField("SHA-256 of the register file", max_length=64)
    snapshot_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["provider", "date", "event_type"]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} of {self.provider} on {self.date}"


class LinkRun(models.Model):
    """One change to the links: a run of link-suppliers, or a researcher's judgement. Public
    pages showing linked bodies are versioned by the newest (``page_cache``)."""

    kind = models.CharField(max_length=20)  # link-suppliers, judgement
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} at {self.at}"


class CandidateReason(models.TextChoices):
    CIC = "cic", "Community interest company"
    SOCIETY = "society", "Co-operative or community benefit society"
    CO_OPERATIVE = "co-operative", "Listed by Co-operatives UK"
    COUNCIL_CONTROLLED = "council-controlled", "Controlled by a council"


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Not yet looked at"
    DISMISSED = "dismissed", "Not a spin-out or outsourcing"


class CandidateBody(models.Model):
    """A body that looks like a spin-out or outsourcing the register does not hold yet: a
    community interest company, society, co-operative or council-controlled company winning a
    council's awards for services. For researchers to look at; the evidence is its awards."""

    register = models.CharField(max_length=20, choices=RegisterName.choices)
    number = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    reason = models.CharField(max_length=20, choices=CandidateReason.choices)
    reason_detail = models.CharField(max_length=300, blank=True)
    authority = models.ForeignKey("register.Authority", on_delete=models.CASCADE, related_name="+")
    evidence = models.JSONField(
        default=list, help_text="Its service awards: ocid, title, CPV code and description, date."
    )
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )

    class Meta:
        ordering = ["authority__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number", "authority"], name="candidate_body_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_reason_display()}) for {self.authority}"
