"""Persons-with-significant-control statements in BODS 0.2, one file per company as the
OpenOwnership register publishes them (`GB-COH_<number>_bods.json`).

A member-owned mutual, co-operative or CIC has no person with significant control; a trading
company is controlled by its council; a contractor by a person; a taken-over provider by its
acquirer from the takeover date, its earlier statement ending that day.
"""

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from mutualwatch.demoworld.histories import Company, Provider, World
from mutualwatch.demoworld.parameters import PRIVATE_FORM
from mutualwatch.demoworld.randomness import draw_uuid, stream

Statement = dict[str, Any]

BODS_FOLDER = "bods"
PUBLICATION = {
    "publicationDate": "2026-01-01",
    "bodsVersion": "0.2",
    "publisher": {"name": "Fictional PSC register (mutualwatch demo world)"},
}
PSC_SOURCE = {
    "type": ["officialRegister"],
    "description": "GB Persons Of Significant Control Register (fictional demo world)",
    "url": "https://register.example.org/psc",
    "retrievedAt": "2026-01-01T00:00:00Z",
}
GB = {"name": "United Kingdom of Great Britain and Northern Ireland", "code": "GB"}
MAJORITY_SHAREHOLDING = {
    "type": "shareholding",
    "details": "ownership-of-shares-75-to-100-percent",
    "share": {"minimum": 75, "maximum": 100, "exclusiveMinimum": False, "exclusiveMaximum": False},
}


class StatementIds:
    """Statement ids drawn from the company's own stream, so files are reproducible."""

    def __init__(self, seed: int, number: str) -> None:
        self.rng = stream(seed, "bods", number)

    def next(self) -> str:
        return f"mwdemo-{draw_uuid(self.rng)}"


def company_statement(statement_id: str, company: Company) -> Statement:
    street, town, code = company.address
    return {
        "statementID": statement_id,
        "statementType": "entityStatement",
        "entityType": "registeredEntity",
        "name": company.name.upper(),
        "incorporatedInJurisdiction": GB,
        "identifiers": [
            {"scheme": "GB-COH", "schemeName": "Companies House", "id": company.number}
        ],
        "foundingDate": company.incorporated_on.isoformat(),
        "addresses": [
            {"type": "registered", "address": f"{street}, {town}, {code}", "country": "GB"}
        ],
        "publicationDetails": PUBLICATION,
    }


def control_statement(
    statement_id: str,
    subject_id: str,
    interested_party: dict[str, Any],
    start: datetime.date,
    end: datetime.date | None,
    interest: dict[str, Any],
) -> Statement:
    detail = dict(interest, startDate=start.isoformat())
    if end is not None:
        detail["endDate"] = end.isoformat()
    return {
        "statementID": statement_id,
        "statementType": "ownershipOrControlStatement",
        "statementDate": start.isoformat(),
        "subject": {"describedByEntityStatement": subject_id},
        "interestedParty": interested_party,
        "interests": [detail],
        "publicationDetails": PUBLICATION,
        "source": PSC_SOURCE,
    }


def statements_for(
    world: World, provider: Provider, acquirers: dict[str, Provider]
) -> list[Statement]:
    """Every statement about one provider's company, entity statements before the ownership
    statements that refer to them."""
    company = provider.company
    assert company is not None
    ids = StatementIds(world.parameters.seed, company.number)
    subject = company_statement(ids.next(), company)
    statements = [subject]
    if provider.legal_form == PRIVATE_FORM:
        person_id = ids.next()
        statements.append(
            {
                "statementID": person_id,
                "statementType": "personStatement",
                "personType": "knownPerson",
                "names": [{"type": "individual", "fullName": provider.beneficial_owner}],
                "nationalities": [GB],
                "publicationDetails": PUBLICATION,
            }
        )
        statements.append(
            control_statement(
                ids.next(), subject["statementID"], {"describedByPersonStatement": person_id},
                company.incorporated_on, None, MAJORITY_SHAREHOLDING,
            )
        )  # fmt: skip
        return statements
    for control in provider.controls:
        if control.controller_kind == "employees-or-members":
            party: dict[str, Any] = {
                "unspecified": {
                    "reason": "no-beneficial-owners",
                    "description": "Owned by its members; no person has significant control.",
                }
            }
        else:
            entity_id = ids.next()
            entity: Statement = {
                "statementID": entity_id,
                "statementType": "entityStatement",
                "entityType": "legalEntity"
                if control.controller_kind == "council"
                else "registeredEntity",
                "name": control.controller_name,
                "incorporatedInJurisdiction": GB,
                "publicationDetails": PUBLICATION,
            }
            acquirer = acquirers.get(control.controller_uid)
            if acquirer is not None and acquirer.company is not None:
                entity["identifiers"] = [
                    {
                        "scheme": "GB-COH",
                        "schemeName": "Companies House",
                        "id": acquirer.company.number,
                    }
                ]
            statements.append(entity)
            party = {"describedByEntityStatement": entity_id}
        statements.append(
            control_statement(
                ids.next(), subject["statementID"], party, control.start, control.end,
                MAJORITY_SHAREHOLDING,
            )
        )  # fmt: skip
    return statements


def companies_with_statements(world: World) -> Iterator[Provider]:
    for provider in [*world.private_firms, *world.spun_out]:
        if provider.company is not None and provider.company.register == "ch":
            yield provider


def write_ownership(world: World, out: Path) -> int:
    """Write one BODS file per world company on Companies House; returns the file count."""
    folder = out / BODS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    acquirers = {firm.uid: firm for firm in world.private_firms}
    count = 0
    for provider in companies_with_statements(world):
        assert provider.company is not None
        path = folder / f"GB-COH_{provider.company.number}_bods.json"
        path.write_bytes(
            orjson.dumps(statements_for(world, provider, acquirers), option=orjson.OPT_INDENT_2)
        )
        count += 1
    return count
