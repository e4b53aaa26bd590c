"""Pure transforms: a compiled release in, plain row dicts for the normalised tables out.

No database here. Text fields become "" rather than None, cut to their columns' lengths (so
rows go to the database as they are), dates become aware datetimes (None
when absent or unreadable), amounts become Decimals to the penny (None when absent or not a
number). OCDS 1.0 data has no ``parties`` array: its organisations are collected from the
buyer, procuring entity, tenderers and suppliers instead, so both versions fill one table.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.db import models

from mutualwatch.procurement.models import (
    Amendment,
    Award,
    AwardSupplier,
    Classification,
    Contract,
    Lot,
    NoticeSuggestion,
    Party,
    PartyIdentifier,
    ProcurementProcess,
    Tender,
    roles_text,
)
from mutualwatch.register.models import EventType
from mutualwatch.untrusted_text import without_bidi_controls

PENNY = Decimal("0.01")
LARGEST_AMOUNT = Decimal("1e20")
NOTICE_TYPE = re.compile(r"^UK\d{1,2}$")


def column_lengths(model: type[models.Model]) -> dict[str, int]:
    """The model's text columns and their lengths, which normalise cuts text to."""
    return {
        f.name: f.max_length
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and f.max_length
    }


# Read from the models once, at import: normalise runs for every process an ingest compiles.
PROCESS = column_lengths(ProcurementProcess)
TENDER = column_lengths(Tender)
LOT = column_lengths(Lot)
AWARD = column_lengths(Award)
SUPPLIER_NAME = column_lengths(AwardSupplier)["name"]
CONTRACT = column_lengths(Contract)
AMENDMENT = column_lengths(Amendment)
CLASSIFICATION = column_lengths(Classification)
NOTICE = column_lengths(NoticeSuggestion)
PARTY = column_lengths(Party)
IDENTIFIER = column_lengths(PartyIdentifier)
# An award's or contract's id as its amendments and classifications name it.
PARENT_ID = min(AMENDMENT["parent_id"], CLASSIFICATION["parent_id"])
# Party.roles is one text column with no length; each role (a codelist word) is cut so that a
# release cannot fill it with one made-up role.
ROLE = 100

# Procurement Act 2023 notices (as Find a Tender publishes them in `documents[].noticeType`)
# and the register event a reviewer should consider for each. None: no register event fits
# (pipeline and engagement notices, payment and performance reports); they are still listed.
PA2023_NOTICES: dict[str, tuple[str, str | None]] = {
    "UK1": ("Pipeline notice", None),
    "UK2": ("Preliminary market engagement notice", None),
    "UK3": ("Planned procurement notice", None),
    "UK4": ("Tender notice", EventType.RE_TENDER),
    "UK5": ("Transparency notice", EventType.CONTRACT_AWARD),
    "UK6": ("Contract award notice", EventType.CONTRACT_AWARD),
    "UK7": ("Contract details notice", EventType.CONTRACT_AWARD),
    "UK8": ("Payments compliance notice", None),
    "UK9": ("Contract performance notice", None),
    "UK10": ("Contract change notice", EventType.EXTENSION),
    "UK11": ("Contract termination notice", EventType.CLOSURE),
    "UK12": ("Procurement termination notice", None),
    "UK13": ("Dynamic market notice: establishment", None),
    "UK14": ("Dynamic market notice: modification", None),
    "UK15": ("Dynamic market notice: cessation", None),
    "UK16": ("Utilities dynamic market notice", None),
    "UK17": ("Contract change voluntary standstill notice", EventType.EXTENSION),
}


