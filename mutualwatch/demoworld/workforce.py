"""The staff's terms and conditions before and after transfer, with known truth: what members
and branch officers would record for the world's spun-out and outsourced arrangements.

Each arrangement that began as a spin-out or an outsourcing, lasted three years and did so
before the census, gets its true terms (``ArrangementTerms``): whether and when its LGPS is
closed or replaced, its union recognition lost, a two-tier workforce started, how its pay
drifts from the council's rate and its headcount from the staff transferred. If a branch
follows its council, it also gets records: the branch officer's observations from documents
(before transfer, one year and three years after) and its members' questionnaires (each for
their job now, some also for their job before). Every answer passes the instrument's own
limits (``workforce.instrument.check_terms``).

Officers record what documents show about the whole workforce (pay rates for a grade,
headcount, recognition); members record their own job (pension, hours, sick pay). So the
pension tables count members, and the true share of arrangements whose LGPS closed within
three years is what a member-weighted share after transfer estimates.

Draws come from their own named streams ("workforce", "workforce-coverage"), so the rest of
the world is unchanged by them.
"""

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from mutualwatch.demoworld.histories import Spell, World, add_days, years_to_days
from mutualwatch.demoworld.parameters import CENSUS_DATE, WorkforceParameters
from mutualwatch.demoworld.randomness import stream
from mutualwatch.workforce.instrument import (
    Pension,
    Protection,
    Recognition,
    SickPay,
    TimePoint,
    check_terms,
)

RECORDS_FILE = "workforce/records.jsonl"
TRUTH_FILE = "ground_truth/workforce.json"
#: Origins whose staff transfer out of the council (a re-tender's "transfer" moves staff
#: between contractors and is left out, as is insourcing).
TRANSFER_ORIGINS = ("spin-out", "outsourcing")
#: Every change to the terms happens within this many years of transfer, or not at all.
CHANGE_YEARS = 3.0
PAY_GRADES = ("Grade 2", "Grade 3", "Grade 4", "Grade 5", "Grade 6", "Scale 1", "Scale 2")
WEEKLY_HOURS = (37.0, 37.0, 30.0, 22.5, 18.5, 16.0)


@dataclass(frozen=True)
class ArrangementTerms:
    """An arrangement's true terms: ``*_years`` is when a change happened, in years after
    transfer, or None if it never did."""

    arrangement: str
    authority: str
    service_area: str
    origin: str
    start: datetime.date
    last_observable: datetime.date  # the arrangement's end, or the census
    covered: bool
    staff_transferred: int
    council_hourly_pay: float
    pay_grade: str
    pay_ratio_drift_per_year: float
    headcount_change_per_year: float
    pension_after: str
    pension_change_years: float | None
    recognition_after: str
    recognition_change_years: float | None
    two_tier_years: float | None
    members: int

    def pension_at(self, years: float) -> str:
        changed = self.pension_change_years is not None and years >= self.pension_change_years
        return self.pension_after if changed else Pension.LGPS

    def recognition_at(self, years: float) -> str:
        lost = self.recognition_change_years is not None and years >= self.recognition_change_years
        return self.recognition_after if lost else Recognition.RECOGNISED

    def two_tier_at(self, years: float) -> bool:
        return self.two_tier_years is not None and years >= self.two_tier_years

    def pay_ratio_at(self, years: float) -> float:
        """Hourly pay as a percentage of the council's rate for the same grade."""
        return 100.0 + self.pay_ratio_drift_per_year * min(max(years, 0.0), CHANGE_YEARS)

    def headcount_at(self, years: float) -> int:
        drifting = min(max(years, 0.0), CHANGE_YEARS)
        return max(
            1, round(self.staff_transferred * (1 + self.headcount_change_per_year) ** drifting)
        )


def lasting_transfers(world: World) -> Iterator[Spell]:
    """Spun-out and outsourced arrangements that lasted three years, before the census."""
    for history in world.histories:
        for spell in history.spells:
            if spell.origin not in TRANSFER_ORIGINS or spell.staff_transferred is None:
                continue
            third_year = add_days(spell.start, years_to_days(CHANGE_YEARS))
            if third_year is None or (spell.end is not None and spell.end < third_year):
                continue
            yield spell


