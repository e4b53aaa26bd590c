"""Members' terms and conditions before and after transfer: special-category data (it reveals
trade-union membership, UK GDPR Art. 9), kept in these tables only, apart from the public
register's.

What a record says is sealed (``crypto.seal``); only what the branch's officers need to find and
count records is in the clear: the branch, the arrangement, the time point and dates. Every read
of one record is written to ``AccessLog`` by ``workforce.access``; nothing here is ever shown
on a public page except through ``Publication``'s protected tables.
"""

from django.conf import settings
from django.db import models

from mutualwatch.workforce.instrument import EvidenceKind, TimePoint


class Origin(models.TextChoices):
    OFFICER = "officer", "Entered by a branch officer"
    QUESTIONNAIRE = "questionnaire", "A member's questionnaire"
    DEMO = "demo", "Fictional demo data"


class Evidence(models.Model):
    """A document a branch holds privately (a letter, a payslip, an agreement): never published,
    never a register ``Source``. Its description is sealed; it may name people."""

    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.CASCADE, related_name="workforce_evidence"
    )
    kind = models.CharField(max_length=12, choices=EvidenceKind.choices)
    dated = models.DateField(null=True, blank=True)
    sealed_description = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delete_after = models.DateField()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} held by {self.branch}"


class TermsRecord(models.Model):
    """The terms of one arrangement's staff at one time point: an officer's observation from a
    document, or one member's questionnaire answers. One record is one contributor to the
    published tables."""

    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.CASCADE, related_name="terms_records"
    )
    arrangement = models.ForeignKey(
        "register.Arrangement", on_delete=models.PROTECT, related_name="terms_records"
    )
    time_point = models.CharField(max_length=8, choices=TimePoint.choices)
    observed_on = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=14, choices=Origin.choices)
    sealed_answers = models.TextField()
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    #: A member's receipt code, as ``crypto.fingerprint`` keeps it: quoting it lets the branch
    #: find the answers to export or erase them, without ever knowing who gave them.
    receipt = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delete_after = models.DateField()
    #: The number of the first publication whose tables counted this record (the audit needs
    #: it to see what a later publication's differences would reveal).
    first_published = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["delete_after"])]

    def __str__(self) -> str:
        return f"{self.get_origin_display()}, {self.get_time_point_display().lower()}"


class QuestionnaireLink(models.Model):
    """A single-use link a branch officer sends one member: no account, no name asked for. Only
    the token's fingerprint is stored; the link itself is shown once, to the officer."""

    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.CASCADE, related_name="questionnaire_links"
    )
    arrangement = models.ForeignKey(
        "register.Arrangement", on_delete=models.CASCADE, related_name="questionnaire_links"
    )
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Questionnaire link for {self.arrangement_id} ({self.branch})"


class AccessAction(models.TextChoices):
    READ = "read", "Read a record"
    ADD = "add", "Added a record"
    EXPORT = "export", "Exported a member's answers"
    ERASE = "erase", "Erased a member's answers"
    BREAK_GLASS = "break-glass", "Break-glass access granted"
    RETENTION = "retention", "Deleted at the end of retention"
    PUBLISH = "publish", "Published protected tables"


class AccessLog(models.Model):
    """Who did what to which workforce record, when, and why: append-only (the admin shows it
    and nothing changes or deletes it)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=12, choices=AccessAction.choices)
    branch = models.ForeignKey(
        "branches.Branch", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    record_kind = models.CharField(max_length=20, blank=True)
    record_id = models.BigIntegerField(null=True)
    count = models.PositiveIntegerField(default=1)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action}"


class BreakGlass(models.Model):
    """An administrator's access to one branch's workforce records: never in the normal course,
    only with a stated reason, for a limited time, and logged."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"

    def __str__(self) -> str:
        return f"{self.user} to {self.branch} until {self.expires_at:%Y-%m-%d %H:%M}"


class Publication(models.Model):
    """One release of the protected aggregate tables: what was published (``cells``, public)
    and, kept privately for the disclosure audit of later releases, the counts it was built
    from (``basis``, never shown)."""

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(auto_now_add=True)
    rules = models.JSONField(default=dict)
    cells = models.JSONField(default=list)
    basis = models.JSONField(default=dict)
    respondents = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Workforce publication {self.number}"