# The keys of each kind of row normalise makes, in the order it makes them (the writer sends
# the values in this order; a test checks every row against it).
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "tender": (
        "tender_id",
        "title",
        "description",
        "status",
        "procurement_method",
        "procurement_method_details",
        "main_procurement_category",
        "value_amount",
        "value_currency",
        "period_start",
        "period_end",
        "number_of_tenderers",
    ),
    "lot": ("lot_id", "title", "description", "status", "value_amount", "value_currency"),
    "award": (
        "award_id",
        "title",
        "description",
        "status",
        "date",
        "value_amount",
        "value_currency",
        "contract_period_start",
        "contract_period_end",
        "suppliers",  # [(party id or None, name)], written to their own table
    ),
    "contract": (
        "contract_id",
        "award_id",
        "title",
        "description",
        "status",
        "value_amount",
        "value_currency",
        "period_start",
        "period_end",
        "date_signed",
    ),
    "amendment": ("stage", "parent_id", "amendment_id", "date", "rationale", "description"),
    "classification": (
        "stage",
        "parent_id",
        "item_id",
        "scheme",
        "code",
        "description",
        "is_primary",
    ),
    "notice": ("notice_id", "notice_type", "notice_name", "event_type", "published", "url"),
    "party": (
        "name",
        "identifier_scheme",
        "identifier_id",
        "legal_name",
        "street_address",
        "locality",
        "region",
        "postal_code",
        "country_name",
    ),
}


@dataclass
class PartyRow:
    party_id: str
    fields: dict[str, Any]
    roles: set[str] = field(default_factory=set)
    identifiers: list[tuple[str, str, bool]] = field(default_factory=list)


@dataclass
class NormalisedProcess:
    process: dict[str, Any]
    tender: dict[str, Any] | None
    lots: list[dict[str, Any]]
    parties: list[PartyRow]
    awards: list[dict[str, Any]]  # each with "suppliers": [(party_id or None, name)]
    contracts: list[dict[str, Any]]
    amendments: list[dict[str, Any]]
    classifications: list[dict[str, Any]]
    notices: list[dict[str, Any]]
    buyer_party_id: str | None
    buyer_identifiers: list[tuple[str, str]]


