"""What pages need from the registers: the bodies suppliers and providers are linked to, and
who has controlled them. Copied from the register store by ``link-suppliers``."""

from django.db import models


class RegisteredBody(models.Model):
    register = models.CharField(max_length=20)
    number = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    status = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=200, blank=True)
    incorporated_on = models.DateField(null=True, blank=True)
    dissolved_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(
        null=True, blank=True, help_text="First snapshot it was missing from."
    )
    address = models.CharField(max_length=500, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    previous_names = models.JSONField(default=list, blank=True)
    snapshot = models.CharField(max_length=300, help_text="The register file it is as of.")
    snapshot_on = models.DateField()

    class Meta:
        ordering = ["register", "number"]
        verbose_name_plural = "registered bodies"
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="registered_body_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class CorporateControl(models.Model):
    """A body that controlled a registered body, from a control statement. Individuals are
    counted, never named."""

    body = models.ForeignKey(RegisteredBody, on_delete=models.CASCADE, related_name="controls")
    statement_id = models.CharField(max_length=300)
    controller_kind = models.CharField(max_length=20)
    controller_name = models.CharField(max_length=300, blank=True)
    controller_number = models.CharField(max_length=20, blank=True)
    interests = models.TextField(blank=True)
    start_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)
    source_file = models.CharField(max_length=300)

    class Meta:
        ordering = ["body", "start_on"]
        constraints = [
            models.UniqueConstraint(fields=["body", "statement_id"], name="control_once")
        ]

    def __str__(self) -> str:
        return f"{self.controller_name or 'an individual'} controls {self.body}"
