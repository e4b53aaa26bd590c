"""The world's procurement notices as OCDS 1.1 releases, with the habits of UK publishers.

Each procurement yields its releases (planning, tender, award, contract, amendments) and, beside
them, the ground truth: which company each published supplier name really is, and which ocids
belong to one procurement (split notices, duplicate notices).
"""

import datetime
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mutualwatch.demoworld.companies import background_company
from mutualwatch.demoworld.histories import (
    OCID_PREFIX,
    Company,
    Provider,
    Spell,
    World,
    companies_house_index,
)
from mutualwatch.demoworld.names import name_variant, trading_as, typo
from mutualwatch.demoworld.parameters import (
    CENSUS_DATE,
    IN_HOUSE_FORM,
    OCDS_START,
    PublicationHabits,
)
from mutualwatch.demoworld.randomness import stream
from mutualwatch.register.vocabulary import SERVICE_AREAS

Release = dict[str, Any]

SERVICE_NAMES = {code: name for code, name, _description in SERVICE_AREAS}
# CPV codes for the register's service areas (a plausible main code each).
SERVICE_CPV = {
    "adult-social-care": ("85310000", "Social work services"),
    "childrens-services": ("85311300", "Welfare services for children and young people"),
    "education-support": ("80000000", "Education and training services"),
    "public-health": ("85100000", "Health services"),
    "libraries": ("92511000", "Library services"),
    "leisure": ("92610000", "Sports facilities operation services"),
    "culture-heritage": ("92521000", "Museum services"),
    "youth-services": ("85312300", "Guidance and counselling services"),
    "housing-management": ("70330000", "Property management services of real estate"),
    "homelessness": ("85311000", "Social work services with accommodation"),
    "waste-collection": ("90511000", "Refuse collection services"),
    "waste-disposal": ("90510000", "Refuse disposal and treatment"),
    "street-cleaning": ("90610000", "Street-cleaning and sweeping services"),
    "highways": ("45233141", "Road-maintenance works"),
    "parks-grounds": ("77310000", "Planting and maintenance services of green areas"),
    "transport": ("60130000", "Special-purpose road passenger-transport services"),
    "planning-building-control": ("71250000", "Architectural, engineering and surveying services"),
    "environmental-health": ("90700000", "Environmental services"),
    "facilities-management": ("79993000", "Building and facilities management services"),
    "revenues-benefits": ("75130000", "Supporting services for the government"),
    "customer-services": ("79512000", "Call centre"),
    "it-services": ("72000000", "IT services"),
    "hr-payroll": ("79631000", "Personnel and payroll services"),
    "finance-back-office": ("79200000", "Accounting, auditing and fiscal services"),
    "legal-services": ("79100000", "Legal services"),
    "careers-services": ("85312320", "Advice services"),
    "community-services": ("85320000", "Social services"),
    "markets": ("70332000", "Non-residential property services"),
    "parking": ("98351000", "Car park management services"),
    "energy": ("09310000", "Electricity"),
}
# Everyday purchases: (CPV code, description, main procurement category).
BACKGROUND_PURCHASES = (
    ("30192000", "Office supplies", "goods"),
    ("34144000", "Special-purpose motor vehicles", "goods"),
    ("44111000", "Building materials", "goods"),
    ("45453000", "Overhaul and refurbishment work", "works"),
    ("45262000", "Special trade construction works", "works"),
    ("50700000", "Repair and maintenance services of building installations", "services"),
    ("72260000", "Software-related services", "services"),
    ("79340000", "Advertising and marketing services", "services"),
    ("79410000", "Business and management consultancy services", "services"),
    ("90911200", "Building-cleaning services", "services"),
    ("55520000", "Catering services", "services"),
    ("79620000", "Supply services of personnel including temporary staff", "services"),
)
PACKAGE_PUBLISHER = {"name": "Fictional Contracts Finder (mutualwatch demo world)"}
PACKAGE_LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PACKAGE_POLICY = "https://contracts.example.org/publication-policy"


