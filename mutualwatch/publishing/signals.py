"""Keep the public search index in step with the register."""

from typing import Any

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

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
from mutualwatch.register.signals import records_loaded


@receiver(post_save, sender=Authority)
def authority_saved(instance: Authority, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.index_authority(instance)


@receiver(post_save, sender=ServiceArea)
def service_area_saved(instance: ServiceArea, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.index_service_area(instance)


@receiver(post_save, sender=Provider)
def provider_saved(instance: Provider, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.index_provider(instance)


@receiver(post_save, sender=ProviderName)
@receiver(post_save, sender=ProviderIdentifier)
@receiver(post_delete, sender=ProviderName)
@receiver(post_delete, sender=ProviderIdentifier)
def provider_detail_changed(instance: ProviderName | ProviderIdentifier, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.index_provider(instance.provider)


@receiver(post_save, sender=Arrangement)
@receiver(post_delete, sender=Arrangement)
def arrangement_changed(instance: Arrangement, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.index_authority(instance.authority)
    search.index_provider(instance.provider)


@receiver(records_loaded, sender=Authority)
def authorities_loaded(records: list[Authority], **kwargs: Any) -> None:
    search.index_authorities(record.pk for record in records)


@receiver(records_loaded, sender=ServiceArea)
def service_areas_loaded(records: list[ServiceArea], **kwargs: Any) -> None:
    search.index_service_areas(records)


@receiver(records_loaded, sender=Provider)
def providers_loaded(records: list[Provider], **kwargs: Any) -> None:
    search.index_providers(record.pk for record in records)


@receiver(records_loaded, sender=ProviderName)
@receiver(records_loaded, sender=ProviderIdentifier)
def provider_details_loaded(
    records: list[ProviderName | ProviderIdentifier], **kwargs: Any
) -> None:
    search.index_providers(record.provider_id for record in records)


@receiver(records_loaded, sender=Arrangement)
def arrangements_loaded(records: list[Arrangement], **kwargs: Any) -> None:
    search.index_authorities(record.authority_id for record in records)
    search.index_providers(record.provider_id for record in records)


@receiver(ingest_finished, sender=IngestRun)
def ingest_finished_indexing(run: IngestRun, **kwargs: Any) -> str:
    count = search.index_contracts_compiled_since(run.started_at)
    return f"Search index: {count:,} contracts indexed."


@receiver(post_delete, sender=Authority)
def authority_deleted(instance: Authority, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.unindex(SearchKind.AUTHORITY, instance.gss_code)


@receiver(post_delete, sender=Provider)
def provider_deleted(instance: Provider, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.unindex(SearchKind.PROVIDER, str(instance.uid))


@receiver(post_delete, sender=ServiceArea)
def service_area_deleted(instance: ServiceArea, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring a database: the index comes with it
    search.unindex(SearchKind.SERVICE_AREA, instance.code)


@receiver(post_migrate)
def vocabulary_migrated(sender: Any, **kwargs: Any) -> None:
    """Service areas are seeded by a data migration, which sends no save signals."""
    if getattr(sender, "name", "") == "mutualwatch.publishing":
        for area in ServiceArea.objects.all():
            search.index_service_area(area)
