"""A branch's case file for keeping a service in-house.

A case belongs to one branch and is private to it until its officers share it with the branch
network. It follows one council's service area (and the register's arrangement, once one
exists) through the stages of a spin-out or outsourcing, with dated milestones, documents
(register Sources), actions and who is doing them. Its outcome, once recorded with a source,
becomes a register event and goes through the register's review like any other: verified and
published, it is evidence in the fates analysis.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Stage(models.TextChoices):
    """How far the council has gone, in the order a spin-out or outsourcing usually goes."""

    EARLY_SIGNS = "early-signs", "Early signs"
    OPTIONS_APPRAISAL = "options-appraisal", "Options appraisal"
    CONSULTATION = "consultation", "Consultation"
    DECISION = "decision", "Decision"
    TRANSFER = "transfer", "Transfer"
    RETAINED = "retained", "Retained in-house"


class Outcome(models.TextChoices):
    RETAINED = "retained", "Retained in-house"
    TRANSFERRED = "transferred", "Transferred"
    DELAYED = "delayed", "Delayed"
    BROUGHT_BACK = "brought-back", "Brought back in-house"


class Case(models.Model):
    """One campaign to keep one council service in-house."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(max_length=300)
    authority = models.ForeignKey(
        "register.Authority", on_delete=models.PROTECT, related_name="campaign_cases"
    )
    service_area = models.ForeignKey(
        "register.ServiceArea", on_delete=models.PROTECT, related_name="campaign_cases"
    )
    arrangement = models.ForeignKey(
        "register.Arrangement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_cases",
        help_text="The register's arrangement, once one exists.",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.EARLY_SIGNS)
    summary = models.TextField(blank=True)
    shared_with_network = models.BooleanField(
        default=False, help_text="Shared with the branch network; otherwise the branch's alone."
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_event = models.ForeignKey(
        "register.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_cases",
        help_text="The register event the outcome became, reviewed like any other.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_on__isnull=False),
                name="case_outcome_is_dated",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A dated step in the case: a report published, a consultation opened, a vote taken."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    date = models.DateField()
    description = models.CharField(max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.description}"

    @property
    def branch_id(self) -> int:
        return self.case.branch_id


class CaseDocument(models.Model):
    """A document the case relies on, held as a register Source (so it can become evidence)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    source = models.ForeignKey("register.Source", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "source"], name="case_document_once")
        ]

    def __str__(self) -> str:
        return str(self.source)


class CaseAction(models.Model):
    """Something to do, and who is doing it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["done_on", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description
