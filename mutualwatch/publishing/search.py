"""Full-text search across the public register.

Only what is public is indexed: every authority and service area, published providers
with the services they deliver, every procurement process (public notices) and published
guidance documents (``guidance``). The register's and the guidance library's part is kept
in step by signal handlers (``publishing.signals``); procurement is bulk-loaded without
per-row signals, so ``mutualwatch ingest-ocds`` indexes the processes it compiled when it
finishes (``procurement.signals.ingest_finished``). Whenever in doubt,
``mutualwatch rebuild-search-index`` rebuilds the whole index.

A document has a title (what a visitor reads), names (every name the record is known by, as
keys: a council's official names, current and former, its short name and the names lookup's
spellings; a provider's former names; a service's name) and a body (what it holds: a
council's services and who delivered them, a provider's numbers, a contract's buyer and
suppliers; a guidance document's kind, topics and latest text). A match in the title or
the names is a name match.

A query matches documents containing every word of it, each also as a prefix ("leis" finds
"leisure"). A council also matches without the words that only give a council's style
("Dralby Borough Council" finds Dralby District Council). Results come in groups, one per
kind, councils, providers, services, contracts and guidance in that order, a group with a name match
before any without. Within a group: name matches, those one of whose names is the whole
query first ("Dralby" is Dralby District Council's short name), then the shortest titles
(those the query says most of), then by title; then matches in the body only, by title.
Only lengths and code points order results, never an engine's score, so SQLite (FTS5) and
PostgreSQL (tsvector) give the same results in the same order. Each group reads at most
``MAX_RESULTS`` and one more: enough to count "50+".
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse

from mutualwatch.councils.importers import name_keys, spelling_key, without_style_words
from mutualwatch.councils.models import AuthorityName
from mutualwatch.councils.queries import known_names
from mutualwatch.guidance.models import Document
from mutualwatch.guidance.queries import published_documents
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
#: How many of each group a search of every kind shows; the group's own search shows the rest.
SHOWN_IN_GROUP = 10
BATCH = 1000


def query_words(text: str) -> list[str]:
    """The words of a query, without operators or punctuation either engine might misread."""
    return WORD.findall(text.lower())[:12]


def names_text(keys: Iterable[str]) -> str:
    """The ``names`` of a document: each key on its own line, with a line break before the first
    and after each, so that a whole key is found as itself between two line breaks."""
    lines = sorted({key for key in keys if key})
    return "".join(f"\n{line}" for line in lines) + "\n" if lines else ""


def _chunks[Key: (int, str)](keys: Iterable[Key]) -> Iterator[list[Key]]:
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def authority_documents(pks: Iterable[int]) -> Iterator[SearchDocument]:
    """The documents of these authorities: every name each is known by, and the services each
    has delivered by whom."""
    for chunk in _chunks(pks):
        delivered: dict[int, set[str]] = defaultdict(set)
        arrangements = published_arrangements().filter(authority__in=chunk)
        for authority_id, service, provider in arrangements.values_list(
            "authority_id", "service_area__name", "provider__name"
        ):
            delivered[authority_id].add(f"{service} {provider}")
        authorities = list(Authority.objects.filter(pk__in=chunk))
        names = known_names(authorities)
        for authority in authorities:
            yield SearchDocument(
                kind=SearchKind.AUTHORITY,
                key=authority.gss_code,
                title=authority.name,
                names=names_text(
                    key
                    for name in {authority.name, *names[authority.pk]}
                    for key in name_keys(name)
                ),
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
    """The documents of these providers, if published: names, former names, numbers and what
    they deliver."""
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
                names=names_text(map(spelling_key, [provider.name, *names[provider.pk]])),
                body=" ".join(
                    [
                        provider.get_legal_form_display(),
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
        names=names_text([spelling_key(area.name)]),
        body=area.description,
        url=reverse("service-area-detail", args=[area.code]),
    )


#: What a document holds besides its kind and key.
STORED = ["title", "names", "body", "url"]


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
        elif any(getattr(old, field) != getattr(document, field) for field in STORED):
            for field in STORED:
                setattr(old, field, getattr(document, field))
            changed.append(old)
    SearchDocument.objects.bulk_update(changed, STORED)
    SearchDocument.objects.bulk_create(new)


def index_authorities(pks: Iterable[int]) -> None:
    _store(authority_documents(pks))


def said_by_current_name(spelling: AuthorityName) -> bool:
    """Whether the name of the authority a spelling is linked to (if already read) gives
    every key the spelling does: such a spelling adds nothing to its document."""
    if not AuthorityName.authority.is_cached(spelling):
        return False
    authority = spelling.authority
    return authority is not None and name_keys(spelling.name) <= name_keys(authority.name)


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


def index_unnamed() -> None:
    """Index again the councils and providers indexed before documents had names (migration
    0005): each has at least its own name now. Cheap when there are none (one query), so it
    runs after every migration."""
    unnamed: dict[str, list[str]] = defaultdict(list)
    documents = SearchDocument.objects.filter(
        kind__in=[SearchKind.AUTHORITY, SearchKind.PROVIDER], names=""
    )
    for kind, key in documents.values_list("kind", "key"):
        unnamed[kind].append(key)
    for keys in _chunks(unnamed[SearchKind.AUTHORITY]):
        index_authorities(Authority.objects.filter(gss_code__in=keys).values_list("pk", flat=True))
    for keys in _chunks(unnamed[SearchKind.PROVIDER]):
        index_providers(Provider.objects.filter(uid__in=keys).values_list("pk", flat=True))


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


def guidance_documents(pks: Iterable[int]) -> Iterator[SearchDocument]:
    """The documents of these guidance documents, if published: the title, who wrote or
    adopted it, its kind and topics, and the text of its latest version."""
    for chunk in _chunks(pks):
        documents = (
            published_documents()
            .filter(pk__in=chunk)
            .prefetch_related("topics", "versions")
            .order_by("pk")
        )
        for document in documents:
            versions = sorted(document.versions.all(), key=lambda version: version.number)
            yield SearchDocument(
                kind=SearchKind.GUIDANCE,
                key=str(document.uid),
                title=document.title,
                names=names_text([spelling_key(document.title)]),
                body=" ".join(
                    [
                        document.get_kind_display(),
                        document.author,
                        *(topic.name for topic in document.topics.all()),
                        versions[-1].text if versions else "",
                    ]
                ),
                url=reverse("guidance:document", args=[document.pk]),
            )


def index_guidance(pks: Iterable[int]) -> None:
    """Index published guidance documents; remove those that are not (or no longer)."""
    pks = set(pks)
    documents = list(guidance_documents(pks))
    _store(documents)
    indexed = {d.key for d in documents}
    for chunk in _chunks(pks):
        uids = {
            str(uid) for uid in Document.objects.filter(pk__in=chunk).values_list("uid", flat=True)
        }
        SearchDocument.objects.filter(kind=SearchKind.GUIDANCE, key__in=uids - indexed).delete()


def all_documents() -> Iterator[SearchDocument]:
    yield from authority_documents(Authority.objects.values_list("pk", flat=True))
    yield from provider_documents(published_providers().values_list("pk", flat=True))
    for area in ServiceArea.objects.all():
        yield service_area_document(area)
    yield from contract_documents()
    yield from guidance_documents(published_documents().values_list("pk", flat=True))


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


#: Each kind's group, in the order the groups come (a group with a name match before any without).
GROUP_LABELS = {
    SearchKind.AUTHORITY: "Councils",
    SearchKind.PROVIDER: "Providers",
    SearchKind.SERVICE_AREA: "Services",
    SearchKind.CONTRACT: "Contracts",
    SearchKind.GUIDANCE: "Guidance",
}


@dataclass(frozen=True)
class SearchResult:
    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class ResultGroup:
    """The matches of one kind: the first of them, and how many there are (up to
    ``MAX_RESULTS`` and one more, which reads "50+")."""

    kind: str
    results: list[SearchResult]
    found: int
    #: whether a name of any of them holds every word
    named: bool

    @property
    def label(self) -> str:
        return GROUP_LABELS[SearchKind(self.kind)]

    @property
    def count(self) -> str:
        return f"{MAX_RESULTS}+" if self.found > MAX_RESULTS else str(self.found)

    @property
    def more(self) -> bool:
        """Whether the group's own search shows more of them than this one does."""
        return len(self.results) < min(self.found, MAX_RESULTS)


