"""Spells: what became of each spun-out or outsourced service, as durations and exits.

Pure: plain values in, plain values out; the database is read in ``loading.py``. The rules are
written once here and described for the public on the methods page (docs/methods-fates.md):

- A spell starts at the transfer (start) date of an arrangement whose origin is a spin-out or
  an outsourcing. Later arrangements (re-lets, returns) are what a spell ends in, not spells.
- It ends at the first of three competing exits:
  **private control** (a takeover or change of control whose counterparty is a private company,
  a private controller recorded for the provider after the transfer, a re-tender won by a
  private company, or the next arrangement for the same council and service held by a private
  company); **back in-house** (an insourcing event, or the next arrangement in-house);
  **closed** (insolvency, dissolution or closure of the provider or arrangement, or an
  arrangement that ended with nothing after it).
- Otherwise it is censored: at the data's cut-off date, at a move to another independent
  (non-private, non-council) provider, or at its council's abolition (an abolition is not an
  end of service: councils' rule, ``mutualwatch.councils.queries.ended_by_abolition``).
- A date known only to the month or the year is placed at the middle of what is known: the
  middle of the month (the 15th or 16th) or of the year (2 July, or 1 July in a leap year),
  but never before the spell's start nor after the cut-off (a partial date that covers the
  start is placed midway between the start and the end of its month or year).
- An event recorded on an arrangement counts for that arrangement. A takeover, change of
  control, insolvency or dissolution of the provider counts for every arrangement it holds;
  any other event counts for the provider's arrangements only when it names no arrangement.
- When two exits fall on the same day, closure wins, then private control, then a return
  in-house: a council taking back a failed provider's service is the consequence of the closure.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

DAYS_PER_YEAR = 365.25
ORIGINS = frozenset({"spin-out", "outsourcing"})
PRIVATE_FORM = "private-company"
IN_HOUSE_FORM = "in-house"
CLOSURE_EVENTS = frozenset({"insolvency", "dissolution", "closure"})
CONTROL_EVENTS = frozenset({"takeover", "change-of-control"})
# Events about the provider itself (who owns it, whether it still exists) count for every
# arrangement it holds; other events count only for the arrangement they are recorded on (a
# re-tender of one council's contract says nothing of a contractor's other contracts).
PROVIDER_EVENTS = CONTROL_EVENTS | {"insolvency", "dissolution"}
# How long after an arrangement ends the next one may start and still tell us where the service
# went; beyond it the arrangement's end is read as the service ending.
SUCCESSION_WINDOW = datetime.timedelta(days=366)


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Exit(IntEnum):
    """The competing exits, coded as lifelines expects (0 is censored)."""

    CENSORED = 0
    CLOSED = 1
    PRIVATE = 2
    IN_HOUSE = 3

    @property
    def label(self) -> str:
        return EXIT_LABELS[self]


EXIT_LABELS = {
    Exit.CENSORED: "censored",
    Exit.PRIVATE: "private control",
    Exit.IN_HOUSE: "back in-house",
    Exit.CLOSED: "closed",
}
EXIT_CODES = {
    Exit.CENSORED: "censored",
    Exit.PRIVATE: "private",
    Exit.IN_HOUSE: "in-house",
    Exit.CLOSED: "closed",
}
#: Exits in the order the public pages show them.
COMPETING_EXITS = (Exit.PRIVATE, Exit.IN_HOUSE, Exit.CLOSED)


@dataclass(frozen=True)
class PartialDate:
    """A date known to a precision; stored, as in the register, as the first day it covers."""

    day: datetime.date
    precision: Precision = Precision.DAY

    @property
    def last_day(self) -> datetime.date:
        match self.precision:
            case Precision.DAY:
                return self.day
            case Precision.MONTH:
                days_in_month = calendar.monthrange(self.day.year, self.day.month)[1]
                return self.day.replace(day=days_in_month)
            case Precision.YEAR:
                return datetime.date(self.day.year, 12, 31)

    def placed(
        self, not_before: datetime.date | None = None, not_after: datetime.date | None = None
    ) -> datetime.date:
        """The day this date stands for: the middle of what is known, kept within bounds."""
        first, last = self.day, self.last_day
        if self.precision == Precision.MONTH:
            first = first.replace(day=1)
        elif self.precision == Precision.YEAR:
            first = datetime.date(first.year, 1, 1)
        if not_before is not None and first < not_before <= last:
            first = not_before
        if not_after is not None and first <= not_after < last:
            last = not_after
        return first + datetime.timedelta(days=(last - first).days // 2)


@dataclass(frozen=True)
class ArrangementRecord:
    key: str
    authority: str
    service_area: str
    provider: str
    legal_form: str
    origin: str
    start: PartialDate
    end: PartialDate | None = None
    staff_transferred: int | None = None
    #: The arrangement's end is only its council's abolition (councils' rule): not an exit.
    ended_by_abolition: bool = False


@dataclass(frozen=True)
class EventRecord:
    event_type: str
    date: PartialDate
    arrangement: str | None = None
    provider: str | None = None
    #: The counterparty's legal form (the acquirer, the new provider), where it is known.
    counterparty_legal_form: str | None = None


@dataclass(frozen=True)
class ControlRecord:
    provider: str
    controller_kind: str
    start: PartialDate


@dataclass(frozen=True)
class MembershipRecord:
    """A spell of a council's own membership of the Co-operative Councils Network, at any
    tier (its opposition group's membership is not the council's)."""

    authority: str
    joined_on: datetime.date
    left_on: datetime.date | None = None


@dataclass
class RegisterHistory:
    """Everything the spell rules read, for one register (or one generated world)."""

    cut_off: datetime.date
    arrangements: list[ArrangementRecord]
    events: list[EventRecord] = field(default_factory=list)
    controls: list[ControlRecord] = field(default_factory=list)
    memberships: list[MembershipRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Spell:
    arrangement: str
    authority: str
    service_area: str
    provider: str
    legal_form: str
    origin: str
    start: datetime.date
    start_precision: str
    end: datetime.date
    exit: Exit
    #: What decided the end: the event, control or arrangement that ended it, or the censoring.
    evidence: str
    staff_transferred: int | None
    network_member: bool

    @property
    def years(self) -> float:
        """Time from transfer to exit or censoring, in years; at least one day."""
        return max(1, (self.end - self.start).days) / DAYS_PER_YEAR

    @property
    def exited(self) -> bool:
        return self.exit != Exit.CENSORED

    def as_row(self) -> dict[str, object]:
        """The spell as one row of the published CSV."""
        return {
            "arrangement": self.arrangement,
            "authority": self.authority,
            "service_area": self.service_area,
            "provider": self.provider,
            "legal_form": self.legal_form,
            "origin": self.origin,
            "start": self.start.isoformat(),
            "start_precision": self.start_precision,
            "end": self.end.isoformat(),
            "years": round(self.years, 4),
            "exit": EXIT_CODES[self.exit],
            "evidence": self.evidence,
            "staff_transferred": "" if self.staff_transferred is None else self.staff_transferred,
            "cooperative_councils_network": int(self.network_member),
        }


SPELL_COLUMNS = (
    "arrangement", "authority", "service_area", "provider", "legal_form", "origin", "start",
    "start_precision", "end", "years", "exit", "evidence", "staff_transferred",
    "cooperative_councils_network",
)  # fmt: skip
# Exits on the same day: closure first, then private control, then a return in-house; a
# censoring only when nothing else happened that day.
TIE_ORDER = {Exit.CLOSED: 0, Exit.PRIVATE: 1, Exit.IN_HOUSE: 2, Exit.CENSORED: 3}


@dataclass(frozen=True)
class _Candidate:
    day: datetime.date
    exit: Exit
    evidence: str

    @property
    def order(self) -> tuple[datetime.date, int]:
        return self.day, TIE_ORDER[self.exit]


def spin_outs(spells: Iterable[Spell]) -> list[Spell]:
    """The spells of spun-out services: what the headline figures are about."""
    return [spell for spell in spells if spell.origin == "spin-out"]


def is_network_member(
    memberships: Iterable[MembershipRecord], authority: str, day: datetime.date
) -> bool:
    return any(
        m.authority == authority and m.joined_on <= day and (m.left_on is None or m.left_on > day)
        for m in memberships
    )


def build_spells(history: RegisterHistory) -> list[Spell]:
    """One spell for every spin-out or outsourcing that started by the cut-off."""
    by_service: dict[tuple[str, str], list[ArrangementRecord]] = defaultdict(list)
    for arrangement in history.arrangements:
        by_service[arrangement.authority, arrangement.service_area].append(arrangement)
    for arrangements in by_service.values():
        arrangements.sort(key=lambda a: (a.start.placed(), a.key))
    events_by_arrangement: dict[str, list[EventRecord]] = defaultdict(list)
    events_by_provider: dict[str, list[EventRecord]] = defaultdict(list)
    for event in history.events:
        if event.arrangement is not None:
            events_by_arrangement[event.arrangement].append(event)
        if event.provider is not None and (
            event.arrangement is None or event.event_type in PROVIDER_EVENTS
        ):
            events_by_provider[event.provider].append(event)
    controls_by_provider: dict[str, list[ControlRecord]] = defaultdict(list)
    for control in history.controls:
        controls_by_provider[control.provider].append(control)

    spells = []
    for arrangement in history.arrangements:
        if arrangement.origin not in ORIGINS:
            continue
        start = arrangement.start.placed(not_after=history.cut_off)
        if start > history.cut_off:
            continue
        siblings = by_service[arrangement.authority, arrangement.service_area]
        following = siblings[siblings.index(arrangement) + 1 :]
        events = {
            id(e): e
            for e in [
                *events_by_arrangement[arrangement.key],
                *events_by_provider[arrangement.provider],
            ]
        }
        candidates = [
            *_event_exits(events.values(), start, history.cut_off),
            *_control_exits(controls_by_provider[arrangement.provider], start, history.cut_off),
            *_succession_exits(arrangement, following, start, history.cut_off),
        ]
        exit_ = min(candidates, key=lambda c: c.order, default=None)
        if exit_ is None or exit_.day > history.cut_off:
            exit_ = _Candidate(history.cut_off, Exit.CENSORED, "followed to the cut-off")
        spells.append(
            Spell(
                arrangement=arrangement.key,
                authority=arrangement.authority,
                service_area=arrangement.service_area,
                provider=arrangement.provider,
                legal_form=arrangement.legal_form,
                origin=arrangement.origin,
                start=start,
                start_precision=str(arrangement.start.precision),
                end=exit_.day,
                exit=exit_.exit,
                evidence=exit_.evidence,
                staff_transferred=arrangement.staff_transferred,
                network_member=is_network_member(history.memberships, arrangement.authority, start),
            )
        )
    return spells


def _event_exits(
    events: Iterable[EventRecord], start: datetime.date, cut_off: datetime.date
) -> list[_Candidate]:
    found = []
    for event in events:
        day = event.date.placed(not_before=start, not_after=cut_off)
        if day < start:
            continue
        private_counterparty = event.counterparty_legal_form == PRIVATE_FORM
        if event.event_type in CLOSURE_EVENTS:
            found.append(_Candidate(day, Exit.CLOSED, f"{event.event_type} event"))
        elif event.event_type in CONTROL_EVENTS and private_counterparty:
            found.append(_Candidate(day, Exit.PRIVATE, f"{event.event_type} by a private company"))
        elif event.event_type == "re-tender" and private_counterparty:
            found.append(_Candidate(day, Exit.PRIVATE, "re-tender won by a private company"))
        elif event.event_type == "insourcing":
            found.append(_Candidate(day, Exit.IN_HOUSE, "insourcing event"))
    return found


def _control_exits(
    controls: Iterable[ControlRecord], start: datetime.date, cut_off: datetime.date
) -> list[_Candidate]:
    """A private controller recorded after the transfer. A control that began at or before the
    transfer is how the provider started out, not an exit."""
    found = []
    for control in controls:
        if control.controller_kind != "private":
            continue
        day = control.start.placed(not_before=start, not_after=cut_off)
        if day > start:
            found.append(_Candidate(day, Exit.PRIVATE, "private controller recorded"))
    return found


def _succession_exits(
    arrangement: ArrangementRecord,
    following: Sequence[ArrangementRecord],
    start: datetime.date,
    cut_off: datetime.date,
) -> list[_Candidate]:
    """Where the service went when the arrangement ended, read from the next arrangement."""
    successor = following[0] if following else None
    if arrangement.ended_by_abolition and arrangement.end is not None:
        # Abolition is not an end of service: the arrangement is followed up to it, then
        # censored, because its successor's arrangements are another council's history.
        day = arrangement.end.placed(not_before=start, not_after=cut_off)
        return [_Candidate(day, Exit.CENSORED, "council abolished; service carried on")]
    if arrangement.end is not None:
        day = arrangement.end.placed(not_before=start, not_after=cut_off)
        next_start = successor.start.placed(not_before=start) if successor else None
        if successor is None or next_start is None or next_start - day > SUCCESSION_WINDOW:
            return [_Candidate(day, Exit.CLOSED, "arrangement ended with no successor")]
        return [_successor_candidate(successor, day)]
    if successor is not None:
        return [_successor_candidate(successor, successor.start.placed(not_before=start))]
    return []


def _successor_candidate(successor: ArrangementRecord, day: datetime.date) -> _Candidate:
    if successor.legal_form == PRIVATE_FORM:
        return _Candidate(day, Exit.PRIVATE, "next arrangement with a private company")
    if successor.legal_form == IN_HOUSE_FORM:
        return _Candidate(day, Exit.IN_HOUSE, "next arrangement in-house")
    return _Candidate(day, Exit.CENSORED, "passed to another independent provider")
