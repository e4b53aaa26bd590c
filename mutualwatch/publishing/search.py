"""Full-text search across the public register.

Only what is public is indexed: every authority and service area, published providers
with the services they deliver, and every procurement process (public notices). The
register's part is kept in step by signal handlers (``publishing.signals``); procurement is
bulk-loaded without per-row signals, so ``mutualwatch ingest-ocds`` indexes the processes it
compiled when it finishes (``procurement.signals.ingest_finished``). Whenever in doubt,
``mutualwatch rebuild-search-index`` rebuilds the whole index.

A query matches documents containing every word of it, each also as a prefix ("leis"
finds "leisure"), the same on both databases. Documents whose title holds every word come
first (PostgreSQL's ``ts_rank`` of the title vector, SQLite's ``bm25`` of the title column), then
those matching only in their body, by title; at most ``MAX_RESULTS`` in all, of one kind if
asked, the kind filtered in the query so that it never hides behind other kinds' matches.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse

from mutualwatch.procurement.models import AwardSupplier, ProcurementProcess
from mutualwatch.publishing.models import SearchDocument, SearchKind
from mutualwatch.publishing.queries import published_arrangements, published_providers
from mutualwatch.register.models import (
    Authority,
    Provider,
    ProviderIdentifier,
    ProviderName,
    ServiceArea,
)

WORD = re.compile(r"\w+", re.UNICODE)
MAX_RESULTS = 50
BATCH = 1000


def query_words(text: str) -> list[str]:
    """The words of a query, without operators or punctuation either engine might misread."""
    return WORD.findall(text.lower())[:12]


def _chunks(pks: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(pks))
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def authority_documents(pks: Iterable[int]) -> Iterator[SearchDocument]:
    """The documents of these authorities, with the services each has delivered by whom."""
    for chunk in _chunks(pks):
        delivered: dict[int, set[str]] = defaultdict(set)
        arrangements = published_arrangements().filter(authority__in=chunk)
        for authority_id, service, provider in arrangements.values_list(
            "authority_id", "service_area__name", "provider__name"
        ):
            delivered[authority_id].add(f"{service} {provider}")
        for authority in Authority.objects.filter(pk__in=chunk):
            yield SearchDocument(
                kind=SearchKind.AUTHORITY,
                key=authority.gss_code,
                title=authority.name,
                body=" ".join(
                    [
                        authority.gss_code,
                        authority.get_kind_display(),
                        authority.region,
                        *sorted(delivered[authority.pk]),
                    ]
                ),
                url=reverse("authority-detail", args=[authority.gss_code]),
            )


def provider_documents(pks: Iterable[int]) -> Iterator[SearchDocument]:
    """The documents of these providers, if published: names, numbers and what they deliver."""
    for chunk in _chunks(pks):
        names: dict[int, list[str]] = defaultdict(list)
        for provider_id, name in ProviderName.objects.filter(provider__in=chunk).values_list(
            "provider_id", "name"
        ):
            names[provider_id].append(name)
        numbers: dict[int, list[str]] = defaultdict(list)
        identifiers = ProviderIdentifier.objects.filter(provider__in=chunk)
        for provider_id, number in identifiers.values_list("provider_id", "identifier"):
            numbers[provider_id].append(number)
        delivered: dict[int, set[str]] = defaultdict(set)
        arrangements = published_arrangements().filter(provider__in=chunk)
        for provider_id, service, authority in arrangements.values_list(
            "provider_id", "service_area__name", "authority__name"
        ):
            delivered[provider_id].add(f"{service} {authority}")
        for provider in published_providers().filter(pk__in=chunk):
            yield SearchDocument(
                kind=SearchKind.PROVIDER,
                key=str(provider.uid),
                title=provider.name,
                body=" ".join(
                    [
                        provider.get_legal_form_display(),
                        *names[provider.pk],
                        *numbers[provider.pk],
                        *sorted(delivered[provider.pk]),
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


def _store(documents: Iterable[SearchDocument]) -> int:
    """Add the documents, or replace the ones already there: a few queries per thousand.
    Returns how many."""
    count = 0
    batch: list[SearchDocument] = []
    for document in documents:
        batch.append(document)
        count += 1
        if len(batch) == BATCH:
            _store_batch(batch)
            batch = []
    _store_batch(batch)
    return count


def _store_batch(documents: list[SearchDocument]) -> None:
    if not documents:
        return
    stored = {
        (d.kind, d.key): d
        for d in SearchDocument.objects.filter(
            kind__in={d.kind for d in documents}, key__in=[d.key for d in documents]
        )
    }
    changed, new = [], []
    for document in documents:
        old = stored.get((document.kind, document.key))
        if old is None:
            new.append(document)
        elif (old.title, old.body, old.url) != (document.title, document.body, document.url):
            old.title, old.body, old.url = document.title, document.body, document.url
            changed.append(old)
    SearchDocument.objects.bulk_update(changed, ["title", "body", "url"])
    SearchDocument.objects.bulk_create(new)


def index_authorities(pks: Iterable[int]) -> None:
    _store(authority_documents(pks))


def index_providers(pks: Iterable[int]) -> None:
    """Index published providers; remove those that are not (or no longer) published."""
    pks = set(pks)
    documents = list(provider_documents(pks))
    _store(documents)
    indexed = {d.key for d in documents}
    for chunk in _chunks(pks):
        uids = {
            str(uid) for uid in Provider.objects.filter(pk__in=chunk).values_list("uid", flat=True)
        }
        SearchDocument.objects.filter(kind=SearchKind.PROVIDER, key__in=uids - indexed).delete()


def index_authority(authority: Authority) -> None:
    index_authorities([authority.pk])


def index_provider(provider: Provider) -> None:
    index_providers([provider.pk])


def index_service_areas(areas: Iterable[ServiceArea]) -> None:
    _store(service_area_document(area) for area in areas)


def index_service_area(area: ServiceArea) -> None:
    index_service_areas([area])


def unindex(kind: str, key: str) -> None:
    SearchDocument.objects.filter(kind=kind, key=key).delete()


def contract_documents(since: datetime.datetime | None = None) -> Iterator[SearchDocument]:
    """Every compiled procurement process (or those compiled since a time): its title, buyer
    and suppliers. Read a batch of processes at a time, each batch with its suppliers: a
    national ingest compiles hundreds of thousands, too many to hold at once."""
    processes = ProcurementProcess.objects.filter(compiled__isnull=False)
    if since is not None:
        processes = processes.filter(compiled_at__gte=since)
    after = ""
    while True:
        batch = list(
            processes.filter(ocid__gt=after)
            .order_by("ocid")
            .values_list("ocid", "title", "buyer_name")[:BATCH]
        )
        if not batch:
            return
        suppliers: dict[str, list[str]] = {}
        named = AwardSupplier.objects.filter(award__process_id__in=[row[0] for row in batch])
        for ocid, name in named.values_list("award__process_id", "name"):
            suppliers.setdefault(ocid, []).append(name)
        for ocid, title, buyer in batch:
            yield SearchDocument(
                kind=SearchKind.CONTRACT,
                key=ocid,
                title=title or ocid,
                body=" ".join([ocid, buyer, *sorted(set(suppliers.get(ocid, [])))]),
                url=reverse("contract-detail", args=[ocid]),
            )
        after = batch[-1][0]


def index_contracts_compiled_since(since: datetime.datetime) -> int:
    """Index (or index again) the processes compiled since a time: what an ingest changed.
    Returns how many."""
    return _store(contract_documents(since))


def all_documents() -> Iterator[SearchDocument]:
    yield from authority_documents(Authority.objects.values_list("pk", flat=True))
    yield from provider_documents(published_providers().values_list("pk", flat=True))
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


@dataclass(frozen=True)
class SearchResult:
    kind: str
    title: str
    url: str

    @property
    def kind_label(self) -> str:
        return SearchKind(self.kind).label


def search(text: str, kind: str = "") -> list[SearchResult]:
    """Documents matching every word of ``text`` (of one kind, if given): first those whose
    title holds every word, the closest titles first; then those matching only with their
    body, by title. A page of results never reads more than it shows: the body's matches are
    only looked for when the titles give fewer than a page."""
    words = query_words(text)
    if not words:
        return []
    found = _matching(words, kind, MAX_RESULTS, in_title=True)
    if len(found) < MAX_RESULTS:
        found += _matching(words, kind, MAX_RESULTS - len(found), in_title=False)
    return found


# Each query takes the engine's query text, the kind ("" for every kind) twice, and the limit.
# title_vector and search_vector: stored generated columns (migrations 0003 and 0004).
TITLE_MATCHES = {
    "postgresql": (
        "SELECT kind, title, url FROM publishing_searchdocument, to_tsquery('english', %s) q "
        "WHERE title_vector @@ q AND (%s = '' OR kind = %s) "
        "ORDER BY ts_rank(title_vector, q, 1) DESC, title LIMIT %s"
    ),
    "sqlite": (
        "SELECT d.kind, d.title, d.url FROM publishing_search_fts "
        "JOIN publishing_searchdocument d ON d.id = publishing_search_fts.rowid "
        "WHERE publishing_search_fts MATCH %s AND (%s = '' OR d.kind = %s) "
        "ORDER BY bm25(publishing_search_fts, 1.0, 0.0), d.title LIMIT %s"
    ),
}
BODY_MATCHES = {
    "postgresql": (
        "SELECT kind, title, url FROM publishing_searchdocument, to_tsquery('english', %s) q "
        "WHERE search_vector @@ q AND NOT title_vector @@ q AND (%s = '' OR kind = %s) "
        "ORDER BY title LIMIT %s"
    ),
    "sqlite": (
        "SELECT d.kind, d.title, d.url FROM publishing_search_fts "
        "JOIN publishing_searchdocument d ON d.id = publishing_search_fts.rowid "
        "WHERE publishing_search_fts MATCH %s AND (%s = '' OR d.kind = %s) "
        "ORDER BY d.title LIMIT %s"
    ),
}


def _matching(words: list[str], kind: str, limit: int, *, in_title: bool) -> list[SearchResult]:
    """Matches of every word in the title (``in_title``), or in the body but not the title."""
    if connection.vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
    else:
        every_word = " ".join(f'"{word}"*' for word in words)
        query = (
            f"title : ({every_word})" if in_title else f"({every_word}) NOT title : ({every_word})"
        )
    statements = TITLE_MATCHES if in_title else BODY_MATCHES
    with connection.cursor() as cursor:
        cursor.execute(statements[connection.vendor], [query, kind, kind, limit])
        return [SearchResult(*row) for row in cursor.fetchall()]