def search(text: str, kind: str = "") -> list[ResultGroup]:
    """The documents matching ``text`` (of one kind, if given), in groups by kind, in the
    order this module's docstring gives. A search of every kind shows the first
    ``SHOWN_IN_GROUP`` of each group; a search of one kind shows up to ``MAX_RESULTS``. Two
    queries at most: the matches in the body are only looked for in the groups whose names
    give fewer than ``MAX_RESULTS`` and one more."""
    words = query_words(text)
    if not words:
        return []
    kinds = [kind] if kind else list(GROUP_LABELS)
    wanted = MAX_RESULTS + 1
    named: dict[str, list[SearchResult]] = {each: [] for each in kinds}
    rows = _read(
        NAME_MATCHES,
        [[*_whole_query(text, each), _every_word(each, words), each, wanted] for each in kinds],
    )
    for found_kind, title, url, _whole in sorted(rows, key=_closest_first):
        named[found_kind].append(SearchResult(found_kind, title, url))
    mentioned: dict[str, list[SearchResult]] = defaultdict(list)
    short = [each for each in kinds if len(named[each]) < wanted]
    if short:
        rows = _read(
            BODY_MATCHES,
            [[*[_every_word(each, words)] * 2, each, wanted - len(named[each])] for each in short],
        )
        for found_kind, title, url in sorted(rows, key=lambda row: row[1]):
            mentioned[found_kind].append(SearchResult(found_kind, title, url))
    shown = MAX_RESULTS if kind else SHOWN_IN_GROUP
    groups = [
        ResultGroup(
            kind=each,
            results=(named[each] + mentioned[each])[:shown],
            found=len(named[each]) + len(mentioned[each]),
            named=bool(named[each]),
        )
        for each in kinds
        if named[each] or mentioned[each]
    ]
    return sorted(groups, key=lambda group: not group.named)


