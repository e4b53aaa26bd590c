"""What the network page reads: the Co-operative Councils Network's members over time, and
what the register shows of spin-outs and services brought back in-house in member and other
councils, year by year.

Counting rules (docs/network-membership.md):

- A spell of membership counts in every calendar year it covers any part of. A spell whose
  start is only the first date a source lists the member ("first listed") counts from then.
- A council is a network member council in a year if the council itself (not its opposition
  group, nor another organisation) had a spell of membership, at any tier, covering that year.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from mutualwatch.publishing.queries import published_arrangements, published_events
from mutualwatch.register.exchange import partial_date_text
from mutualwatch.register.labels import NETWORK_MEMBER_TYPE_LABELS, NETWORK_TIER_LABELS
from mutualwatch.register.models import (
    ArrangementOrigin,
    EventType,
    JoinedBasis,
    NetworkMembership,
    NetworkMemberType,
    NetworkTier,
    ReviewState,
)

TIER_ORDER = [
    NetworkTier.FULL,
    NetworkTier.ASSOCIATE,
    NetworkTier.AFFILIATE,
    NetworkTier.UNSTATED,
]
TIER_LABELS = [NetworkTier(tier).label for tier in TIER_ORDER]
MEMBER_COUNCILS = "Network member councils"
OTHER_COUNCILS = "Other councils"
COMPARISON_SERIES = {
    "member_spin_outs": f"Spin-outs: {MEMBER_COUNCILS.lower()}",
    "other_spin_outs": f"Spin-outs: {OTHER_COUNCILS.lower()}",
    "member_insourcings": f"Back in-house: {MEMBER_COUNCILS.lower()}",
    "other_insourcings": f"Back in-house: {OTHER_COUNCILS.lower()}",
}
#: The membership download: labels, not codes, and the source of every row.
CSV_COLUMNS = [
    "member",
    "type",
    "tier",
    "council",
    "gss_code",
    "joined",
    "joined_basis",
    "left",
    "source_title",
    "source_url",
    "source_page",
    "notes",
]


@dataclass(frozen=True)
class SpellOfMembership:
    member: tuple[str, str]
    member_type: str
    tier: str
    authority_id: int | None
    joined_on: datetime.date
    left_on: datetime.date | None

    def covers(self, year: int) -> bool:
        return self.joined_on.year <= year and (self.left_on is None or self.left_on.year >= year)


def network_members() -> QuerySet[NetworkMembership]:
    """Every spell of membership, with its council and its source, in name order."""
    return NetworkMembership.objects.select_related("authority", "source").order_by(
        "member_name", "joined_on"
    )


def csv_row(m: NetworkMembership) -> list[str]:
    """A membership as the download writes it, with the page of its source."""
    source = m.source
    published = source is not None and source.state == ReviewState.PUBLISHED
    return [
        m.member_name,
        NETWORK_MEMBER_TYPE_LABELS[m.member_type],
        NETWORK_TIER_LABELS[m.tier],
        m.authority.name if m.authority else "",
        m.authority.gss_code if m.authority else "",
        partial_date_text(m.joined_on, m.joined_precision),
        JoinedBasis(m.joined_basis).label,
        partial_date_text(m.left_on, m.left_precision),
        source.title if source and published else "",
        source.url if source and published else "",
        reverse("source-detail", args=[source.uid]) if source and published else "",
        m.notes,
    ]


def spells_of(memberships: Iterable[NetworkMembership]) -> list[SpellOfMembership]:
    return [
        SpellOfMembership(
            (m.member_name, m.member_type),
            m.member_type,
            m.tier,
            m.authority_id,
            m.joined_on,
            m.left_on,
        )
        for m in memberships
    ]


def years_of(spells: list[SpellOfMembership], today: datetime.date) -> range:
    """From the year the first recorded spell starts to this year."""
    if not spells:
        return range(0)
    return range(min(s.joined_on.year for s in spells), today.year + 1)


def membership_by_year(spells: list[SpellOfMembership], years: range) -> list[dict[str, Any]]:
    """Members each year by tier (labels), counting each member once per tier and year."""
    rows = []
    for year in years:
        members: dict[str, set[tuple[str, str]]] = {tier: set() for tier in TIER_ORDER}
        for spell in spells:
            if spell.covers(year):
                members[spell.tier].add(spell.member)
        rows += [
            {"year": year, "tier": NetworkTier(tier).label, "members": len(members[tier])}
            for tier in TIER_ORDER
            if members[tier]
        ]
    return rows


def member_councils_by_year(spells: list[SpellOfMembership], years: range) -> set[tuple[int, int]]:
    """(council, year) for each year a council itself was a member, at any tier."""
    return {
        (spell.authority_id, year)
        for spell in spells
        if spell.member_type == NetworkMemberType.COUNCIL and spell.authority_id is not None
        for year in years
        if spell.covers(year)
    }


def spin_outs_by_membership(
    members: set[tuple[int, int]],
    spin_outs: Iterable[tuple[int, datetime.date]],
    insourcings: Iterable[tuple[int, datetime.date]],
    years: range,
) -> list[dict[str, Any]]:
    """For each year, spin-outs started and services brought back in-house, in councils that
    were network members that year and in other councils (each given as council and date)."""
    counts: Counter[tuple[str, int, bool]] = Counter()
    for kind, happenings in (("spin_outs", spin_outs), ("insourcings", insourcings)):
        for authority_id, date in happenings:
            if date.year in years:
                counts[kind, date.year, (authority_id, date.year) in members] += 1
    return [
        {
            "year": year,
            "member_spin_outs": counts["spin_outs", year, True],
            "other_spin_outs": counts["spin_outs", year, False],
            "member_insourcings": counts["insourcings", year, True],
            "other_insourcings": counts["insourcings", year, False],
        }
        for year in years
    ]


def comparison_chart_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The comparison as one row per year, series and count, for a chart."""
    return [
        {"year": row["year"], "series": label, "count": row[key]}
        for row in rows
        for key, label in COMPARISON_SERIES.items()
    ]


