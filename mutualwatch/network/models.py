"""The branch network's own records: its meetings and the practice branches share.

Which branches are in the network is one rule, ``branches.permissions.network_branch_ids``:
branches whose employer is a council that is a member now (any tier), and any branch
that has joined (``Branch.joined_network_on``). Cases come from the campaigns app, shared by
their branch's officers.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Meeting(models.Model):
    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.CASCADE,
        related_name="convened_meetings",
        help_text="The branch that convened it and keeps its record.",
    )
    title = models.CharField(max_length=300)
    held_on = models.DateField()
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    attending = models.ManyToManyField(
        "branches.Branch", blank=True, related_name="meetings_attended"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[attending])

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class PracticeNote(models.Model):
    """What a branch learned and wants other network branches to know."""

    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.CASCADE, related_name="practice_notes"
    )
    title = models.CharField(max_length=300)
    body = models.TextField()
    service_area = models.ForeignKey(
        "register.ServiceArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.title