def text(value: Any) -> str:
    if type(value) is str:  # nearly always: the fast way first
        return value.strip()
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def org_name(value: Any) -> str:
    """An organisation's name as shown: ``text`` without bidirectional controls."""
    return without_bidi_controls(text(value))


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def parse_datetime(value: Any) -> datetime | None:
    """An OCDS date-time as an aware datetime (UTC when no offset is given), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or abs(amount) >= LARGEST_AMOUNT:
        return None
    return amount.quantize(PENNY, rounding=ROUND_HALF_EVEN)


# Tender, Lot, Award and Contract each have a value_currency column.
CURRENCY = min(m["value_currency"] for m in (TENDER, LOT, AWARD, CONTRACT))


def value_fields(value: Any, prefix: str = "value") -> dict[str, Any]:
    value = obj(value)
    return {
        f"{prefix}_amount": parse_amount(value.get("amount")),
        f"{prefix}_currency": text(value.get("currency"))[:CURRENCY],
    }


def period_fields(period: Any, start: str, end: str) -> dict[str, Any]:
    period = obj(period)
    return {
        start: parse_datetime(period.get("startDate")),
        end: parse_datetime(period.get("endDate")),
    }


def normalise(compiled: dict[str, Any]) -> NormalisedProcess:
    tender = obj(compiled.get("tender"))
    parties = _Parties(objects(compiled.get("parties")))
    buyer_ref = obj(compiled.get("buyer"))
    buyer_party_id = parties.reference(buyer_ref, "buyer") if buyer_ref else None
    if buyer_party_id is None:
        buyer_party_id = parties.first_with_role("buyer")
    parties.reference(obj(tender.get("procuringEntity")), "procuringEntity")
    for tenderer in objects(tender.get("tenderers")):
        parties.reference(tenderer, "tenderer")

    awards = []
    for award in objects(compiled.get("awards")):
        suppliers = []
        for supplier in objects(award.get("suppliers")):
            suppliers.append(
                (
                    parties.reference(supplier, "supplier"),
                    org_name(supplier.get("name"))[:SUPPLIER_NAME],
                )
            )
        awards.append(
            {
                "award_id": text(award.get("id"))[: AWARD["award_id"]],
                "title": text(award.get("title")),
                "description": text(award.get("description")),
                "status": text(award.get("status"))[: AWARD["status"]],
                "date": parse_datetime(award.get("date")),
                **value_fields(award.get("value")),
                **period_fields(
                    award.get("contractPeriod"), "contract_period_start", "contract_period_end"
                ),
                "suppliers": suppliers,
            }
        )

    contracts = [
        {
            "contract_id": text(contract.get("id"))[: CONTRACT["contract_id"]],
            "award_id": text(contract.get("awardID"))[: CONTRACT["award_id"]],
            "title": text(contract.get("title")),
            "description": text(contract.get("description")),
            "status": text(contract.get("status"))[: CONTRACT["status"]],
            **value_fields(contract.get("value")),
            **period_fields(contract.get("period"), "period_start", "period_end"),
            "date_signed": parse_datetime(contract.get("dateSigned")),
        }
        for contract in objects(compiled.get("contracts"))
    ]

    tender_row = None
    if tender:
        tenderers = tender.get("numberOfTenderers")
        tender_row = {
            "tender_id": text(tender.get("id"))[: TENDER["tender_id"]],
            "title": text(tender.get("title")),
            "description": text(tender.get("description")),
            "status": text(tender.get("status"))[: TENDER["status"]],
            "procurement_method": text(tender.get("procurementMethod"))[
                : TENDER["procurement_method"]
            ],
            "procurement_method_details": text(tender.get("procurementMethodDetails")),
            "main_procurement_category": text(tender.get("mainProcurementCategory"))[
                : TENDER["main_procurement_category"]
            ],
            **value_fields(tender.get("value")),
            **period_fields(tender.get("tenderPeriod"), "period_start", "period_end"),
            "number_of_tenderers": tenderers
            if isinstance(tenderers, int) and not isinstance(tenderers, bool) and tenderers >= 0
            else None,
        }

    lots = [
        {
            "lot_id": text(lot.get("id"))[: LOT["lot_id"]],
            "title": text(lot.get("title")),
            "description": text(lot.get("description")),
            "status": text(lot.get("status"))[: LOT["status"]],
            **value_fields(lot.get("value")),
        }
        for lot in objects(tender.get("lots"))
    ]

    amendments: list[dict[str, Any]] = []
    classifications: list[dict[str, Any]] = []
    _stage_details(tender, "tender", "", amendments, classifications)
    for award in objects(compiled.get("awards")):
        _stage_details(
            award, "award", text(award.get("id"))[:PARENT_ID], amendments, classifications
        )
    for contract in objects(compiled.get("contracts")):
        _stage_details(
            contract, "contract", text(contract.get("id"))[:PARENT_ID], amendments, classifications
        )

    buyer_row = parties.rows.get(buyer_party_id) if buyer_party_id else None
    buyer_name = org_name(buyer_ref.get("name")) or (buyer_row.fields["name"] if buyer_row else "")
    buyer_identifiers = [(s, i) for s, i, _ in buyer_row.identifiers] if buyer_row else []
    title = text(tender.get("title")) or next(
        (a["title"] for a in awards if a["title"]), next((c["title"] for c in contracts), "")
    )
    process = {
        "title": title,
        "buyer_name": buyer_name[: PROCESS["buyer_name"]],
        "buyer_identifier": "-".join(buyer_identifiers[0]) if buyer_identifiers else "",
        "procurement_method": text(tender.get("procurementMethod"))[
            : PROCESS["procurement_method"]
        ],
    }
    return NormalisedProcess(
        process=process,
        tender=tender_row,
        lots=lots,
        parties=list(parties.rows.values()),
        awards=awards,
        contracts=contracts,
        amendments=amendments,
        classifications=classifications,
        notices=notices(compiled),
        buyer_party_id=buyer_party_id,
        buyer_identifiers=buyer_identifiers,
    )


def _stage_details(
    stage_object: dict[str, Any],
    stage: str,
    parent_id: str,
    amendments: list[dict[str, Any]],
    classifications: list[dict[str, Any]],
) -> None:
    found = objects(stage_object.get("amendments"))
    legacy = obj(stage_object.get("amendment"))  # OCDS 1.0's single amendment
    if legacy:
        found.append(legacy)
    for amendment in found:
        amendments.append(
            {
                "stage": stage,
                "parent_id": parent_id,
                "amendment_id": text(amendment.get("id"))[: AMENDMENT["amendment_id"]],
                "date": parse_datetime(amendment.get("date")),
                "rationale": text(amendment.get("rationale")),
                "description": text(amendment.get("description")),
            }
        )
    for item in objects(stage_object.get("items")):
        pairs = [(obj(item.get("classification")), True)] + [
            (c, False) for c in objects(item.get("additionalClassifications"))
        ]
        for classification, is_primary in pairs:
            code = text(classification.get("id"))
            if not code:
                continue
            classifications.append(
                {
                    "stage": stage,
                    "parent_id": parent_id,
                    "item_id": text(item.get("id"))[: CLASSIFICATION["item_id"]],
                    "scheme": text(classification.get("scheme"))[: CLASSIFICATION["scheme"]],
                    "code": code[: CLASSIFICATION["code"]],
                    "description": text(classification.get("description")),
                    "is_primary": is_primary,
                }
            )


def notices(compiled: dict[str, Any]) -> list[dict[str, Any]]:
    """Procurement Act 2023 notices named in the release's documents, one per notice."""
    documents = objects(obj(compiled.get("planning")).get("documents"))
    documents += objects(obj(compiled.get("tender")).get("documents"))
    for award in objects(compiled.get("awards")):
        documents += objects(award.get("documents"))
    for contract in objects(compiled.get("contracts")):
        documents += objects(contract.get("documents"))
        documents += objects(obj(contract.get("implementation")).get("documents"))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for document in documents:
        notice_type = text(document.get("noticeType")).upper()
        if not NOTICE_TYPE.match(notice_type) or notice_type not in PA2023_NOTICES:
            continue
        notice_id = text(document.get("id"))[: NOTICE["notice_id"]]
        name, event_type = PA2023_NOTICES[notice_type]
        url = text(document.get("url"))[: NOTICE["url"]]
        found.setdefault(
            (notice_id, notice_type),
            {
                "notice_id": notice_id,
                "notice_type": notice_type,
                "notice_name": name,
                "event_type": event_type or "",
                "published": parse_datetime(document.get("datePublished")),
                "url": url if url.startswith(("http://", "https://")) else "",
            },
        )
    return [found[key] for key in sorted(found)]