def published_spin_outs() -> list[tuple[int, datetime.date]]:
    """Each published spin-out arrangement's council and start."""
    return list(
        published_arrangements()
        .filter(origin=ArrangementOrigin.SPIN_OUT)
        .values_list("authority_id", "start_date")
    )


def published_insourcings() -> list[tuple[int, datetime.date]]:
    """Each published insourcing event's council (through its arrangement) and date."""
    return list(
        published_events()
        .filter(event_type=EventType.INSOURCING, arrangement__isnull=False)
        .values_list("arrangement__authority_id", "date")
    )


@dataclass(frozen=True)
class NetworkOverTime:
    memberships: list[dict[str, Any]]
    comparison: list[dict[str, Any]]
    latest_year: int | None

    @property
    def latest(self) -> list[dict[str, Any]]:
        return [row for row in self.memberships if row["year"] == self.latest_year]

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(row[key] for row in self.comparison) for key in COMPARISON_SERIES}

    @property
    def membership_summary(self) -> str:
        if self.latest_year is None:
            return "The register records no members of the network."
        first = self.memberships[0]["year"]
        latest = self.latest
        total = sum(row["members"] for row in latest)
        parts = ", ".join(_tier_count(row["members"], row["tier"]) for row in latest)
        return (
            f"The register records members of the network from {first}. In {self.latest_year} "
            f"it counts {_members(total)}: {parts}."
        )

    @property
    def comparison_summary(self) -> str:
        if not self.comparison:
            return ""
        t = self.totals
        first, last = self.comparison[0]["year"], self.comparison[-1]["year"]
        return (
            f"From {first} to {last} the register shows {_count(t['member_spin_outs'], 'spin-out')}"
            f" started in councils while they were network members and "
            f"{t['other_spin_outs']} in other councils; "
            f"{_count(t['member_insourcings'], 'service')} brought back in-house in member "
            f"councils and {t['other_insourcings']} in other councils. These are counts of what "
            "the register holds, not rates: most councils are not members."
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _tier_count(number: int, tier: str) -> str:
    """ "3 full members", "1 associate member", "2 members (tier not stated)"."""
    return f"{number} " + tier.lower().replace("member", "member" if number == 1 else "members", 1)


def _members(number: int) -> str:
    return _count(number, "member")


def network_over_time(
    memberships: list[NetworkMembership], today: datetime.date
) -> NetworkOverTime:
    """The membership each year and the comparison of member and other councils."""
    spells = spells_of(memberships)
    years = years_of(spells, today)
    comparison = (
        spin_outs_by_membership(
            member_councils_by_year(spells, years),
            published_spin_outs(),
            published_insourcings(),
            years,
        )
        if spells
        else []
    )
    return NetworkOverTime(
        membership_by_year(spells, years), comparison, years[-1] if spells else None
    )
