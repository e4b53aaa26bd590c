"""Full-text search across the public register.

Only what is public is indexed: every authority and service area, published providers
with the services they deliver, and every procurement process (public notices). The
register's part is kept in step by signal handlers
(``publishing.signals``); procurement is bulk-loaded without signals, so after an OCDS
ingest, or whenever in doubt, ``mutualwatch rebuild-search-index`` rebuilds the whole index.

A query matches documents containing every word of it, each also as a prefix ("leis"
finds "leisure"), the same on both databases.
"""

import re
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.urls import reverse

from mutualwatch.procurement.models import AwardSupplier, ProcurementProcess
from mutualwatch.publishing.models import SearchDocument, SearchKind
from mutualwatch.publishing.queries import published_arrangements, published_providers
from mutualwatch.register.models import Authority, Provider, ServiceArea

WORD = re.compile(r"\w+", re.UNICODE)
MAX_RESULTS = 50
BATCH = 1000


def query_words(text: str) -> list[str]:
    """The words of a query, without operators or punctuation either engine might misread."""
    return WORD.findall(text.lower())[:12]


def authority_document(authority: Authority) -> SearchDocument:
    arrangements = published_arrangements().filter(authority=authority)
    delivered = {f"{a.service_area.name} {a.provider.name}" for a in arrangements}
    return SearchDocument(
        kind=SearchKind.AUTHORITY,
        key=authority.gss_code,
        title=authority.name,
        body=" ".join(
            [authority.gss_code, authority.get_kind_display(), authority.region, *sorted(delivered)]
        ),
        url=reverse("authority-detail", args=[authority.gss_code]),
    )


def provider_document(provider: Provider) -> SearchDocument:
    arrangements = published_arrangements().filter(provider=provider)
    return SearchDocument(
        kind=SearchKind.PROVIDER,
        key=str(provider.uid),
        title=provider.name,
        body=" ".join(
            [
                provider.get_legal_form_display(),
                *provider.former_names.values_list("name", flat=True),
                *provider.identifiers.values_list("identifier", flat=True),
                *sorted({f"{a.service_area.name} {a.authority.name}" for a in arrangements}),
            ]
        ),
        url=reverse("provider-detail", args=[provider.uid]),
    )


def service_area_document(area: ServiceArea) -> SearchDocument:
    return SearchDocument(
        kind=SearchKind.SERVICE_AREA,
        key=area.code,
        title=area.name,
        body=area.description,
        url=reverse("service-area-detail", args=[area.code]),
    )


def _store(documents: Iterable[SearchDocument]) -> None:
    for document in documents:
        SearchDocument.objects.update_or_create(
            kind=document.kind,
            key=document.key,
            defaults={"title": document.title, "body": document.body, "url": document.url},
        )


def index_authority(authority: Authority) -> None:
    _store([authority_document(authority)])


def index_provider(provider: Provider) -> None:
    """Index a published provider; remove one that is not (or no longer) published."""
    if published_providers().filter(pk=provider.pk).exists():
        _store([provider_document(provider)])
    else:
        SearchDocument.objects.filter(kind=SearchKind.PROVIDER, key=str(provider.uid)).delete()


def index_service_area(area: ServiceArea) -> None:
    _store([service_area_document(area)])


def unindex(kind: str, key: str) -> None:
    SearchDocument.objects.filter(kind=kind, key=key).delete()


def contract_documents() -> Iterator[SearchDocument]:
    """Every compiled procurement process: its title, buyer and suppliers."""
    processes = ProcurementProcess.objects.filter(compiled__isnull=False).order_by("ocid")
    suppliers: dict[str, list[str]] = {}
    for ocid, name in AwardSupplier.objects.values_list("award__process_id", "name"):
        suppliers.setdefault(ocid, []).append(name)
    for ocid, title, buyer in processes.values_list("ocid", "title", "buyer_name").iterator():
        yield SearchDocument(
            kind=SearchKind.CONTRACT,
            key=ocid,
            title=title or ocid,
            body=" ".join([ocid, buyer, *sorted(set(suppliers.get(ocid, [])))]),
            url=reverse("contract-detail", args=[ocid]),
        )


def all_documents() -> Iterator[SearchDocument]:
    for authority in Authority.objects.all():
        yield authority_document(authority)
    for provider in published_providers():
        yield provider_document(provider)
    for area in ServiceArea.objects.all():
        yield service_area_document(area)
    yield from contract_documents()


@transaction.atomic
def rebuild_search_index() -> int:
    """Replace the index with one built from scratch. Returns how many documents."""
    SearchDocument.objects.all().delete()
    count = 0
    batch: list[SearchDocument] = []
    for document in all_documents():
        batch.append(document)
        if len(batch) == BATCH:
            count += len(SearchDocument.objects.bulk_create(batch))
            batch = []
    return count + len(SearchDocument.objects.bulk_create(batch))


def search(text: str, kind: str = "") -> list[SearchDocument]:
    """Documents matching every word of ``text``, best first."""
    words = query_words(text)
    if not words:
        return []
    ids = _matching_ids(words)
    documents = SearchDocument.objects.in_bulk(ids)
    found = [documents[i] for i in ids if i in documents]
    return [d for d in found if not kind or d.kind == kind]


def _matching_ids(words: list[str]) -> list[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = " & ".join(f"{word}:*" for word in words)
            cursor.execute(
                "SELECT id FROM publishing_searchdocument "
                "WHERE to_tsvector('english', title || ' ' || body) "
                "@@ to_tsquery('english', %s) "
                "ORDER BY ts_rank(to_tsvector('english', title || ' ' || body), "
                "to_tsquery('english', %s)) DESC, title LIMIT %s",
                [query, query, MAX_RESULTS],
            )
        else:
            query = " ".join(f'"{word}"*' for word in words)
            cursor.execute(
                "SELECT rowid FROM publishing_search_fts WHERE publishing_search_fts MATCH %s "
                "ORDER BY rank LIMIT %s",
                [query, MAX_RESULTS],
            )
        return [row[0] for row in cursor.fetchall()]
