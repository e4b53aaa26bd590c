"""The suppliers a release names, as published: pure functions from a release to its mentions.

A supplier is a party with the "supplier" role, or (OCDS 1.0, which has no parties) an
organisation an award lists among its suppliers. Each mention keeps what the notice said of
it: its name, identifier, address and the notice's date (a company dissolved before that date
cannot be the supplier).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Contracts Finder often leaves postalCode empty and ends the street address with the postcode.
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}\b")


@dataclass(frozen=True)
class Mention:
    role: str  # supplier, or tenderer (a bidder: losing bidders are linked too)
    ocid: str
    release_id: str
    party_id: str
    name: str
    scheme: str
    identifier: str
    street: str
    locality: str
    postcode: str
    notice_date: str  # YYYY-MM-DD, or "" when the release has no usable date


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def postcode_in(address: dict[str, Any]) -> str:
    for part in ("streetAddress", "locality", "region"):
        found = POSTCODE.findall(text(address.get(part)).upper())
        if found:
            return str(found[-1])
    return ""


def organisation_mention(
    role: str, ocid: str, release_id: str, date: str, org: dict[str, Any], party_id: str
) -> Mention:
    identifier: dict[str, Any] = (
        org["identifier"] if isinstance(org.get("identifier"), dict) else {}
    )
    address: dict[str, Any] = org["address"] if isinstance(org.get("address"), dict) else {}
    return Mention(
        role=role,
        ocid=ocid,
        release_id=release_id,
        party_id=party_id,
        name=text(org.get("name")),
        scheme=text(identifier.get("scheme")),
        identifier=text(identifier.get("id")) or text(str(identifier.get("id") or "")),
        street=text(address.get("streetAddress")),
        locality=text(address.get("locality")),
        postcode=text(address.get("postalCode")).upper() or postcode_in(address),
        notice_date=date[:10] if len(date) >= 10 else "",
    )


def supplier_mentions(ocid: str, release_id: str, date: str, release: Any) -> Iterator[Mention]:
    """Every supplier the release names, then every other bidder, once per party."""
    if not isinstance(release, dict):
        return
    parties = [p for p in release.get("parties") or [] if isinstance(p, dict)]
    seen: set[str] = set()
    for role in ("supplier", "tenderer"):
        for party in parties:
            roles: list[Any] = party["roles"] if isinstance(party.get("roles"), list) else []
            party_id = text(party.get("id")) or text(party.get("name"))
            if role in roles and party_id not in seen:
                seen.add(party_id)
                yield organisation_mention(role, ocid, release_id, date, party, party_id)
    by_id = {text(p.get("id")): p for p in parties}
    for award in release.get("awards") or []:
        if not isinstance(award, dict):
            continue
        for org in award.get("suppliers") or []:
            if not isinstance(org, dict):
                continue
            party_id = text(org.get("id")) or f"org:{text(org.get('name'))}"
            if party_id in seen:
                continue
            seen.add(party_id)
            described = by_id.get(text(org.get("id"))) or org
            yield organisation_mention("supplier", ocid, release_id, date, described, party_id)