class _Parties:
    """The process's organisations, from `parties` and from organisation references."""

    def __init__(self, parties: list[dict[str, Any]]) -> None:
        self.rows: dict[str, PartyRow] = {}
        for index, party in enumerate(parties):
            party_id = (text(party.get("id")) or f"party:{index}")[: PARTY["party_id"]]
            row = self._row(party_id, party)
            row.roles.update(text(r)[:ROLE] for r in party.get("roles") or [] if text(r))
            self.rows.setdefault(party_id, row)

    @staticmethod
    def _row(party_id: str, org: dict[str, Any]) -> PartyRow:
        identifier = obj(org.get("identifier"))
        address = obj(org.get("address"))
        row = PartyRow(
            party_id=party_id[: PARTY["party_id"]],
            fields={
                "name": org_name(org.get("name"))[: PARTY["name"]],
                "identifier_scheme": text(identifier.get("scheme"))[: PARTY["identifier_scheme"]],
                "identifier_id": text(identifier.get("id"))[: PARTY["identifier_id"]],
                "legal_name": org_name(identifier.get("legalName"))[: PARTY["legal_name"]],
                "street_address": text(address.get("streetAddress")),
                "locality": text(address.get("locality"))[: PARTY["locality"]],
                "region": text(address.get("region"))[: PARTY["region"]],
                "postal_code": text(address.get("postalCode"))[: PARTY["postal_code"]],
                "country_name": text(address.get("countryName"))[: PARTY["country_name"]],
            },
        )
        seen = set()
        for ident, primary in [(identifier, True)] + [
            (i, False) for i in objects(org.get("additionalIdentifiers"))
        ]:
            scheme = text(ident.get("scheme"))[: IDENTIFIER["scheme"]]
            value = text(ident.get("id"))[: IDENTIFIER["identifier"]]
            if value and (scheme, value) not in seen:
                seen.add((scheme, value))
                row.identifiers.append((scheme, value, primary))
        return row

    def reference(self, org: dict[str, Any], role: str) -> str | None:
        """The party an organisation reference points to, made up from it if need be."""
        if not org:
            return None
        ref_id = text(org.get("id"))
        if ref_id and ref_id in self.rows:
            return ref_id
        identifier = obj(org.get("identifier"))
        key = "|".join(
            [text(org.get("name")), text(identifier.get("scheme")), text(identifier.get("id"))]
        )
        # One organisation named in several places (buyer, tenderer, supplier) is one party.
        party_id = (ref_id or f"org:{key}")[: PARTY["party_id"]]
        row = self.rows.get(party_id)
        if row is None:
            row = self.rows[party_id] = self._row(party_id, org)
        row.roles.add(role)
        return row.party_id

    def first_with_role(self, role: str) -> str | None:
        return next((pid for pid, row in self.rows.items() if role in row.roles), None)