def _closest_first(row: tuple[str, str, str, bool]) -> tuple[bool, int, str]:
    """A name match's place in its group: the whole query as one of its names, then the
    shortest title, then the title by code point (what the queries below order by too)."""
    _kind, title, _url, whole = row
    return (not whole, len(title), title)


def _whole_query(text: str, kind: str) -> list[str]:
    """The two lines a document's names hold if one of them is the whole query: a council's
    as written and as the place it names (the same line twice for other kinds)."""
    keys = name_keys(text) if kind == SearchKind.AUTHORITY else {spelling_key(text)}
    lines = sorted(f"\n{key}\n" for key in keys if key) or ["\n\n"]  # "\n\n": in no names
    return (lines * 2)[:2]


def _every_word(kind: str, words: list[str]) -> str:
    """Every word, each also as a prefix, in the engine's query language; for a council, not
    the words that only give a council's style."""
    if kind == SearchKind.AUTHORITY:
        words = without_style_words(words)
    if connection.vendor == "postgresql":
        return " & ".join(f"{word}:*" for word in words)
    return " ".join(f'"{word}"*' for word in words)


# One statement a kind, joined by UNION ALL. Name matches take the two lines of
# ``_whole_query``, the words (``_every_word``), the kind and a limit; matches in the body only
# take the words twice, the kind and a limit. name_vector and search_vector: PostgreSQL's
# stored generated columns; publishing_search_fts: SQLite's FTS5 table (migration 0005).
# PostgreSQL orders titles by code point (COLLATE "C"), as SQLite does.
NAME_MATCHES = {
    "postgresql": (
        "(SELECT kind, title, url, strpos(names, %s) > 0 OR strpos(names, %s) > 0 AS whole "
        "FROM publishing_searchdocument "
        "WHERE name_vector @@ to_tsquery('english', %s) AND kind = %s "
        'ORDER BY whole DESC, length(title), title COLLATE "C" LIMIT %s)'
    ),
    "sqlite": (
        "SELECT * FROM (SELECT d.kind, d.title, d.url, "
        "instr(d.names, %s) > 0 OR instr(d.names, %s) > 0 AS whole "
        "FROM publishing_search_fts JOIN publishing_searchdocument d "
        "ON d.id = publishing_search_fts.rowid "
        "WHERE publishing_search_fts MATCH '{title names} : (' || %s || ')' AND d.kind = %s "
        "ORDER BY whole DESC, length(d.title), d.title LIMIT %s)"
    ),
}
BODY_MATCHES = {
    "postgresql": (
        "(SELECT kind, title, url FROM publishing_searchdocument "
        "WHERE search_vector @@ to_tsquery('english', %s) "
        "AND NOT name_vector @@ to_tsquery('english', %s) AND kind = %s "
        'ORDER BY title COLLATE "C" LIMIT %s)'
    ),
    "sqlite": (
        "SELECT * FROM (SELECT d.kind, d.title, d.url "
        "FROM publishing_search_fts JOIN publishing_searchdocument d "
        "ON d.id = publishing_search_fts.rowid "
        "WHERE publishing_search_fts MATCH '(' || %s || ') NOT {title names} : (' || %s || ')' "
        "AND d.kind = %s ORDER BY d.title LIMIT %s)"
    ),
}


def _read(statements: dict[str, str], arms: list[list[str | int]]) -> list[tuple]:
    """The rows of one statement for each arm's parameters, in one query."""
    sql = " UNION ALL ".join([statements[connection.vendor]] * len(arms))
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter for arm in arms for parameter in arm])
        return cursor.fetchall()
