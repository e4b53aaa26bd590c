"""The Companies House BasicCompanyData file of the demo world.

It holds the world's own companies (providers, contractors, their decoys) at the positions their
numbers give, and fills every other position with a background company generated from its index
alone, so that five million rows are written, and any one of them regenerated, without holding
any of them.
"""

import csv
import datetime
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from mutualwatch.demoworld.histories import (
    CATEGORY_PRIVATE,
    Company,
    World,
    companies_house_index,
    companies_house_number,
)
from mutualwatch.demoworld.names import (
    BRAND_ENDS,
    BRAND_STARTS,
    PLACE_ENDS,
    PLACE_STARTS,
    TRADES,
    place_name,
    postcode,
    street_address,
)
from mutualwatch.demoworld.parameters import CENSUS_DATE, WorldParameters
from mutualwatch.demoworld.randomness import indexed_stream, stream_seed

# The header line of the real BasicCompanyData file, byte for byte: some names carry a leading
# space, and the header is not quoted although every data cell is.
COMPANIES_HOUSE_HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
    " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,"
    "RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,"
    "IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,"
    "Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,"
    "Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,"
    "Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,"
    "SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,"
    "LimitedPartnerships.NumLimPartners,URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName,"
    " PreviousName_2.CONDATE, PreviousName_2.CompanyName,PreviousName_3.CONDATE,"
    " PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,"
    "PreviousName_5.CONDATE, PreviousName_5.CompanyName,PreviousName_6.CONDATE,"
    " PreviousName_6.CompanyName,PreviousName_7.CONDATE, PreviousName_7.CompanyName,"
    "PreviousName_8.CONDATE, PreviousName_8.CompanyName,PreviousName_9.CONDATE,"
    " PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,"
    "ConfStmtNextDueDate, ConfStmtLastMadeUpDate"
)
COMPANIES_HOUSE_FILE = "companies-house/BasicCompanyData-demo.csv"
PREVIOUS_NAME_CELLS = 20
BACKGROUND_SICS = (
    "82990 - Other business support service activities n.e.c.",
    "70229 - Management consultancy activities other than financial management",
    "43390 - Other building completion and finishing",
    "62020 - Information technology consultancy activities",
    "81210 - General cleaning of buildings",
    "49410 - Freight transport by road",
    "56290 - Other food services",
    "99999 - Dormant Company",
)
NAME_SPACE = len(BRAND_STARTS) * len(BRAND_ENDS) * len(TRADES) * len(PLACE_STARTS) * len(PLACE_ENDS)
# Coprime with NAME_SPACE, so the affine map on name parts is one-to-one (a test checks).
NAME_MULTIPLIER = 2_654_435_761
ACCOUNT_CATEGORIES = ("TOTAL EXEMPTION FULL", "MICRO ENTITY", "SMALL", "FULL", "DORMANT")


def ch_date(day: datetime.date | None) -> str:
    """Companies House writes dates as DD/MM/YYYY."""
    return "" if day is None else day.strftime("%d/%m/%Y")


def background_seed(parameters: WorldParameters) -> int:
    return stream_seed(parameters.seed, "background-companies")


def name_core(index: int, offset: int) -> tuple[str, str, str]:
    """(brand, trade, place) for the background company at `index`, different for every index.

    Companies House refuses a name already taken, so no two background companies may share one:
    the index is scrambled by a bijection on the space of name parts (an affine map modulo its
    size) and read off as one part of each kind.
    """
    space = NAME_SPACE
    assert 0 <= index < space, "more background companies than distinct names"
    code = (index * NAME_MULTIPLIER + offset) % space
    code, start = divmod(code, len(BRAND_STARTS))
    code, end = divmod(code, len(BRAND_ENDS))
    code, trade = divmod(code, len(TRADES))
    place_start, place_end = divmod(code, len(PLACE_ENDS))
    return (
        BRAND_STARTS[start] + BRAND_ENDS[end],
        TRADES[trade],
        PLACE_STARTS[place_start] + PLACE_ENDS[place_end],
    )


