"""The world's Co-operative Councils Network: its member councils (from each authority's
``network_joined_on``), their tiers, a couple of councils' opposition groups, and the fictional
annual reports that list them, as register records. Deterministic from the world's seed."""

import datetime
from collections.abc import Iterator

from mutualwatch.demoworld.histories import Source, World
from mutualwatch.demoworld.randomness import draw_uuid, stream

Record = dict[str, str]

#: The share of member councils at the associate tier; the rest are full members.
ASSOCIATE_SHARE = 0.2
#: How many non-member councils have an opposition group in the network.
OPPOSITION_GROUPS = 2
PUBLISHER = "Fictional Co-operative Councils Network"


def annual_report(seed: int, year: int) -> Source:
    """The network's (fictional) annual report for a year, which lists that year's joiners."""
    return Source(
        uid=draw_uuid(stream(seed, "network-report", year)),
        title=f"Annual report {year}",
        publisher=PUBLISHER,
        url=f"https://network.example.org/annual-reports/{year}",
        kind="web-page",
        published_on=datetime.date(year, 12, 15),
    )


def network_memberships(world: World) -> Iterator[tuple[Record, Source]]:
    """Each membership record (in the register exchange format) with the source it cites."""
    seed = world.parameters.seed
    for authority in world.authorities:
        joined = authority.network_joined_on
        if joined is None:
            continue
        rng = stream(seed, "network-tier", authority.gss_code)
        report = annual_report(seed, joined.year)
        yield (
            {
                "member_name": authority.name,
                "member_type": "council",
                "tier": "associate" if rng.random() < ASSOCIATE_SHARE else "full",
                "authority": authority.gss_code,
                "joined_on": f"{joined.year:04d}-{joined.month:02d}",
                "joined_basis": "joined",
            },
            report,
        )
    others = [a for a in world.authorities if a.network_joined_on is None]
    stream(seed, "network-opposition").shuffle(others)
    for authority in others[:OPPOSITION_GROUPS]:
        year = stream(seed, "network-opposition", authority.gss_code).randint(2018, 2024)
        report = annual_report(seed, year)
        yield (
            {
                "member_name": f"{authority.place} Co-operative Opposition Group",
                "member_type": "opposition-group",
                "tier": "affiliate",
                "authority": authority.gss_code,
                "joined_on": f"{year:04d}",
                "joined_basis": "first-listed",
                "notes": "The council's opposition group, not the council.",
            },
            report,
        )