def followed_councils(world: World) -> set[str]:
    share = world.parameters.workforce.branch_coverage_share
    return {
        authority.gss_code
        for authority in world.authorities
        if stream(world.parameters.seed, "workforce-coverage", authority.gss_code).random() < share
    }


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by multiplying uniforms (Knuth): fine for the small means used here."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def arrangement_terms(
    spell: Spell, parameters: WorkforceParameters, seed: int, covered: bool
) -> ArrangementTerms:
    rng = stream(seed, "workforce", spell.uid)
    origin = spell.origin
    pension_after, pension_years = Pension.LGPS, None
    if rng.random() < parameters.pension_closed_within_3_years[origin]:
        pension_years = rng.uniform(0.0, CHANGE_YEARS)
        replaced = rng.random() < parameters.pension_replaced_by_dc_share
        pension_after = Pension.DEFINED_CONTRIBUTION if replaced else Pension.LGPS_CLOSED
    recognition_after, recognition_years = Recognition.RECOGNISED, None
    if rng.random() < parameters.recognition_lost_within_3_years[origin]:
        recognition_years = rng.uniform(0.0, CHANGE_YEARS)
        recognition_after = rng.choice((Recognition.NO_FACILITY_TIME, Recognition.NOT_RECOGNISED))
    two_tier_years = None
    if rng.random() < parameters.two_tier_within_3_years[origin]:
        two_tier_years = rng.uniform(0.0, CHANGE_YEARS)
    assert spell.staff_transferred is not None
    return ArrangementTerms(
        arrangement=spell.uid,
        authority=spell.authority,
        service_area=spell.service_area,
        origin=origin,
        start=spell.start,
        last_observable=min(spell.end or CENSUS_DATE, CENSUS_DATE),
        covered=covered,
        staff_transferred=spell.staff_transferred,
        council_hourly_pay=round(rng.uniform(11.5, 19.5), 2),
        pay_grade=rng.choice(PAY_GRADES),
        pay_ratio_drift_per_year=parameters.pay_ratio_drift_per_year[origin],
        headcount_change_per_year=parameters.headcount_change_per_year[origin],
        pension_after=str(pension_after),
        pension_change_years=pension_years,
        recognition_after=str(recognition_after),
        recognition_change_years=recognition_years,
        two_tier_years=two_tier_years,
        members=poisson(rng, parameters.members_answering_mean) if covered else 0,
    )


def world_terms(world: World) -> list[ArrangementTerms]:
    followed = followed_councils(world)
    return [
        arrangement_terms(
            spell, world.parameters.workforce, world.parameters.seed, spell.authority in followed
        )
        for spell in lasting_transfers(world)
    ]


def years_after(terms: ArrangementTerms, day: datetime.date) -> float:
    return (day - terms.start).days / 365.25


