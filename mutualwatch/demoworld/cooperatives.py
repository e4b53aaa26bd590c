"""The co-operative and community benefit society register, in the layout of Co-operatives UK's
open data (`open_data_organisations.csv`).

It lists the world's member-owned providers (societies registered with the FCA, and mutuals
registered as companies) among background co-operatives that never deliver council services.
"""

import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from mutualwatch.demoworld.histories import Company, World
from mutualwatch.demoworld.names import PLACE_ENDS, PLACE_STARTS, postcode, street_address
from mutualwatch.demoworld.randomness import stream

COOPERATIVES_FILE = "co-operatives-uk/open_data_organisations-demo.csv"
COOPERATIVES_HEADER = [
    "CUK Organisation ID", "Registered Number", "Registrar", "Registered Name", "Trading Name",
    "Legal Form", "Registered Street", "Registered City", "Registered State/Province",
    "Registered Postcode", "UK Nation", "SIC Code", "SIC section", "SIC code  - level 2",
    "SIC code  - level 2 description", "SIC code  - level 3", "SIC code  - level 3 description",
    "SIC code  - level 4", "SIC code  - level 4 description", "SIC code  - level 5",
    "SIC code  - level 5 description", "Sector - Simplified, High Level",
    "Ownership Classification", "Registered Status", "Incorporation Date", "Dissolved Date",
]  # fmt: skip
SOCIAL_WORK_SIC = [
    "UKSIC07-8899", "Human Health and Social Work", "UKSIC07-88",
    "Social work activities without accommodation", "UKSIC07-889",
    "Other social work activities without accommodation", "UKSIC07-8899",
    "Other social work activities without accommodation n.e.c.", "", "",
    "Health and social care",
]  # fmt: skip
BACKGROUND_KINDS = (
    ("Community Energy Co-operative", "Community of Interest"),
    ("Food Co-operative", "Consumers"),
    ("Housing Co-operative", "Tenants"),
    ("Credit Union", "Consumers"),
    ("Workers' Co-operative", "Workers"),
)
AREA_WORDS = ("", "Community ", "Valley ", "North ", "South ", "East ", "West ", "Central ")
# Background society numbers start far above the world's own, so the two never meet.
BACKGROUND_NUMBERS_FROM = 500_000


def cuk_date(day: datetime.date | None) -> str:
    """Co-operatives UK writes dates as D/M/YYYY, without leading zeros."""
    return "" if day is None else f"{day.day}/{day.month}/{day.year}"


def legal_form_of(company: Company) -> tuple[str, str]:
    """(Registrar, Legal Form) as Co-operatives UK names them."""
    if company.register == "fca":
        return "FCA", "Society"
    if company.category == "Community Interest Company":
        return "Companies House", "Community Interest Company"
    return "Companies House", "Company"


def organisation_row(
    organisation_id: int, company: Company, ownership: str, sector: str, sic: list[str]
) -> list[str]:
    registrar, legal_form = legal_form_of(company)
    street, town, code = company.address
    live = company.status == "Active"
    return [
        f"R{organisation_id:06d}",
        company.number,
        registrar,
        company.name,
        company.name.removesuffix(" Limited"),
        legal_form,
        street,
        town,
        "",
        code,
        "England",
        *sic[:10],
        sector,
        ownership,
        "Live" if live else "Dead",
        cuk_date(company.incorporated_on),
        "" if live else cuk_date(company.dissolved_on or company.incorporated_on),
    ]


def background_cooperative(rng: random.Random, index: int) -> Company:
    """A background society; its name differs from every other's (the registrar insists)."""
    kind, _ownership = BACKGROUND_KINDS[index % len(BACKGROUND_KINDS)]
    places = len(PLACE_STARTS) * len(PLACE_ENDS)
    area, place = divmod(index // len(BACKGROUND_KINDS), places)
    town = PLACE_STARTS[place // len(PLACE_ENDS)] + PLACE_ENDS[place % len(PLACE_ENDS)]
    qualifier = AREA_WORDS[area % len(AREA_WORDS)]
    return Company(
        register="fca",
        number=f"{BACKGROUND_NUMBERS_FROM + index}R",
        name=f"{town} {qualifier}{kind} Limited",
        category="Registered Society",
        incorporated_on=datetime.date(
            rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28)
        ),
        address=(street_address(rng), town, postcode(rng)),
        alternative_addresses=[],
        sic="",
        status="Active" if rng.random() < 0.85 else "Dissolved",
        dissolved_on=datetime.date(2020, 1, 1),
    )


def cooperative_rows(world: World) -> Iterator[list[str]]:
    organisation_id = 0
    for provider in world.spun_out:
        if provider.company is None:
            continue
        if provider.legal_form not in ("cooperative", "public-service-mutual"):
            continue
        organisation_id += 1
        ownership = (
            "Workers" if provider.legal_form == "public-service-mutual" else "Multi-stakeholder"
        )
        yield organisation_row(
            organisation_id, provider.company, ownership, "Health and social care", SOCIAL_WORK_SIC
        )
    rng = stream(world.parameters.seed, "background-cooperatives")
    empty_sic = [""] * 10
    for index in range(world.parameters.size.background_cooperatives):
        organisation_id += 1
        company = background_cooperative(rng, index)
        _kind, ownership = BACKGROUND_KINDS[index % len(BACKGROUND_KINDS)]
        yield organisation_row(organisation_id, company, ownership, "Other", empty_sic)


def write_cooperatives(world: World, out: Path) -> int:
    """Write the Co-operatives UK layout CSV (quoted, CRLF, as published); returns row count."""
    path = out / COOPERATIVES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(COOPERATIVES_HEADER)
        for row in cooperative_rows(world):
            writer.writerow(row)
            count += 1
    return count
