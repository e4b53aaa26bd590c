"""Branches and the roles people hold in them or nationally."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Branch(models.Model):
    """A union branch and the authorities whose services it follows."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(max_length=100, blank=True)
    authorities = models.ManyToManyField("register.Authority", blank=True, related_name="branches")
    joined_network_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set when the branch joined the branch network itself; a branch whose "
        "employer is a member council is in the network without it.",
    )
    history = HistoricalRecords(m2m_fields=[authorities])

    class Meta:
        verbose_name_plural = "branches"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BranchRole(models.TextChoices):
    MEMBER = "member", "Branch member"
    OFFICER = "officer", "Branch officer"


class BranchMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="branch_memberships"
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=BranchRole.choices, default=BranchRole.MEMBER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["branch__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "branch"], name="one_membership_per_branch")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.branch})"


class NationalRoleKind(models.TextChoices):
    RESEARCHER = "researcher", "National researcher"
    ADMINISTRATOR = "administrator", "Administrator"


class NationalRole(models.Model):
    """A role held across every branch. Django superusers count as administrators too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="national_role"
    )
    role = models.CharField(max_length=13, choices=NationalRoleKind.choices)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
