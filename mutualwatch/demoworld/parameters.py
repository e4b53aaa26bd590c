"""Everything that shapes a demo world, declared once, and written into `parameters.json`.

The world's true rates are constant hazards per year, so the true cumulative incidence of each
competing exit at any horizon follows from them in closed form (`true_cumulative_incidence`);
the fates analysis, run on the generated data, can then be checked against these numbers.
"""

import datetime
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

GENERATOR_VERSION = 1

# The world's clock. Histories start when every service is in-house; the census date is the
# last day observed (later exits are censored); OCDS publication starts with Contracts Finder.
HISTORY_START = datetime.date(2000, 1, 1)
CENSUS_DATE = datetime.date(2025, 12, 31)
OCDS_START = datetime.date(2015, 1, 1)
# Every package says it was published the day after the census: a fixed timestamp, never "now",
# so that two runs write the same bytes.
PUBLISHED_AT = "2026-01-01T00:00:00Z"

# Legal forms a service can leave the council for (register codes).
SPIN_OUT_FORMS = ("public-service-mutual", "cooperative", "cic", "trading-company")
PRIVATE_FORM = "private-company"
IN_HOUSE_FORM = "in-house"

# The competing exits of an external arrangement. "taken-over" ends the provider's independence,
# not the arrangement: the service carries on under private control.
EXITS = ("re-tendered", "taken-over", "insolvent", "dissolved", "insourced")


@dataclass(frozen=True)
class WorldSize:
    """How big a world is. Only the benchmark writes `national`."""

    name: str
    councils: int
    # Everyday procurements per council per year of OCDS publication: the bulk of the releases.
    background_procurements_per_council_year: int
    # Rows of the Companies House file: world companies, their decoys and the background.
    register_companies: int
    # Co-operative societies and companies in the Co-operatives UK file beyond the world's own.
    background_cooperatives: int
    # National and regional contractors that win outsourced services and buy up providers.
    private_firms: int


SIZES: dict[str, WorldSize] = {
    "tiny": WorldSize("tiny", 5, 4, 2_000, 40, 12),
    "demo": WorldSize("demo", 50, 20, 50_000, 800, 40),
    "national": WorldSize("national", 400, 80, 5_000_000, 8_000, 150),
}


def default_entry_hazards() -> dict[str, float]:
    """Per year, per in-house service: the hazard of being spun out into each form, or
    outsourced to a private firm."""
    return {
        "public-service-mutual": 0.006,
        "cooperative": 0.002,
        "cic": 0.003,
        "trading-company": 0.005,
        "private-company": 0.012,
    }


def default_exit_hazards() -> dict[str, dict[str, float]]:
    """Per year, for an external arrangement by a provider of each legal form: the hazard of each
    competing exit. A private firm is never "taken over" or wound up in this world: its contracts
    end by re-tender or insourcing."""
    return {
        "public-service-mutual": {
            "re-tendered": 0.040,
            "taken-over": 0.015,
            "insolvent": 0.010,
            "dissolved": 0.008,
            "insourced": 0.020,
        },
        "cooperative": {
            "re-tendered": 0.035,
            "taken-over": 0.005,
            "insolvent": 0.012,
            "dissolved": 0.010,
            "insourced": 0.020,
        },
        "cic": {
            "re-tendered": 0.045,
            "taken-over": 0.012,
            "insolvent": 0.015,
            "dissolved": 0.012,
            "insourced": 0.020,
        },
        "trading-company": {
            "re-tendered": 0.020,
            "taken-over": 0.010,
            "insolvent": 0.004,
            "dissolved": 0.020,
            "insourced": 0.040,
        },
        "private-company": {
            "re-tendered": 0.060,
            "taken-over": 0.0,
            "insolvent": 0.0,
            "dissolved": 0.0,
            "insourced": 0.030,
        },
    }


@dataclass(frozen=True)
class PublicationHabits:
    """How often the published data shows each UK habit. Probabilities per occasion."""

    supplier_without_identifier: float = 0.6
    # Of suppliers without an identifier, those published with empty strings, not omitted.
    identifier_as_empty_strings: float = 0.3
    name_variant: float = 0.35
    trading_as: float = 0.05
    typo: float = 0.06
    upper_case: float = 0.3
    alternative_address: float = 0.3
    planning_notice: float = 0.3
    contract_amendment: float = 0.15
    split_across_two_ocids: float = 0.03
    duplicate_notice: float = 0.04
    losing_tenderers_listed: float = 0.25
    decoys_per_world_company: float = 1.5