@dataclass
class Supplier:
    """A supplier as it truly is: its company and, for the world's own, its provider."""

    company: Company
    provider_uid: str = ""


@dataclass
class Mention:
    """One supplier or tenderer as published in one release: the ground truth for matching."""

    ocid: str
    release_id: str
    party_id: str
    published_name: str
    published_identifier: str
    company: str
    provider: str
    habits: list[str]


@dataclass
class Procurement:
    """One procurement and everything it publishes, with its truth."""

    authority: str
    ocid: str
    kind: str
    releases: list[Release] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    split_ocid: str = ""
    duplicate_ocid: str = ""
    arrangement: str = ""
    supplier: Supplier | None = None
    value: int = 0
    contract_start: datetime.date | None = None
    contract_end: datetime.date | None = None
    service_area: str = ""

    def truth(self) -> dict[str, object]:
        assert self.supplier is not None
        return {
            "authority": self.authority,
            "ocid": self.ocid,
            "kind": self.kind,
            "all_ocids": sorted({release["ocid"] for release in self.releases}),
            "split_ocid": self.split_ocid,
            "duplicate_ocid": self.duplicate_ocid,
            "arrangement": self.arrangement,
            "service_area": self.service_area,
            "company": self.supplier.company.key,
            "provider": self.supplier.provider_uid,
            "value": self.value,
            "releases": len(self.releases),
        }


