"""How councils are named in the wild, and what a researcher decided about names that no
rule could place.

An Authority itself lives in the register app; this app owns the spellings that point to it.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mutualwatch.register.models import Authority


class NameSource(models.TextChoices):
    REGISTER = "register", "The authority's own name, from an authority file"
    LOOKUP = "lookup", "A spelling from the names lookup"


class AuthorityName(models.Model):
    """A known spelling of a council's name: its official name (written by
    ``import-authorities``) or a spelling found in real datasets (``import-authority-names``).

    ``spelling`` is the name less case, punctuation and spacing (one row per spelling);
    ``normalised`` also drops style words such as "Council" and "Borough of" (see
    ``normalise_authority_name``). Spellings of different authorities may share a normalised
    key (a county and the unitary that replaced it, e.g. "Somerset"): such a key is ambiguous
    and only an exact spelling, a date or a researcher's choice resolves it.

    The lookup names authorities by registry code, so a spelling may be loaded before its
    authority; ``authority`` is filled in whenever the authority is known.
    """

    spelling = models.CharField(max_length=300, unique=True)
    normalised = models.CharField(max_length=300, db_index=True)
    name = models.CharField(max_length=300, help_text="The spelling as first written.")
    registry_code = models.CharField(max_length=10, blank=True, db_index=True)
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.CASCADE, related_name="known_names"
    )
    source = models.CharField(max_length=10, choices=NameSource.choices)

    class Meta:
        ordering = ["spelling"]

    def __str__(self) -> str:
        return self.name


class UnresolvedBuyer(models.Model):
    """A buyer name seen in procurement data that resolved to no authority: a researcher's
    to-do. It stays listed until a choice is remembered for its key.
    """

    normalised = models.CharField(max_length=300, unique=True)
    name = models.CharField(max_length=300, help_text="The spelling first seen.")
    times_seen = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-times_seen", "normalised"]

    def __str__(self) -> str:
        return self.name


class BuyerChoice(models.Model):
    """A researcher's decision about a buyer name: which authority it is, or (``authority``
    empty) that it is not a council at all. A choice wins over every rule in resolution.
    """

    normalised = models.CharField(max_length=300, unique=True)
    name = models.CharField(max_length=300, help_text="The spelling the researcher decided on.")
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="buyer_choices",
        help_text="Empty when the researcher decided the buyer is not a council.",
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["normalised"]

    def __str__(self) -> str:
        target = self.authority.name if self.authority else "not a council"
        return f"{self.name} → {target}"


class Succession(models.Model):
    """One authority taking over from an abolished one. The register names two successors
    when a county was split (Cumbria in 2023, Northamptonshire in 2021), which
    ``Authority.replaced_by`` cannot hold alone; every successor is kept here, and
    ``replaced_by`` holds the first one the register lists.
    """

    predecessor = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    # Kept for its own sake, and because the public pages' cache is versioned by history rows.
    history = HistoricalRecords()

    class Meta:
        ordering = ["predecessor__name", "successor__name"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="succession_not_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name}"
