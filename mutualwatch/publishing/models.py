"""The public search index: one document per public authority, provider, service area and
contract, searched with PostgreSQL full-text search in production and SQLite FTS5 on the
embedded default (see ``mutualwatch.publishing.search``)."""

from django.db import models


class SearchKind(models.TextChoices):
    AUTHORITY = "authority", "Council"
    PROVIDER = "provider", "Provider"
    SERVICE_AREA = "service-area", "Service"
    CONTRACT = "contract", "Contract"
    GUIDANCE = "guidance", "Guidance"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=12, choices=SearchKind.choices)
    key = models.CharField(max_length=200, help_text="GSS code, uid, service code or ocid.")
    title = models.CharField(max_length=500)
    names = models.TextField(
        blank=True,
        help_text="Every name the record is known by, as search keys, each on its own line "
        "(a line break before the first and after each).",
    )
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="one_search_document_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