class DerivedRows(NamedTuple):
    """One process's normalised rows as tuples of values in ROW_FIELDS' order, ready for the
    database but for what the writer adds: the ocid, and the keys of parties and awards, which
    rows refer to here by their position among the process's parties or awards. Tuples (this
    one included) travel between processes several times cheaper than dicts or dataclasses.
    """

    process: dict[str, Any]
    buyer_identifiers: tuple[tuple[str, str], ...]
    buyer_position: int | None  # among the parties
    tender: tuple[Any, ...] | None
    lots: list[tuple[Any, ...]]
    contracts: list[tuple[Any, ...]]
    amendments: list[tuple[Any, ...]]
    classifications: list[tuple[Any, ...]]
    notices: list[tuple[Any, ...]]
    parties: list[tuple[Any, ...]]  # (party_id, *ROW_FIELDS["party"], roles as Party.roles)
    identifiers: list[tuple[int, str, str, bool]]  # (party position, scheme, id, is_primary)
    awards: list[tuple[Any, ...]]  # ROW_FIELDS["award"] less suppliers
    suppliers: list[tuple[int, int | None, str]]  # (award position, party position, name)


def derived_rows(normalised: NormalisedProcess) -> DerivedRows:
    position_of: dict[str, int] = {}
    parties, identifiers = [], []
    for position, party in enumerate(normalised.parties):
        position_of[party.party_id] = position
        parties.append((party.party_id, *party.fields.values(), roles_text(party.roles)))
        identifiers += [(position, *identifier) for identifier in party.identifiers]
    awards, suppliers = [], []
    for position, award in enumerate(normalised.awards):
        values = tuple(award.values())
        awards.append(values[:-1])  # the last is its suppliers
        suppliers += [
            (position, position_of.get(party_id) if party_id else None, name)
            for party_id, name in values[-1]
        ]
    buyer = normalised.buyer_party_id
    return DerivedRows(
        process=normalised.process,
        buyer_identifiers=tuple(normalised.buyer_identifiers),
        buyer_position=position_of.get(buyer) if buyer else None,
        tender=None if normalised.tender is None else tuple(normalised.tender.values()),
        lots=[tuple(row.values()) for row in normalised.lots],
        contracts=[tuple(row.values()) for row in normalised.contracts],
        amendments=[tuple(row.values()) for row in normalised.amendments],
        classifications=[tuple(row.values()) for row in normalised.classifications],
        notices=[tuple(row.values()) for row in normalised.notices],
        parties=parties,
        identifiers=identifiers,
        awards=awards,
        suppliers=suppliers,
    )
