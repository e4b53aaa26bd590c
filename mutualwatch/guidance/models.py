"""The guidance library and the positions compared side by side.

A document (a motion, a pledge, a policy statement, guidance, a briefing or a legal note) keeps
every version: a version is never changed once added, only followed by a newer one. Each
version is dated and cites its source (a register Source). Documents pass through the
register's review states; visitors and branches see published documents only.

A position is one actor's answer to one of the fixed questions, quoted from a version of a
document in the library, with the actor's right of reply noted.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mutualwatch.campaigns.models import Stage
from mutualwatch.register.models import ReviewedRecord


class DocumentKind(models.TextChoices):
    MOTION = "motion", "Motion"
    PLEDGE = "pledge", "Pledge"
    POLICY_STATEMENT = "policy-statement", "Policy statement"
    GUIDANCE = "guidance", "Guidance"
    BRIEFING = "briefing", "Briefing"
    LEGAL_NOTE = "legal-note", "Legal note"


class Topic(models.Model):
    """A tag: TUPE, pensions, the community right to challenge, asset locks ..."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(ReviewedRecord):
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    author = models.CharField(
        max_length=300, blank=True, help_text="Who wrote or adopted it: a conference, a party."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="documents")
    stages = models.JSONField(
        default=list,
        blank=True,
        help_text="The campaign stages (campaigns.Stage codes) it helps with; empty for any.",
    )
    service_areas = models.ManyToManyField(
        "register.ServiceArea",
        blank=True,
        related_name="guidance_documents",
        help_text="The services it is about; none for every service.",
    )
    history = HistoricalRecords(m2m_fields=[topics, service_areas])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_labels(self) -> list[str]:
        """The stages it helps with, as people read them, in the campaign's order."""
        return [label for code, label in Stage.choices if code in (self.stages or [])]


class DocumentVersion(models.Model):
    """One version of a document's text. Never edited: a change is a new version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    dated = models.DateField(help_text="The date the version bears (adopted, published).")
    text = models.TextField()
    change_note = models.CharField(max_length=500, blank=True)
    source = models.ForeignKey("register.Source", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.document.title}, version {self.number}"


class Question(models.TextChoices):
    """The fixed questions every actor's position is compared on."""

    OWNERSHIP = "ownership", "Does staff ownership survive?"
    ASSET_LOCK = "asset-lock", "Is there an asset lock?"
    ACCOUNTABILITY = "accountability", "Who holds the body accountable?"
    PAY_AND_PENSIONS = "pay-and-pensions", "What protects pay and pensions?"
    TAKEOVER = "takeover", "What stops a takeover?"
    SAVINGS = "savings", "Does it claim to save money?"


class Actor(models.Model):
    """Whose position it is: a co-operative council pledge, a government programme, the
    union's conference, a party, the International Co-operative Alliance."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="positions")
    question = models.CharField(max_length=20, choices=Question.choices)
    summary = models.CharField(max_length=500, help_text="The position in a sentence.")
    quote = models.TextField(help_text="Quoted word for word from the version cited.")
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="positions")
    right_of_reply = models.TextField(
        blank=True, help_text="What the actor was offered and said in reply, if anything."
    )
    reply_requested_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "actor__order", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "question"], name="one_position_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.actor.name}: {self.get_question_display()}"
