"""Freedom of Information requests a branch makes from a campaign case.

A request is drafted from a template, sent on a date, and then has a statutory deadline: 20
working days (weekends and the council's nation's bank holidays excluded) under the Freedom of
Information Act 2000 or, in Scotland, the Freedom of Information (Scotland) Act 2002. The
deadlines are computed in ``foi.deadlines`` and stored when the dates they follow are
recorded, so lists can be filtered by them. Responses are register Sources.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Template(models.TextChoices):
    OPTIONS_APPRAISAL = "options-appraisal", "The options appraisal"
    BUSINESS_CASE = "business-case", "The business case"
    STAFF = "staff", "Staff numbers and terms"
    PENSIONS = "pensions", "Pension admission agreements"
    CONTRACT = "contract", "The contract and its break clauses"


class ResponseKind(models.TextChoices):
    FULL = "full", "Answered in full"
    PARTIAL = "partial", "Answered in part"
    REFUSED = "refused", "Refused"
    NOT_HELD = "not-held", "Information not held"


class FoiRequest(models.Model):
    case = models.ForeignKey(
        "campaigns.Case", on_delete=models.CASCADE, related_name="foi_requests"
    )
    template = models.CharField(max_length=20, choices=Template.choices)
    authority = models.ForeignKey(
        "register.Authority",
        on_delete=models.PROTECT,
        related_name="foi_requests",
        help_text="The public authority asked: its nation decides the law and bank holidays.",
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    sent_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    response_kind = models.CharField(max_length=10, choices=ResponseKind.choices, blank=True)
    response_source = models.ForeignKey(
        "register.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_requested_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    review_responded_on = models.DateField(null=True, blank=True)
    review_source = models.ForeignKey(
        "register.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "FOI request"
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def branch_id(self) -> int:
        """The case's branch: a request is as private as its case."""
        return self.case.branch_id

    @property
    def shared_with_network(self) -> bool:
        return self.case.shared_with_network
