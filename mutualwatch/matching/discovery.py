"""Bodies that look like spin-outs or outsourcings the register does not hold yet.

A linked supplier is a candidate when the registers say it is a community interest company,
a society, a body Co-operatives UK lists, or a company a council controls, and it won awards
from a council for services (CPV divisions 50 to 98); and no register provider is that body.
"""

from collections import defaultdict
from typing import Any

import pyarrow as pa

from mutualwatch.matching.models import LINKED, CandidateBody, CandidateReason, Link
from mutualwatch.matching.suggestions import council_named
from mutualwatch.procurement.queries import service_awards_of
from mutualwatch.register.models import ProviderIdentifier
from mutualwatch.registers import store
from mutualwatch.registers.identifiers import register_identifier


def looks_like_a_spin_out(
    connection: store.Connection, bodies: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(reason, detail) for each body the registers mark as one a council might spin out."""
    if not bodies:
        return {}
    registers, numbers = zip(*sorted(bodies), strict=True)
    connection.register("wanted", pa.table({"register": registers, "number": numbers}))
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for (number,) in connection.execute(
        "SELECT number FROM wanted WHERE register = 'societies'"
    ).fetchall():
        found[("societies", number)] = (CandidateReason.SOCIETY, "")
    for register, number, form in connection.execute(
        "SELECT w.register, w.number, f.legal_form FROM wanted w JOIN cooperative_forms f "
        "USING (register, number)"
    ).fetchall():
        found.setdefault((register, number), (CandidateReason.CO_OPERATIVE, form))
    for number, category in connection.execute(
        "SELECT c.number, c.category FROM companies c JOIN wanted w ON w.number = c.number "
        "AND w.register = 'companies-house' WHERE lower(c.category) LIKE '%community interest%'"
    ).fetchall():
        found.setdefault(("companies-house", number), (CandidateReason.CIC, category))
    for number, name in connection.execute(
        "SELECT c.subject_number, c.controller_name FROM controls c JOIN wanted w "
        "ON w.number = c.subject_number AND w.register = 'companies-house' "
        "WHERE c.controller_name IS NOT NULL AND c.end_on IS NULL"
    ).fetchall():
        if council := council_named(name):
            found[("companies-house", number)] = (CandidateReason.COUNCIL_CONTROLLED, council)
    connection.unregister("wanted")
    return found


def providers_bodies() -> set[tuple[str, str]]:
    """Bodies the register already holds as providers: linked, or by their identifiers."""
    held = {
        (register, number)
        for register, number in Link.objects.filter(
            provider__isnull=False, decision__in=LINKED
        ).values_list("register", "number")
    }
    for scheme, identifier in ProviderIdentifier.objects.values_list("scheme", "identifier"):
        body = register_identifier(scheme, identifier)
        if body[1]:
            held.add(body)
    return held


def discover_candidates() -> int:
    """Refresh the candidate list; a dismissed candidate stays dismissed. Returns how many
    candidates are open."""
    links = {
        key: (register, number)
        for key, register, number in Link.objects.filter(
            provider__isnull=True, decision__in=LINKED
        ).values_list("key", "register", "number")
    }
    if not links:
        return 0
    held = providers_bodies()
    with store.connect(read_only=True) as connection:
        marked = looks_like_a_spin_out(connection, set(links.values()) - held)
        if not marked:
            return 0
        wanted = [key for key, body in links.items() if body in marked]
        connection.register("keys", pa.table({"key": wanted}))
        mentions = connection.execute(
            "SELECT DISTINCT key, ocid FROM mentions WHERE role = 'supplier' "
            "AND key IN (SELECT key FROM keys)"
        ).fetchall()
        connection.unregister("keys")
    ocids_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, ocid in mentions:
        ocids_of[links[key]].add(ocid)
    names = {
        (register, number): name
        for register, number, name in Link.objects.filter(key__in=wanted).values_list(
            "register", "number", "published_name"
        )
    }
    rows: dict[tuple[str, str, int], CandidateBody] = {}
    for body, ocids in ocids_of.items():
        for award in service_awards_of(sorted(ocids)):
            row_key = (*body, award["authority_id"])
            if row_key not in rows:
                reason, detail = marked[body]
                rows[row_key] = CandidateBody(
                    register=body[0], number=body[1], name=names.get(body, body[1])[:300],
                    reason=reason, reason_detail=detail[:300],
                    authority_id=award["authority_id"], evidence=[],
                )  # fmt: skip
            rows[row_key].evidence.append(evidence_of(award))
    CandidateBody.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["register", "number", "authority"],
        update_fields=["name", "reason", "reason_detail", "evidence"],
    )
    return CandidateBody.objects.filter(status="open").count()


def evidence_of(award: dict[str, Any]) -> dict[str, Any]:
    return {
        "ocid": award["ocid"],
        "title": award["title"],
        "cpv": award["code"],
        "cpv_description": award["description"],
        "date": award["date"],
    }
