"""Keep the public search index in step with the register."""

from typing import Any

from django.db.models.signals import post_migrate
from django.dispatch import receiver

from mutualwatch.councils.models import AuthorityName
from mutualwatch.councils.queries import authority_ids_named
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