def background_company(parameters: WorldParameters, index: int) -> Company:
    """The background company at `index` in the Companies House file, regenerated on demand.

    Numbers follow incorporation, as real ones do: a higher index means a later company. Names
    carry a place in brackets, as many real ones do, which also keeps them apart from the
    world's own companies.
    """
    seed = background_seed(parameters)
    rng = indexed_stream(seed, index)
    share = index / parameters.size.register_companies
    year = min(CENSUS_DATE.year, 1950 + int(share * 75) + rng.randint(-1, 1))
    brand, trade, place = name_core(index, seed % NAME_SPACE)
    suffix = "Ltd" if rng.random() < 0.25 else "Limited"
    name = f"{brand} {trade} ({place}) {suffix}"
    town = place if rng.random() < 0.7 else place_name(rng)
    roll = rng.random()
    status = "Active" if roll < 0.95 else "Liquidation" if roll < 0.97 else "Dissolved"
    # Drawn in this order, as they always were, so that every company stays as it was.
    incorporated_on = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    address = (street_address(rng), town, postcode(rng))
    sic = rng.choice(BACKGROUND_SICS)
    dissolved_on = datetime.date(2025, rng.randint(1, 12), 1) if status == "Dissolved" else None
    if dissolved_on is not None and dissolved_on <= incorporated_on:
        # Never dissolved before it was formed (ingest-companies sets such a row aside).
        dissolved_on = incorporated_on + datetime.timedelta(days=1)
    return Company(
        register="ch",
        number=companies_house_number(index),
        name=name,
        category=CATEGORY_PRIVATE,
        incorporated_on=incorporated_on,
        address=address,
        alternative_addresses=[],
        sic=sic,
        status=status,
        dissolved_on=dissolved_on,
    )


def companies_house_row(company: Company) -> list[str]:
    """The company as a BasicCompanyData row: upper-case names and addresses, as published."""
    street, town, code = company.address
    incorporated = company.incorporated_on
    last_accounts = datetime.date(CENSUS_DATE.year - 1, 3, 31)
    return [
        company.name.upper(),
        company.number,
        "",
        "",
        street.upper(),
        "",
        town.upper(),
        "",
        "ENGLAND",
        code,
        company.category,
        company.status,
        "United Kingdom",
        ch_date(company.dissolved_on),
        ch_date(incorporated),
        "31",
        "3",
        ch_date(datetime.date(CENSUS_DATE.year, 12, 31)),
        ch_date(last_accounts) if incorporated < last_accounts else "",
        ACCOUNT_CATEGORIES[len(company.name) % len(ACCOUNT_CATEGORIES)],
        "",
        "",
        "0",
        "0",
        "0",
        "0",
        company.sic,
        "",
        "",
        "",
        "0",
        "0",
        f"http://business.data.gov.uk/id/company/{company.number}",
        *([""] * PREVIOUS_NAME_CELLS),
        ch_date(datetime.date(CENSUS_DATE.year + 1, incorporated.month, 1)),
        ch_date(datetime.date(CENSUS_DATE.year, incorporated.month, 1)),
    ]


def world_companies_by_index(world: World) -> dict[int, Company]:
    return {
        companies_house_index(company.number): company
        for company in world.companies()
        if company.register == "ch"
    }


def companies_house_rows(world: World) -> Iterable[list[str]]:
    """Every row of the file in number order: world companies in their places, background
    companies everywhere else."""
    placed = world_companies_by_index(world)
    for index in range(world.parameters.size.register_companies):
        company = placed.get(index)
        yield companies_house_row(company or background_company(world.parameters, index))


def write_companies_house(
    world: World, out: Path, advance: Callable[[int], None] = lambda _rows: None
) -> int:
    """Write the BasicCompanyData CSV; returns the number of companies written."""
    path = out / COMPANIES_HOUSE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_rows(handle, companies_house_rows(world), advance)
    return world.parameters.size.register_companies


def write_rows(handle: IO[str], rows: Iterable[list[str]], advance: Callable[[int], None]) -> None:
    handle.write(COMPANIES_HOUSE_HEADER + "\n")
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 10_000:
            writer.writerows(batch)
            advance(len(batch))
            batch.clear()
    writer.writerows(batch)
    advance(len(batch))
