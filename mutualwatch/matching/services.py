"""Linking every supplier and register provider to the registered body it is.

Identifiers first (a Companies House, society or charity number in the notice), then the
probabilistic linker and a unique identical name for the rest (docs/registers.md). A
candidate dissolved before the supplier's first notice is never the supplier. Researchers'
judgements always win.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from mutualwatch.matching import bodies as sql
from mutualwatch.matching import linker
from mutualwatch.matching.discovery import discover_candidates
from mutualwatch.matching.models import JUDGEMENTS, LINKED, Decision, Link, LinkRun
from mutualwatch.matching.suggestions import suggest_register_events
from mutualwatch.matching.suppliers import Mention, supplier_mentions
from mutualwatch.procurement.queries import release_documents
from mutualwatch.register.models import Provider
from mutualwatch.registers import mirror, store
from mutualwatch.registers.identifiers import register_identifier
from mutualwatch.spreadsheets import SafeWriter

# Above AUTOMATIC a link is made without review; between REVIEW and AUTOMATIC it waits for a
# researcher. A best candidate within AMBIGUOUS of the next one always waits.
AUTOMATIC = 0.95
REVIEW = 0.5
AMBIGUOUS = 0.05
# Pairs scored below this are dropped (but for a body with exactly the supplier's name).
SCORED = 0.001
CANDIDATES_KEPT = 3
BATCH = 50_000
EXPORT_COLUMNS = [
    "ocid", "release_id", "party_id", "party_name", "register", "identifier",
    "match_probability", "decision",
]  # fmt: skip
PROVIDER_SCHEMES = {"GB-COH", "GB-MPR", "GB-CHC", "GB-SC", "GB-NIC"}


@dataclass
class LinkSummary:
    mentions: int = 0
    suppliers: int = 0
    providers: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    suggestions: int = 0
    candidates: int = 0
    seconds: float = 0.0


def mention_batches(mentions: Iterable[Mention]) -> Iterable[pa.Table]:
    names = list(Mention.__dataclass_fields__)
    columns: dict[str, list[str]] = {name: [] for name in names}
    count = 0
    for mention in mentions:
        for name in names:
            columns[name].append(getattr(mention, name))
        count += 1
        if count == BATCH:
            yield pa.table(columns)
            columns = {name: [] for name in names}
            count = 0
    if count:
        yield pa.table(columns)


def all_mentions(progress: Callable[[str, int], None]) -> Iterable[Mention]:
    for ocid, release_id, date, release in release_documents():
        yield from supplier_mentions(ocid, release_id, date, release)
        progress("releases read", 1)


def provider_mentions() -> Iterable[Mention]:
    """Register providers, as if named by a notice of their own: key "provider:<uid>"."""
    providers = Provider.objects.exclude(legal_form="in-house").prefetch_related("identifiers")
    for provider in providers:
        identifier = next(
            (i for i in provider.identifiers.all() if i.scheme in PROVIDER_SCHEMES), None
        )
        yield Mention(
            role="provider",
            ocid="",
            release_id="",
            party_id=f"provider:{provider.uid}",
            name=provider.name,
            scheme=identifier.scheme if identifier else "",
            identifier=identifier.identifier if identifier else "",
            street="",
            locality="",
            postcode="",
            notice_date="",
        )


def load_mentions(connection: store.Connection, progress: Callable[[str, int], None]) -> None:
    connection.execute(sql.MENTIONS)
    for mentions in (all_mentions(progress), provider_mentions()):
        for batch in mention_batches(mentions):
            connection.register("batch", batch)
            connection.execute(
                "INSERT INTO mentions SELECT role, ocid, release_id, party_id, name, scheme, "
                "identifier, street, locality, postcode, notice_date, "
                f"CASE WHEN starts_with(party_id, 'provider:') THEN party_id "
                f"ELSE {sql.key_sql()} END FROM batch"
            )
            connection.unregister("batch")


def identifier_links(connection: store.Connection) -> dict[str, tuple[str, str]]:
    rows = connection.execute(
        "SELECT unique_id, scheme, identifier FROM suppliers WHERE identifier <> ''"
    ).fetchall()
    found = {}
    for key, scheme, identifier in rows:
        register, number = register_identifier(scheme, identifier)
        if number:
            found[key] = (register, number)
    return found


def body_details(connection: store.Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    connection.register("wanted", pa.table({"unique_id": sorted(ids)}))
    rows = connection.execute(
        "SELECT unique_id, register, number, name, status, incorporated_on, dissolved_on, "
        "address FROM bodies WHERE unique_id IN (SELECT unique_id FROM wanted)"
    ).fetchall()
    connection.unregister("wanted")
    keys = ("unique_id", "register", "number", "name", "status", "incorporated_on",
            "dissolved_on", "address")  # fmt: skip
    return {row[0]: dict(zip(keys, row, strict=True)) for row in rows}


def possible(body: dict[str, Any], first_notice: datetime.date | None) -> bool:
    """A body dissolved before the supplier's first notice is not it. (One incorporated after
    it may be: a business re-registered under a new number keeps trading as before.)"""
    return (
        first_notice is None
        or body["dissolved_on"] is None
        or (body["dissolved_on"] >= first_notice)
    )


def candidate_entry(body: dict[str, Any], pair: dict[str, Any]) -> dict[str, Any]:
    return {
        "unique_id": body["unique_id"],
        "register": body["register"],
        "number": body["number"],
        "name": body["name"],
        "status": body["status"],
        "incorporated_on": body["incorporated_on"].isoformat() if body["incorporated_on"] else "",
        "dissolved_on": body["dissolved_on"].isoformat() if body["dissolved_on"] else "",
        "address": body["address"],
        "probability": round(pair["probability"], 4),
        "weights": pair["weights"],
    }


def decide(
    candidates: list[dict[str, Any]], same_name: list[str]
) -> tuple[str, dict[str, Any] | None]:
    """The decision on one supplier from its candidates (best first) and the possible bodies
    whose cleaned name is exactly its own.

    One possible body with exactly the supplier's name is the supplier, whatever its address
    (notices often give a trading address, not the registered office): the probabilistic
    score cannot say so, since with one true body among millions even an identical rare name
    only brings the odds to about even.
    """
    if len(same_name) == 1:
        chosen = next((c for c in candidates if c["unique_id"] == same_name[0]), None)
        if chosen is not None and all(
            c["probability"] < AUTOMATIC for c in candidates if c is not chosen
        ):
            return Decision.AUTOMATIC, chosen
    if not candidates:
        return Decision.UNLINKED, None
    best = candidates[0]
    runner_up = candidates[1]["probability"] if len(candidates) > 1 else 0.0
    if best["probability"] >= AUTOMATIC and best["probability"] - runner_up > AMBIGUOUS:
        return Decision.AUTOMATIC, best
    if best["probability"] >= REVIEW:
        return Decision.NEEDS_REVIEW, best
    return Decision.UNLINKED, None


def probabilistic_links(
    connection: store.Connection, backend: str, exclude: set[str], spark_master: str = "local[*]"
) -> dict[str, list[dict[str, Any]]]:
    """For each supplier without an identifier link, its possible candidates, best first."""
    connection.register("identified", pa.table({"unique_id": sorted(exclude) or [""]}))
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE to_link AS SELECT unique_id, name_clean, first_word, "
        "last_word, postcode, postcode_district, town FROM suppliers "
        "WHERE unique_id NOT IN (SELECT unique_id FROM identified) AND name_clean <> ''"
    )
    connection.unregister("identified")
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE link_bodies AS SELECT unique_id, name_clean, first_word, "
        "last_word, postcode, postcode_district, town FROM bodies WHERE name_clean <> ''"
    )
    count = store.first(connection.execute("SELECT count(*) FROM to_link"))
    if not count or not count[0]:
        return {}
    if backend == "spark":
        with tempfile.TemporaryDirectory(dir=store.store_path().parent) as folder:
            left, right = Path(folder) / "suppliers.parquet", Path(folder) / "bodies.parquet"
            connection.execute(f"COPY to_link TO '{left}' (FORMAT parquet)")
            connection.execute(f"COPY link_bodies TO '{right}' (FORMAT parquet)")
            session = linker.spark_session(spark_master, str(Path(folder) / "checkpoints"))
            pairs = linker.predict("spark", session, str(left), str(right), SCORED)
    else:
        pairs = linker.predict(backend, connection, "to_link", "link_bodies", SCORED)
    notices = dict(
        connection.execute(
            "SELECT unique_id, first_notice_on FROM suppliers "
            "WHERE unique_id IN (SELECT unique_id FROM to_link)"
        ).fetchall()
    )
    suppliers = set(notices)
    details = body_details(
        connection, {p["body"] if p["supplier"] in suppliers else p["supplier"] for p in pairs}
    )
    by_supplier: dict[str, list[dict[str, Any]]] = {}
    for pair in pairs:
        supplier, body_id = pair["supplier"], pair["body"]
        if supplier not in suppliers:
            supplier, body_id = body_id, supplier
        body = details.get(body_id)
        if body is None or not possible(body, notices.get(supplier)):
            continue
        by_supplier.setdefault(supplier, []).append(candidate_entry(body, pair))
    for supplier, candidates in by_supplier.items():
        # A pair found by two blocking rules is one candidate.
        best: dict[str, dict[str, Any]] = {}
        for candidate in candidates:
            known = best.get(candidate["unique_id"])
            if known is None or candidate["probability"] > known["probability"]:
                best[candidate["unique_id"]] = candidate
        by_supplier[supplier] = sorted(
            best.values(), key=lambda c: (-c["probability"], c["register"], c["number"])
        )
    return by_supplier


def same_names(connection: store.Connection) -> dict[str, list[str]]:
    """For each supplier to link, the bodies whose cleaned name is exactly its own and that
    were not dissolved before its first notice."""
    rows = connection.execute(
        "SELECT s.unique_id, list(b.unique_id ORDER BY b.unique_id) FROM to_link t "
        "JOIN suppliers s USING (unique_id) JOIN bodies b ON b.name_clean = t.name_clean "
        "WHERE s.first_notice_on IS NULL OR b.dissolved_on IS NULL "
        "OR b.dissolved_on >= s.first_notice_on GROUP BY s.unique_id"
    ).fetchall()
    return {key: list(ids) for key, ids in rows}


def link_suppliers(
    backend: str = "duckdb",
    progress: Callable[[str, int], None] = lambda _step, _count: None,
    spark_master: str = "local[*]",
) -> LinkSummary:
    """Link every supplier in the stored releases, and every register provider; rerunnable."""
    started = timezone.now()
    summary = LinkSummary()
    with store.connect() as connection:
        load_mentions(connection, progress)
        sql.prepare(connection)
        connection.execute(sql.SUPPLIERS)
        suppliers = connection.execute(
            "SELECT unique_id, name, scheme, identifier, postcode_published, mentions, "
            "first_notice_on FROM suppliers"
        ).fetchall()
        identified = identifier_links(connection)
        progress("linking", 0)
        candidates = probabilistic_links(connection, backend, set(identified), spark_master)
        exact = same_names(connection)
        identified_bodies = body_details(
            connection, {f"{register}:{number}" for register, number in identified.values()}
        )
        summary.mentions = int(store.first(connection.execute("SELECT count(*) FROM mentions"))[0])
        decisions = write_links(suppliers, identified, identified_bodies, candidates, exact)
        linked = {
            (link.register, link.number)
            for link in Link.objects.filter(decision__in=LINKED).only("register", "number")
            if link.number
        }
        mirror.copy_bodies(connection, linked)
    summary.suggestions = suggest_register_events()
    summary.candidates = discover_candidates()
    LinkRun.objects.create(kind="link-suppliers")
    summary.suppliers = sum(1 for row in suppliers if not row[0].startswith("provider:"))
    summary.providers = len(suppliers) - summary.suppliers
    summary.decisions = decisions
    summary.seconds = (timezone.now() - started).total_seconds()
    return summary


def write_links(
    suppliers: list[tuple[Any, ...]],
    identified: dict[str, tuple[str, str]],
    identified_bodies: dict[str, dict[str, Any]],
    candidates: dict[str, list[dict[str, Any]]],
    exact: dict[str, list[str]],
) -> dict[str, int]:
    judged = set(Link.objects.filter(decision__in=JUDGEMENTS).values_list("key", flat=True))
    providers = {f"provider:{uid}": pk for pk, uid in Provider.objects.values_list("pk", "uid")}
    rows = []
    counts: dict[str, int] = {}
    for key, name, scheme, identifier, postcode, mentions, first_notice in suppliers:
        published = f"{scheme}-{identifier}" if scheme and identifier else identifier
        link = Link(
            key=key,
            provider_id=providers.get(key),
            published_name=name[:500],
            published_identifier=published[:300],
            postcode=(postcode or "")[:20],
            mentions=0 if key.startswith("provider:") else mentions,
            first_notice_on=first_notice,
        )
        if key in identified:
            register, number = identified[key]
            body = identified_bodies.get(f"{register}:{number}")
            link.register, link.number = register, number
            link.match_probability = 1.0
            link.decision = Decision.IDENTIFIER
            link.candidates = (
                [candidate_entry(body, {"probability": 1.0, "weights": {}})] if body else []
            )
        else:
            found = candidates.get(key, [])
            decision, best = decide(found, exact.get(key, []))
            link.decision = decision
            kept = found[:CANDIDATES_KEPT]
            if best is not None and best not in kept:
                kept = [best, *kept[: CANDIDATES_KEPT - 1]]
            link.candidates = kept
            if best is not None:
                link.register, link.number = best["register"], best["number"]
                link.match_probability = best["probability"]
        counts[link.decision] = counts.get(link.decision, 0) + (key not in judged)
        rows.append(link)
    with transaction.atomic():
        Link.objects.bulk_create(
            [row for row in rows if row.key not in judged],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[
                "provider", "published_name", "published_identifier", "postcode", "mentions",
                "first_notice_on", "register", "number", "match_probability", "decision",
                "candidates", "linked_at",
            ],
        )  # fmt: skip
        for row in rows:
            if row.key in judged:
                Link.objects.filter(key=row.key).update(
                    mentions=row.mentions, first_notice_on=row.first_notice_on
                )
    counts["judged earlier"] = len(judged)
    return counts


def export_supplier_links(path: Path) -> int:
    """One row per supplier party of each release; returns the rows written."""
    links = {
        key: (register, number, probability, decision)
        for key, register, number, probability, decision in Link.objects.values_list(
            "key", "register", "number", "match_probability", "decision"
        )
    }
    written = 0
    with store.connect(read_only=True) as connection, path.open("w", newline="") as handle:
        writer = SafeWriter(handle)
        writer.writerow(EXPORT_COLUMNS)
        result = connection.execute(
            "SELECT ocid, release_id, party_id, name, key FROM mentions "
            "WHERE role = 'supplier' ORDER BY ocid, release_id, party_id"
        )
        while batch := result.fetchmany(10_000):
            for ocid, release_id, party_id, name, key in batch:
                register, number, probability, decision = links.get(key, ("", "", None, ""))
                linked = decision not in (Decision.UNLINKED, Decision.REJECTED, "")
                writer.writerow([
                    ocid, release_id, party_id, name,
                    register if linked else "", number if linked else "",
                    "" if probability is None or not linked else f"{probability:.4f}",
                    decision,
                ])  # fmt: skip
                written += 1
    return written


def mention_links() -> dict[tuple[str, str, str], tuple[str, str] | None]:
    """Every mention (ocid, release_id, party_id), suppliers and bidders alike, and the body it
    is linked to (None when not linked)."""
    made = {
        key: (register, number)
        for key, register, number in Link.objects.filter(decision__in=LINKED).values_list(
            "key", "register", "number"
        )
    }
    with store.connect(read_only=True) as connection:
        rows = connection.execute(
            "SELECT ocid, release_id, party_id, key FROM mentions WHERE role <> 'provider'"
        ).fetchall()
    return {(ocid, release, party): made.get(key) for ocid, release, party, key in rows}


def naive_name_links() -> dict[tuple[str, str, str], tuple[str, str] | None]:
    """The baseline the linker is measured against: each mention linked to the one body whose
    cleaned name is exactly its own (no identifiers, no addresses, no dates)."""
    with store.connect() as connection:
        sql.prepare(connection)
        rows = connection.execute(
            """
            WITH unique_names AS (
                SELECT name_clean, any_value(register) AS register, any_value(number) AS number
                FROM bodies WHERE name_clean <> '' GROUP BY name_clean HAVING count(*) = 1
            )
            SELECT m.ocid, m.release_id, m.party_id, u.register, u.number
            FROM mentions m LEFT JOIN unique_names u ON u.name_clean = clean_name(m.name)
            WHERE m.role <> 'provider'
            """
        ).fetchall()
    return {
        (ocid, release, party): (register, number) if number else None
        for ocid, release, party, register, number in rows
    }
