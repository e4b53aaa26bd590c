"""The instrument: the terms and conditions recorded for an arrangement at a time point, and the
limits every answer must respect, whoever gives it (a branch officer from a document, or a
member through the questionnaire).

``check_terms`` is the one home of those limits: forms, the questionnaire, imports and the
demo world all call it, so an impossible value is refused the same way everywhere, by field.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models


class TimePoint(models.TextChoices):
    BEFORE = "before", "Before transfer"
    AT = "at", "At transfer"
    YEAR_1 = "year-1", "One year after transfer"
    YEAR_3 = "year-3", "Three years after transfer"
    YEAR_5 = "year-5", "Five years after transfer"
    DATED = "dated", "On a stated date"


#: Time points on the council's side of the transfer: TUPE carries terms over unchanged at the
#: transfer itself, so "at transfer" is the baseline, with "before".
BASELINE_TIME_POINTS = frozenset({TimePoint.BEFORE, TimePoint.AT})


class Period(models.TextChoices):
    """Before vs after, the comparison the published tables make."""

    BEFORE = "before", "Before or at transfer"
    AFTER = "after", "After transfer"


class Pension(models.TextChoices):
    LGPS = "lgps", "LGPS kept, open to new starters"
    LGPS_CLOSED = "lgps-closed", "LGPS kept, closed to new starters"
    DEFINED_CONTRIBUTION = "dc", "Replaced by a defined-contribution scheme"
    NONE = "none", "No pension scheme"


class SickPay(models.TextChoices):
    COUNCIL = "council", "Council scheme kept"
    REDUCED = "reduced", "Reduced below the council scheme"
    STATUTORY = "statutory", "Statutory sick pay only"


class Protection(models.TextChoices):
    KEPT = "kept", "TUPE protections kept"
    PARTLY = "partly", "Some protections harmonised away"
    HARMONISED = "harmonised", "Protections harmonised away"


class Recognition(models.TextChoices):
    RECOGNISED = "recognised", "Union recognised, with facility time"
    NO_FACILITY_TIME = "no-facility-time", "Union recognised, no facility time"
    NOT_RECOGNISED = "not-recognised", "Union not recognised"


class EvidenceKind(models.TextChoices):
    LETTER = "letter", "Letter"
    PAYSLIP = "payslip", "Payslip"
    AGREEMENT = "agreement", "Agreement"
    CONTRACT = "contract", "Contract of employment"
    MEMBERS = "members", "What members told the branch"
    OTHER = "other", "Other document"


YES_NO = {True: "Yes", False: "No"}

#: Every term the instrument records, by field: (label, kind). Kinds: "money" (pounds, pence
#: allowed), "percent", "hours", "days", "count", "yes-no", or a choices class.
TERMS: dict[str, tuple[str, Any]] = {
    "pay_grade": ("Pay grade", "text"),
    "hourly_pay": ("Hourly pay (£)", "money"),
    "council_hourly_pay": ("The council's hourly rate for the same grade (£)", "money"),
    "pension": ("Pension", Pension),
    "employer_pension_contribution": ("Employer pension contribution (%)", "percent"),
    "contracted_hours": ("Contracted hours a week", "hours"),
    "sick_pay": ("Sick pay", SickPay),
    "annual_leave_days": ("Annual leave (days a year)", "days"),
    "recognition": ("Union recognition", Recognition),
    "protection": ("TUPE protections", Protection),
    "headcount": ("Headcount", "count"),
    "redundancies": ("Redundancies", "count"),
    "zero_hours": ("Zero-hours contracts in use", "yes-no"),
    "agency_staff": ("Agency staff in use", "yes-no"),
    "two_tier": ("New starters on different terms (two-tier workforce)", "yes-no"),
}
#: What a member is asked: about their own job, no name, nothing about anyone else.
QUESTIONNAIRE_TERMS = (
    "hourly_pay",
    "contracted_hours",
    "pension",
    "sick_pay",
    "annual_leave_days",
    "recognition",
    "protection",
    "zero_hours",
    "two_tier",
)

MAX_HOURLY_PAY = Decimal(500)
MAX_WEEKLY_HOURS = Decimal(80)
MAX_LEAVE_DAYS = 60
MAX_COUNT = 1_000_000


def label_of(field: str) -> str:
    return TERMS[field][0]


def check_terms(
    answers: Mapping[str, Any],
    *,
    time_point: str,
    observed_on: datetime.date | None,
    arrangement_start: datetime.date,
) -> dict[str, Any]:
    """The answers as clean values (blank answers left out), or ``TermsRefused`` naming every
    field that is impossible and why."""
    from mutualwatch.workforce.exceptions import TermsRefused

    problems: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if time_point not in TimePoint.values:
        problems["time_point"] = f"“{time_point}” is not one of the instrument's time points."
    if time_point == TimePoint.DATED and observed_on is None:
        problems["observed_on"] = "An observation on a stated date needs its date."
    if (
        observed_on is not None
        and time_point not in BASELINE_TIME_POINTS
        and observed_on < arrangement_start
    ):
        problems["observed_on"] = (
            f"{observed_on:%d %B %Y} is before the arrangement began ({arrangement_start:%d %B %Y})"
            "; an observation after transfer cannot predate it."
        )
    for field, value in answers.items():
        if field not in TERMS:
            problems[field] = "is not a term the instrument records."
            continue
        if value is None or value == "":
            continue
        label, kind = TERMS[field]
        try:
            clean[field] = _clean(kind, value)
        except ValueError as error:
            problems[field] = f"{label}: {error}"
    if problems:
        raise TermsRefused(problems)
    return clean


def _clean(kind: Any, value: Any) -> Any:
    if kind == "text":
        text = str(value).strip()
        if len(text) > 60:
            raise ValueError("keep it under 60 characters (a grade or spine point, not a name).")
        return text
    if kind == "yes-no":
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"yes", "true", "1"}:
            return True
        if str(value).lower() in {"no", "false", "0"}:
            return False
        raise ValueError(f"“{value}” is neither yes nor no.")
    if isinstance(kind, type) and issubclass(kind, models.TextChoices):
        if value not in kind.values:
            raise ValueError(f"“{value}” is not one of the choices.")
        return str(value)
    number = _number(value)
    if number < 0:
        raise ValueError(f"{number} is negative.")
    if kind == "money":
        if number > MAX_HOURLY_PAY:
            raise ValueError(f"£{number} an hour is over £{MAX_HOURLY_PAY}: check the figure.")
        return str(number.quantize(Decimal("0.01")))
    if kind == "percent":
        if number > 100:
            raise ValueError(f"{number}% is over 100%.")
        return str(number.quantize(Decimal("0.1")))
    if kind == "hours":
        if number > MAX_WEEKLY_HOURS:
            raise ValueError(f"{number} hours a week is over {MAX_WEEKLY_HOURS}.")
        return str(number.quantize(Decimal("0.1")))
    whole = int(number)
    if whole != number:
        raise ValueError(f"{number} is not a whole number.")
    if kind == "days" and whole > MAX_LEAVE_DAYS:
        raise ValueError(f"{whole} days of leave a year is over {MAX_LEAVE_DAYS}.")
    if whole > MAX_COUNT:
        raise ValueError(f"{whole:,} is more than any workforce.")
    return whole


def _number(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().lstrip("£").replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"“{value}” is not a number.") from None
    if not number.is_finite():
        raise ValueError(f"“{value}” is not a number.")
    return number


def period_of(time_point: str) -> str:
    return Period.BEFORE if time_point in BASELINE_TIME_POINTS else Period.AFTER
