"""Keep the public search index in step with the register."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from mutualwatch.councils.models import AuthorityName
from mutualwatch.councils.queries import authority_ids_named
from mutualwatch.guidance.models import Document, DocumentVersion
from mutualwatch.procurement.models import IngestRun
from mutualwatch.procurement.signals import ingest_finished
from mutualwatch.publishing import search
from mutualwatch.publishing.models import SearchKind
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Provider,
    ProviderIdentifier,
    ProviderName,
    ServiceArea,
)
from mutualwatch.register.signals import records_changed


@receiver(records_changed, sender=Authority)
def authorities_changed(records: list[Authority], deleted: bool, **kwargs: Any) -> None:
    if deleted:
        for authority in records:
            search.unindex(SearchKind.AUTHORITY, authority.gss_code)
    else:
        search.index_authorities(authority.pk for authority in records)


@receiver(records_changed, sender=AuthorityName)
def authority_names_changed(records: list[AuthorityName], **kwargs: Any) -> None:
    """A council is searched for by every name it is known by. A spelling its current name
    already gives (its official name, recorded whenever it is saved) changes nothing."""
    changed = [spelling for spelling in records if not search.said_by_current_name(spelling)]
    search.index_authorities(authority_ids_named(changed))


@receiver(records_changed, sender=ServiceArea)
def service_areas_changed(records: list[ServiceArea], deleted: bool, **kwargs: Any) -> None:
    if deleted:
        for area in records:
            search.unindex(SearchKind.SERVICE_AREA, area.code)
    else:
        search.index_service_areas(records)


@receiver(records_changed, sender=Provider)
def providers_changed(records: list[Provider], deleted: bool, **kwargs: Any) -> None:
    if deleted:
        for provider in records:
            search.unindex(SearchKind.PROVIDER, str(provider.uid))
    else:
        search.index_providers(provider.pk for provider in records)


@receiver(records_changed, sender=ProviderName)
@receiver(records_changed, sender=ProviderIdentifier)
def provider_details_changed(
    records: list[ProviderName | ProviderIdentifier], **kwargs: Any
) -> None:
    search.index_providers(record.provider_id for record in records)


@receiver(records_changed, sender=Arrangement)
def arrangements_changed(records: list[Arrangement], **kwargs: Any) -> None:
    search.index_authorities(record.authority_id for record in records)
    search.index_providers(record.provider_id for record in records)


@receiver(ingest_finished, sender=IngestRun)
def ingest_finished_indexing(run: IngestRun, **kwargs: Any) -> str:
    count = search.index_contracts_compiled_since(run.started_at)
    return f"Search index: {count:,} contracts indexed."


@receiver(post_migrate)
def vocabulary_migrated(sender: Any, **kwargs: Any) -> None:
    """Service areas are seeded by a data migration, which sends no save signals; councils and
    providers indexed before documents had names get them."""
    if getattr(sender, "name", "") == "mutualwatch.publishing":
        for area in ServiceArea.objects.all():
            search.index_service_area(area)
        search.index_unnamed()


@receiver(post_save, sender=Document)
def guidance_document_saved(
    sender: Any, instance: Document, raw: bool = False, **kwargs: Any
) -> None:
    """Published, it is indexed (again); sent back or otherwise unpublished, it is removed."""
    if not raw:
        search.index_guidance([instance.pk])


@receiver(post_delete, sender=Document)
def guidance_document_deleted(sender: Any, instance: Document, **kwargs: Any) -> None:
    search.unindex(SearchKind.GUIDANCE, str(instance.uid))


@receiver(post_save, sender=DocumentVersion)
def guidance_version_added(
    sender: Any, instance: DocumentVersion, raw: bool = False, **kwargs: Any
) -> None:
    """The index holds the latest version's text."""
    if not raw:
        search.index_guidance([instance.document_id])


@receiver(m2m_changed, sender=Document.topics.through)
def guidance_topics_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        search.index_guidance([instance.pk])
    elif pk_set:
        search.index_guidance(pk_set)
