"""The statutory deadlines of a Freedom of Information request: the one home of the rules.

Which law applies follows the authority's nation: the Freedom of Information (Scotland) Act 2002
("FOISA") for Scottish councils, the Freedom of Information Act 2000 ("FOIA") for English, Welsh
and Northern Irish ones (and for the demo world's fictional councils, treated as English).

**Working days.** The two Acts define them differently, and the difference is deliberate here:

* FOIA s.10(6): any day other than a Saturday, a Sunday, Christmas Day, Good Friday or a day
  which is a bank holiday under the Banking and Financial Dealings Act 1971 *in any part of the
  United Kingdom*. So an English council's clock also stops on St Andrew's Day, 2 January and
  the first Monday in August (Scotland), and on St Patrick's Day and the Battle of the Boyne
  (Northern Ireland). The ICO's line to take (LTT47) says the same.
* FOISA s.73: any day other than a Saturday, a Sunday, Christmas Day or a day which is a bank
  holiday in Scotland under the 1971 Act. A Scottish council's clock runs on Easter Monday and
  the last Monday in August, which are not Scottish bank holidays.

Bank holidays come from the ``holidays`` package (``country_holidays("GB", subdiv=...)``),
including substitute days and one-off proclaimed days (a royal funeral, a coronation).

**The response** (FOIA s.10(1), FOISA s.10(1)): "not later than the twentieth working day
following the date of receipt". The day of receipt is day zero; the first working day after it
is day one (the ICO: "the day after receipt is day one"). A request received on a non-working
day is treated as received on the next working day, as the ICO accepts, so day one is the
working day after that. We count from the day the branch sent the request, taking delivery by
email to be the same day: the due date is the latest date the authority may lawfully answer.

**Internal review.** A requester dissatisfied with the answer asks the authority to review it:
* within 40 working days of the response: FOISA s.20(5) (statutory); the FOIA Code of Practice
  (s.45, part 5) treats 40 working days as a reasonable time to ask;
* the authority answers within 20 working days: FOISA s.21(1) (statutory); under FOIA the Code
  of Practice says 20 working days, extendable to 40 in complex cases. We flag a review as
  overdue after 20 working days under both Acts: past that, a FOIA authority should have said
  why it needs longer.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, Protocol

import holidays

#: FOIA s.10(1) and FOISA s.10(1): working days an authority has to answer.
WORKING_DAYS_TO_RESPOND = 20
#: FOISA s.20(5); the FOIA Code of Practice: working days the requester has to ask for review.
WORKING_DAYS_TO_ASK_FOR_REVIEW = 40
#: FOISA s.21(1); the FOIA Code of Practice: working days the authority has to answer a review.
WORKING_DAYS_TO_REVIEW = 20


class Law(StrEnum):
    FOIA = "the Freedom of Information Act 2000"
    FOISA = "the Freedom of Information (Scotland) Act 2002"


#: The ``holidays`` package's subdivisions of the United Kingdom.
_UK_PARTS = ("ENG", "WLS", "SCT", "NIR")


def law_of(nation: str) -> Law:
    """The Act a council of ``nation`` (a register ``Nation`` value) answers under."""
    return Law.FOISA if nation == "scotland" else Law.FOIA


@cache
def _bank_holidays(law: Law, year: int) -> frozenset[datetime.date]:
    parts = ("SCT",) if law == Law.FOISA else _UK_PARTS
    days: set[datetime.date] = set()
    for part in parts:
        days |= set(holidays.country_holidays("GB", subdiv=part, years=year))
    return frozenset(days)


def is_working_day(day: datetime.date, nation: str) -> bool:
    """Not a weekend, nor a day the nation's Act excludes (see the module's docstring)."""
    return day.weekday() < 5 and day not in _bank_holidays(law_of(nation), day.year)


def days_off(nation: str, years: Iterable[int]) -> list[datetime.date]:
    """The weekday bank holidays that stop the clock for a council of ``nation``."""
    law = law_of(nation)
    return sorted(day for year in years for day in _bank_holidays(law, year) if day.weekday() < 5)


def working_days_after(start: datetime.date, n: int, nation: str) -> datetime.date:
    """The ``n``-th working day after ``start`` (``start`` itself is never counted)."""
    if n < 1:
        raise ValueError(f"Count at least one working day, not {n}.")
    day = start
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return day


def working_days_between(earlier: datetime.date, later: datetime.date, nation: str) -> int:
    """How many working days fall after ``earlier`` up to and including ``later`` (negative
    when ``later`` comes first)."""
    if later < earlier:
        return -working_days_between(later, earlier, nation)
    days = (later - earlier).days
    return sum(
        is_working_day(earlier + datetime.timedelta(days=offset), nation)
        for offset in range(1, days + 1)
    )


def date_of_receipt(arrived_on: datetime.date, nation: str) -> datetime.date:
    """The day a request counts as received: the day it arrived, or the next working day if
    it arrived on a weekend or bank holiday."""
    day = arrived_on
    while not is_working_day(day, nation):
        day += datetime.timedelta(days=1)
    return day


def response_due(sent_on: datetime.date, nation: str) -> datetime.date:
    """The twentieth working day following the date of receipt (FOIA s.10(1), FOISA s.10(1))."""
    return working_days_after(date_of_receipt(sent_on, nation), WORKING_DAYS_TO_RESPOND, nation)


def review_request_by(responded_on: datetime.date, nation: str) -> datetime.date:
    """The last day to ask for an internal review: 40 working days after the response
    (FOISA s.20(5); the FOIA Code of Practice)."""
    return working_days_after(responded_on, WORKING_DAYS_TO_ASK_FOR_REVIEW, nation)


def review_due(review_requested_on: datetime.date, nation: str) -> datetime.date:
    """When the authority must answer a review: 20 working days after it received the request
    for review (FOISA s.21(1); the FOIA Code of Practice, which allows 40 in complex cases)."""
    received = date_of_receipt(review_requested_on, nation)
    return working_days_after(received, WORKING_DAYS_TO_REVIEW, nation)


class State(StrEnum):
    DRAFT = "draft"
    AWAITING_RESPONSE = "awaiting response"
    OVERDUE = "overdue"
    ANSWERED = "answered"
    REVIEW_REQUESTED = "review requested"
    REVIEW_OVERDUE = "review overdue"
    REVIEW_ANSWERED = "review answered"


class Dated(Protocol):
    """What ``status`` reads from a request (an ``FoiRequest`` has it all)."""

    sent_on: datetime.date | None
    due_on: datetime.date | None
    responded_on: datetime.date | None
    review_requested_on: datetime.date | None
    review_due_on: datetime.date | None
    review_responded_on: datetime.date | None


@dataclass(frozen=True)
class Status:
    """Where a request stands on ``today``. ``deadline`` is the date that matters next (the
    response or review due, or the last day to ask for review); ``working_days`` counts to it:
    working days left, or, when overdue, working days past it."""

    state: State
    deadline: datetime.date | None = None
    working_days: int | None = None

    @property
    def overdue(self) -> bool:
        return self.state in {State.OVERDUE, State.REVIEW_OVERDUE}

    def deadline_in_words(self) -> str:
        """ "due Tuesday 30 April 2024 — 3 working days left", "overdue by 4 working days"."""
        if self.deadline is None or self.working_days is None:
            return ""
        date = long_date(self.deadline)
        if self.overdue and self.working_days == 0:
            return f"was due {date} — overdue"
        if self.overdue:
            return f"was due {date} — overdue by {_working_days(self.working_days)}"
        if self.state == State.ANSWERED:
            return f"review may be asked for until {date} — {_left(self.working_days)}"
        return f"due {date} — {_left(self.working_days)}"


def long_date(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _working_days(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def _left(n: int) -> str:
    return "today is the last day" if n == 0 else f"{_working_days(n)} left"


def _count_to(deadline: datetime.date, today: datetime.date, nation: str) -> int:
    return abs(working_days_between(today, deadline, nation))


def status(request: Dated, today: datetime.date, nation: str | None = None) -> Status:
    """Where ``request`` stands on ``today``. A response or review is overdue from the first
    working day after its due date; ``nation`` defaults to the request's authority's."""
    if nation is None:
        nation = _nation_of(request)
    if request.review_responded_on is not None:
        return Status(State.REVIEW_ANSWERED)
    if request.review_requested_on is not None:
        due = request.review_due_on or review_due(request.review_requested_on, nation)
        late = today > due
        return Status(
            State.REVIEW_OVERDUE if late else State.REVIEW_REQUESTED,
            due,
            _count_to(due, today, nation),
        )
    if request.responded_on is not None:
        ask_by = review_request_by(request.responded_on, nation)
        if today > ask_by:
            return Status(State.ANSWERED)
        return Status(State.ANSWERED, ask_by, _count_to(ask_by, today, nation))
    if request.sent_on is None:
        return Status(State.DRAFT)
    due = request.due_on or response_due(request.sent_on, nation)
    late = today > due
    return Status(
        State.OVERDUE if late else State.AWAITING_RESPONSE, due, _count_to(due, today, nation)
    )


def _nation_of(request: Any) -> str:
    return str(request.authority.nation)