def by_origin(spin_out: float, outsourcing: float) -> dict[str, float]:
    """A rate for arrangements that began as a spin-out and for those outsourced to a private
    firm (the register's origins)."""
    return {"spin-out": spin_out, "outsourcing": outsourcing}


@dataclass(frozen=True)
class WorkforceParameters:
    """The staff's terms and conditions before and after transfer, for the spun-out and
    outsourced arrangements that lasted three years before the census (demoworld/workforce.py).

    Every change happens within three years of the transfer, at a uniformly drawn time, or not
    at all: an answer given three years or more after transfer shows the arrangement's final
    terms. Rates are per arrangement, keyed by origin: "spin-out" or "outsourcing".
    """

    #: The share of councils a union branch follows; every lasting arrangement of a followed
    #: council has records, the others none.
    branch_coverage_share: float = 0.6
    #: Members answering the questionnaire per arrangement: Poisson with this mean. Each answers
    #: for their job now (three years or more after transfer).
    members_answering_mean: float = 12.0
    #: The share of those members who also answer for their job before the transfer.
    members_answering_before_share: float = 0.5
    #: The share of arrangements whose LGPS is closed to new starters, or replaced by a
    #: defined-contribution scheme, within three years of transfer.
    pension_closed_within_3_years: dict[str, float] = field(
        default_factory=lambda: by_origin(0.4, 0.7)
    )
    #: Of those closures, the share replaced outright by a defined-contribution scheme.
    pension_replaced_by_dc_share: float = 0.5
    #: Hourly pay as a percentage of the council's rate for the grade: 100 at transfer (TUPE),
    #: then this many percentage points a year, for three years.
    pay_ratio_drift_per_year: dict[str, float] = field(
        default_factory=lambda: by_origin(-0.8, -2.0)
    )
    #: The share of arrangements where the union loses recognition or its facility time.
    recognition_lost_within_3_years: dict[str, float] = field(
        default_factory=lambda: by_origin(0.15, 0.35)
    )
    #: The share of arrangements that put new starters on different terms.
    two_tier_within_3_years: dict[str, float] = field(default_factory=lambda: by_origin(0.3, 0.6))
    #: The headcount's proportional change a year, for three years, from staff_transferred.
    headcount_change_per_year: dict[str, float] = field(
        default_factory=lambda: by_origin(-0.02, -0.05)
    )


@dataclass(frozen=True)
class WorldParameters:
    seed: int
    size: WorldSize
    entry_hazards: dict[str, float] = field(default_factory=default_entry_hazards)
    exit_hazards: dict[str, dict[str, float]] = field(default_factory=default_exit_hazards)
    # Contract extensions happen along an external arrangement without ending it.
    extension_hazard: float = 0.05
    habits: PublicationHabits = field(default_factory=PublicationHabits)
    network_share: float = 0.3
    workforce: WorkforceParameters = field(default_factory=WorkforceParameters)

    def as_document(self) -> dict[str, object]:
        """What `parameters.json` holds: every parameter, and the true cumulative incidence of
        each exit at 5 years for each spun-out or outsourced legal form."""
        return {
            "generator_version": GENERATOR_VERSION,
            "seed": self.seed,
            "size": asdict(self.size),
            "history_start": HISTORY_START.isoformat(),
            "census_date": CENSUS_DATE.isoformat(),
            "ocds_start": OCDS_START.isoformat(),
            "published_at": PUBLISHED_AT,
            "hazard_unit": "per year, constant",
            "entry_hazards": self.entry_hazards,
            "exit_hazards": self.exit_hazards,
            "extension_hazard": self.extension_hazard,
            "network_share": self.network_share,
            "habits": asdict(self.habits),
            "workforce": asdict(self.workforce),
            "true_cumulative_incidence_5_years": {
                form: true_cumulative_incidence(hazards, 5.0)
                for form, hazards in self.exit_hazards.items()
            },
        }


def world_parameters(seed: int, size_name: str) -> WorldParameters:
    """The parameters of the world `size_name` with `seed`. Raises KeyError for an unknown size."""
    return WorldParameters(seed=seed, size=SIZES[size_name])


def true_cumulative_incidence(hazards: Mapping[str, float], years: float) -> dict[str, float]:
    """The probability that each competing exit has happened by `years` after the start.

    With constant cause-specific hazards h_k and total H, the cumulative incidence of exit k is
    (h_k / H) * (1 - exp(-H t)): the chance of leaving by t, shared in proportion to the hazards.
    """
    total = sum(hazards.values())
    if total == 0:
        return dict.fromkeys(hazards, 0.0)
    leaving = 1.0 - math.exp(-total * years)
    return {exit_: rate / total * leaving for exit_, rate in hazards.items()}