def officer_answers(terms: ArrangementTerms, years: float, rng: random.Random) -> dict[str, Any]:
    """What a branch officer reads off documents: the grade's pay and the council's rate for
    it, headcount, recognition, and whether new starters are on other terms."""
    ratio = terms.pay_ratio_at(years)
    return {
        "pay_grade": terms.pay_grade,
        "hourly_pay": round(terms.council_hourly_pay * ratio / 100, 2),
        "council_hourly_pay": terms.council_hourly_pay,
        "headcount": terms.headcount_at(years),
        "redundancies": 0 if years <= 0 else rng.randint(0, max(1, terms.staff_transferred // 20)),
        "recognition": terms.recognition_at(years),
        "two_tier": terms.two_tier_at(years),
        "agency_staff": years > 0 and rng.random() < 0.4,
    }


def member_answers(terms: ArrangementTerms, years: float, rng: random.Random) -> dict[str, Any]:
    """One member's own job: their pay (their grade's rate, drifting with the arrangement's),
    hours, pension, sick pay, leave, recognition and protections."""
    after = years > 0
    own_rate = terms.council_hourly_pay * rng.uniform(0.85, 1.2)
    return {
        "hourly_pay": round(own_rate * terms.pay_ratio_at(years) / 100, 2),
        "contracted_hours": rng.choice(WEEKLY_HOURS),
        "pension": terms.pension_at(years),
        "sick_pay": SickPay.REDUCED if after and rng.random() < 0.2 else SickPay.COUNCIL,
        "annual_leave_days": rng.choice((25, 27, 28, 30, 32)),
        "recognition": terms.recognition_at(years),
        "protection": rng.choice((Protection.PARTLY, Protection.KEPT)) if after else "kept",
        "zero_hours": after and rng.random() < 0.1,
        "two_tier": terms.two_tier_at(years),
    }


def arrangement_records(terms: ArrangementTerms, seed: int) -> Iterator[dict[str, Any]]:
    """The records a branch following the council holds for one arrangement."""
    if not terms.covered:
        return
    rng = stream(seed, "workforce-records", terms.arrangement)
    observations = (
        (TimePoint.BEFORE, add_days(terms.start, -rng.randint(30, 180)), -0.1),
        (TimePoint.YEAR_1, add_days(terms.start, 365), 1.0),
        (TimePoint.YEAR_3, add_days(terms.start, years_to_days(CHANGE_YEARS)), CHANGE_YEARS),
    )
    for time_point, day, years in observations:
        yield record(terms, "officer", time_point, day, officer_answers(terms, years, rng))
    third_year = add_days(terms.start, years_to_days(CHANGE_YEARS))
    assert third_year is not None
    window = max((terms.last_observable - third_year).days, 0)
    for _member in range(terms.members):
        answered_on = third_year + datetime.timedelta(days=rng.randint(0, window))
        now = member_answers(terms, years_after(terms, answered_on), rng)
        yield record(terms, "questionnaire", TimePoint.DATED, answered_on, now)
        if rng.random() < 0.5:
            before = member_answers(terms, -0.1, rng)
            yield record(terms, "questionnaire", TimePoint.BEFORE, None, before)


def record(
    terms: ArrangementTerms,
    given_by: str,
    time_point: str,
    observed_on: datetime.date | None,
    answers: dict[str, Any],
) -> dict[str, Any]:
    clean = check_terms(
        answers, time_point=time_point, observed_on=observed_on, arrangement_start=terms.start
    )
    return {
        "arrangement": terms.arrangement,
        "given_by": given_by,
        "time_point": str(time_point),
        "observed_on": observed_on.isoformat() if observed_on else "",
        "answers": clean,
    }


def realised_shares(terms: list[ArrangementTerms]) -> dict[str, dict[str, float | int]]:
    """By origin, among arrangements with records: the share whose pension closed within three
    years, by arrangement and weighted by members answering (what the tables estimate)."""
    shares: dict[str, dict[str, float | int]] = {}
    for origin in TRANSFER_ORIGINS:
        counted = [t for t in terms if t.covered and t.origin == origin]
        members = sum(t.members for t in counted)
        closed = [t for t in counted if t.pension_change_years is not None]
        shares[origin] = {
            "arrangements": len(counted),
            "members": members,
            "pension_closed_share_of_arrangements": len(closed) / len(counted) if counted else 0.0,
            "pension_closed_share_of_members": (
                sum(t.members for t in closed) / members if members else 0.0
            ),
        }
    return shares


def write_workforce(world: World, out: Path) -> int:
    """Write the records and their ground truth; returns the number of records."""
    terms = world_terms(world)
    path = out / RECORDS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("wb") as handle:
        for arrangement in terms:
            for item in arrangement_records(arrangement, world.parameters.seed):
                handle.write(orjson.dumps(item) + b"\n")
                count += 1
    truth = {
        "parameters": asdict(world.parameters.workforce),
        "followed_councils": sorted(followed_councils(world)),
        "records": count,
        "realised": realised_shares(terms),
        "arrangements": [asdict(arrangement) for arrangement in terms],
    }
    (out / TRUTH_FILE).parent.mkdir(parents=True, exist_ok=True)
    (out / TRUTH_FILE).write_bytes(
        orjson.dumps(truth, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    )
    return count