def timestamp(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def shift(day: datetime.date, days: int) -> datetime.date:
    return datetime.date.fromordinal(day.toordinal() + days)


def buyer_party(world_authority_name: str, gss_code: str, place: str) -> dict[str, Any]:
    return {
        "id": f"GB-GSS-{gss_code}",
        "name": world_authority_name,
        "roles": ["buyer"],
        "address": {"locality": place, "countryName": "United Kingdom"},
    }


def supplier_party(
    rng: random.Random,
    supplier: Supplier,
    habits: PublicationHabits,
    roles: list[str],
    party_id: str,
) -> tuple[dict[str, Any], list[str]]:
    """How one publisher wrote one supplier, and which habits it showed in doing so."""
    company = supplier.company
    shown: list[str] = []
    name = company.name
    if rng.random() < habits.name_variant:
        name = name_variant(name, rng)
        shown.append("name-variant")
    if rng.random() < habits.trading_as:
        name = trading_as(name, rng)
        shown.append("trading-as")
    if rng.random() < habits.typo:
        name = typo(name, rng)
        shown.append("typo")
    if rng.random() < habits.upper_case:
        name = name.upper()
        shown.append("upper-case")
    street, town, code = company.address
    if company.alternative_addresses and rng.random() < habits.alternative_address:
        street, town, code = rng.choice(company.alternative_addresses)
        shown.append("alternative-address")
    party: dict[str, Any] = {"id": party_id, "name": name, "roles": roles}
    if rng.random() < habits.supplier_without_identifier:
        shown.append("no-identifier")
        if rng.random() < habits.identifier_as_empty_strings:
            party["identifier"] = {"scheme": "", "id": ""}
    else:
        scheme = "GB-COH" if company.register == "ch" else "GB-MPR"
        party["identifier"] = {"scheme": scheme, "id": company.number, "legalName": company.name}
    party["address"] = {
        "streetAddress": street,
        "locality": town,
        "postalCode": code,
        "countryName": "United Kingdom",
    }
    return party, shown


class AuthorityProcurements:
    """Builds every procurement one authority published, in a fixed order."""

    def __init__(self, world: World, gss_code: str) -> None:
        self.world = world
        self.parameters = world.parameters
        self.habits = world.parameters.habits
        self.authority = next(a for a in world.authorities if a.gss_code == gss_code)
        self.providers = {provider.uid: provider for provider in world.providers()}
        self.world_indices = {
            companies_house_index(company.number)
            for company in world.companies()
            if company.register == "ch"
        }

    def buyer(self) -> dict[str, Any]:
        return buyer_party(self.authority.name, self.authority.gss_code, self.authority.place)

    def background_supplier(self, rng: random.Random) -> Supplier:
        """A supplier for an everyday purchase: a background company or, sometimes, one of the
        world's contractors."""
        if rng.random() < 0.2:
            firm = rng.choice(self.world.private_firms)
            assert firm.company is not None
            return Supplier(firm.company, firm.uid)
        index = rng.randrange(self.parameters.size.register_companies)
        while index in self.world_indices:
            index = rng.randrange(self.parameters.size.register_companies)
        return Supplier(background_company(self.parameters, index))

    def supplier_of(self, spell: Spell) -> Supplier:
        provider: Provider = self.providers[spell.provider_uid]
        assert provider.company is not None
        return Supplier(provider.company, provider.uid)

    def procurements(self) -> Iterator[Procurement]:
        for spell in self.world.spells_of(self.authority.gss_code):
            if spell.ocid and spell.provider_form != IN_HOUSE_FORM:
                yield self.arrangement_procurement(spell)
        per_year = self.parameters.size.background_procurements_per_council_year
        for year in range(OCDS_START.year, CENSUS_DATE.year + 1):
            rng = stream(self.parameters.seed, "procurements", self.authority.gss_code, year)
            for number in range(per_year):
                yield self.background_procurement(rng, year, number)

    def arrangement_procurement(self, spell: Spell) -> Procurement:
        """The notices of an arrangement: an open tender for an outsourcing or re-tender, a
        direct award (no tender notice) for a spin-out."""
        rng = stream(self.parameters.seed, "arrangement-notices", spell.uid)
        code, description = SERVICE_CPV[spell.service_area]
        procurement = Procurement(
            authority=self.authority.gss_code,
            ocid=spell.ocid,
            kind="arrangement",
            arrangement=spell.uid,
            supplier=self.supplier_of(spell),
            value=spell.value,
            service_area=spell.service_area,
        )
        award_day = shift(spell.start, -rng.randint(10, 40))
        planned_end = shift(spell.start, 365 * rng.choice((3, 5, 7, 10)) - 1)
        self.fill(
            rng,
            procurement,
            title=f"{SERVICE_NAMES[spell.service_area]} for {self.authority.name}",
            item=(code, description, "services"),
            method="limited" if spell.origin == "spin-out" else "open",
            award_day=award_day,
            start=spell.start,
            end=planned_end,
            amendments=spell.extensions,
        )
        return procurement

    def background_procurement(self, rng: random.Random, year: int, number: int) -> Procurement:
        code, description, category = rng.choice(BACKGROUND_PURCHASES)
        ocid = f"{OCID_PREFIX}-{self.authority.gss_code}-B{year}{number:05d}"
        award_day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        start = shift(award_day, rng.randint(10, 40))
        end = shift(start, rng.choice((182, 365, 730, 1095)) - 1)
        amendments = []
        if rng.random() < self.habits.contract_amendment:
            amendments.append(shift(end, -rng.randint(10, 60)))
        procurement = Procurement(
            authority=self.authority.gss_code,
            ocid=ocid,
            kind="background",
            supplier=self.background_supplier(rng),
            value=rng.randint(2, 2000) * 500,
        )
        self.fill(
            rng,
            procurement,
            title=f"{description} ({self.authority.place}, {year})",
            item=(code, description, category),
            method=rng.choice(("open", "selective", "limited")),
            award_day=award_day,
            start=start,
            end=end,
            amendments=[day for day in amendments if day <= CENSUS_DATE],
        )
        return procurement

    def fill(
        self,
        rng: random.Random,
        procurement: Procurement,
        *,
        title: str,
        item: tuple[str, str, str],
        method: str,
        award_day: datetime.date,
        start: datetime.date,
        end: datetime.date,
        amendments: list[datetime.date],
    ) -> None:
        """Write the procurement's releases, from planning to amendments, in date order."""
        assert procurement.supplier is not None
        procurement.contract_start, procurement.contract_end = start, end
        code, description, category = item
        tender_day = shift(award_day, -rng.randint(30, 150))
        award_ocid = procurement.ocid
        if method != "limited" and rng.random() < self.habits.split_across_two_ocids:
            award_ocid = f"{OCID_PREFIX}-{self.authority.gss_code}-S{rng.getrandbits(40):010x}"
            procurement.split_ocid = award_ocid
        tender: dict[str, Any] = {
            "id": f"{procurement.ocid}-tender",
            "title": title,
            "description": f"The provision of {description.lower()} for {self.authority.name}.",
            "status": "active",
            "procurementMethod": method,
            "mainProcurementCategory": category,
            "value": {"amount": procurement.value, "currency": "GBP"},
            "items": [
                {
                    "id": "1",
                    "description": description,
                    "classification": {"scheme": "CPV", "id": code, "description": description},
                }
            ],
            "tenderPeriod": {
                "startDate": timestamp(tender_day),
                "endDate": timestamp(shift(tender_day, 30)),
            },
        }
        if method != "limited":
            if rng.random() < self.habits.planning_notice:
                planning_day = shift(tender_day, -rng.randint(30, 120))
                planned = dict(tender, status="planned")
                planned.pop("tenderPeriod")
                self.release(
                    procurement, procurement.ocid, "planning", planning_day, ["planning"],
                    {"planning": {"budget": {"amount": {"amount": procurement.value,
                                                        "currency": "GBP"}}},
                     "tender": planned},
                )  # fmt: skip
            self.release(
                procurement, procurement.ocid, "tender", tender_day, ["tender"], {"tender": tender}
            )
        award_id = f"{procurement.ocid}-award-1"
        supplier_party_id = f"{award_ocid}-supplier"
        party, shown = supplier_party(
            rng, procurement.supplier, self.habits, ["supplier"], supplier_party_id
        )
        losers = []
        if method != "limited" and rng.random() < self.habits.losing_tenderers_listed:
            party["roles"] = ["tenderer", "supplier"]
            for number in range(rng.randint(1, 3)):
                loser = self.background_supplier(rng)
                loser_party, loser_shown = supplier_party(
                    rng, loser, self.habits, ["tenderer"], f"{award_ocid}-tenderer-{number + 1}"
                )
                losers.append((loser, loser_party, loser_shown))
        suppliers = [(procurement.supplier, party, shown)]
        award = {
            "id": award_id,
            "title": title,
            "status": "active",
            "date": timestamp(award_day),
            "value": {"amount": procurement.value, "currency": "GBP"},
            "suppliers": [{"id": party["id"], "name": party["name"]}],
            # An award notice carries its CPV code, as Contracts Finder's do: a direct award
            # has no tender notice to carry it.
            "items": tender["items"],
        }
        award_sections: dict[str, Any] = {"awards": [award]}
        if losers:
            award_sections["tender"] = {
                "id": tender["id"],
                "tenderers": [{"id": p["id"], "name": p["name"]} for _s, p, _h in suppliers]
                + [{"id": p["id"], "name": p["name"]} for _s, p, _h in losers],
                "numberOfTenderers": 1 + len(losers),
            }
        award_release = self.release(
            procurement, award_ocid, "award", award_day, ["award"], award_sections,
            [*suppliers, *losers],
        )  # fmt: skip
        if rng.random() < self.habits.duplicate_notice:
            duplicate_ocid = f"{OCID_PREFIX}-{self.authority.gss_code}-D{rng.getrandbits(40):010x}"
            procurement.duplicate_ocid = duplicate_ocid
            self.duplicate(procurement, award_release, duplicate_ocid, [*suppliers, *losers])
        contract: dict[str, Any] = {
            "id": f"{procurement.ocid}-contract-1",
            "awardID": award_id,
            "title": title,
            "status": "active",
            "period": {"startDate": timestamp(start), "endDate": timestamp(end)},
            "value": {"amount": procurement.value, "currency": "GBP"},
            "dateSigned": timestamp(shift(award_day, rng.randint(1, 9))),
        }
        contract_sections: dict[str, Any] = {"awards": [award], "contracts": [contract]}
        self.release(
            procurement, award_ocid, "contract", shift(award_day, 10), ["contract"],
            contract_sections, suppliers,
        )  # fmt: skip
        for number, day in enumerate(sorted(amendments), start=1):
            end = shift(end, 365)
            amended = dict(
                contract,
                period={"startDate": timestamp(start), "endDate": timestamp(end)},
                amendments=[
                    {
                        "id": f"{contract['id']}-amendment-{number}",
                        "date": timestamp(day),
                        "rationale": "Contract extended by one year under its extension option.",
                    }
                ],
            )
            self.release(
                procurement, award_ocid, f"amendment-{number}", day, ["contractAmendment"],
                {"awards": [award], "contracts": [amended]}, suppliers,
            )  # fmt: skip

    def release(
        self,
        procurement: Procurement,
        ocid: str,
        stage: str,
        day: datetime.date,
        tags: list[str],
        sections: dict[str, Any],
        suppliers: Sequence[tuple[Supplier, dict[str, Any], list[str]]] = (),
    ) -> Release:
        """Add one release, and a mention in the ground truth for each supplier it names."""
        release_id = f"{ocid}-{stage}"
        buyer = self.buyer()
        release: Release = {
            "ocid": ocid,
            "id": release_id,
            "date": timestamp(day),
            "tag": tags,
            "initiationType": "tender",
            "language": "en",
            "parties": [buyer, *(party for _s, party, _h in suppliers)],
            "buyer": {"id": buyer["id"], "name": buyer["name"]},
            **sections,
        }
        procurement.releases.append(release)
        for supplier, party, shown in suppliers:
            procurement.mentions.append(mention(ocid, release_id, supplier, party, shown))
        return release

    def duplicate(
        self,
        procurement: Procurement,
        original: Release,
        ocid: str,
        suppliers: list[tuple[Supplier, dict[str, Any], list[str]]],
    ) -> None:
        """The same award notice published again under a new ocid, a day later: a habit of
        publishers who re-key a notice rather than amend it."""
        release_id = f"{ocid}-award"
        day = datetime.date.fromisoformat(original["date"][:10])
        copy = dict(original, ocid=ocid, id=release_id, date=timestamp(shift(day, 1)))
        procurement.releases.append(copy)
        for supplier, party, shown in suppliers:
            procurement.mentions.append(
                mention(ocid, release_id, supplier, party, [*shown, "duplicate-notice"])
            )


def mention(
    ocid: str, release_id: str, supplier: Supplier, party: dict[str, Any], shown: list[str]
) -> Mention:
    identifier = party.get("identifier", {})
    return Mention(
        ocid=ocid,
        release_id=release_id,
        party_id=party["id"],
        published_name=party["name"],
        published_identifier=f"{identifier['scheme']}-{identifier['id']}"
        if identifier.get("id")
        else "",
        company=supplier.company.key,
        provider=supplier.provider_uid,
        habits=shown,
    )


def release_package(uri: str, releases: list[Release]) -> dict[str, Any]:
    """An OCDS 1.1 release package around `releases`."""
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": "2026-01-01T00:00:00Z",
        "publisher": PACKAGE_PUBLISHER,
        "license": PACKAGE_LICENCE,
        "publicationPolicy": PACKAGE_POLICY,
        "releases": releases,
    }
