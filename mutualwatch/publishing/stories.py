"""Each service's story at one council, as its page and its branch pack tell it: who delivered
it when, what became of each arrangement, and the events that mark the way.

Pure: the arrangement and event rows ``publishing.queries`` reads and the spells the fates rules
build (``analysis.spells``) in, plain values out. What became of a spin-out or an outsourcing
is the fates analysis's own verdict, so the council page and ``/fates/`` never disagree.
"""

import datetime
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mutualwatch.analysis.spells import Exit, Spell
from mutualwatch.register.labels import LEGAL_FORM_LABELS
from mutualwatch.register.models import ArrangementOrigin, EventType, LegalForm

#: The timeline's colours: one per kind of provider, council blue to private red.
LEGAL_FORM_COLOURS = {
    LegalForm.IN_HOUSE: "#1f4e79",
    LegalForm.OTHER_PUBLIC_BODY: "#6a8caf",
    LegalForm.TRADING_COMPANY: "#7b5ea7",
    LegalForm.PUBLIC_SERVICE_MUTUAL: "#1b7f5f",
    LegalForm.COOPERATIVE: "#5aa02c",
    LegalForm.CIC: "#c49a00",
    LegalForm.CHARITY: "#d9822b",
    LegalForm.JOINT_VENTURE: "#8c564b",
    LegalForm.PRIVATE_COMPANY: "#b2182b",
}
#: The events the timeline marks, and how it names them: collapses are one kind of mark.
MARKED_EVENTS = {
    EventType.SPIN_OUT: "Spin-out",
    EventType.TAKEOVER: "Takeover or change of control",
    EventType.CHANGE_OF_CONTROL: "Takeover or change of control",
    EventType.RE_TENDER: "Re-tender",
    EventType.INSOURCING: "Insourcing",
    EventType.INSOLVENCY: "Collapse (insolvency, dissolution or closure)",
    EventType.DISSOLUTION: "Collapse (insolvency, dissolution or closure)",
    EventType.CLOSURE: "Collapse (insolvency, dissolution or closure)",
}
#: Each kind of mark's shape in the chart (Vega's name) and in the legend beside it (a
#: character that looks the same).
MARK_SHAPES = {
    "Spin-out": ("triangle-up", "\u25b2"),
    "Takeover or change of control": ("diamond", "\u25c6"),
    "Re-tender": ("square", "\u25a0"),
    "Insourcing": ("triangle-down", "\u25bc"),
    "Collapse (insolvency, dissolution or closure)": ("cross", "\u271a"),
}
EXIT_WORDS = {
    Exit.PRIVATE: "Under private control",
    Exit.IN_HOUSE: "Back in-house",
    Exit.CLOSED: "Closed",
}
#: What an ended arrangement led to, read from the origin of the one after it.
SUCCESSOR_WORDS = {
    ArrangementOrigin.SPIN_OUT: "Spun out",
    ArrangementOrigin.OUTSOURCING: "Outsourced",
    ArrangementOrigin.TRANSFER: "Passed to another provider",
    ArrangementOrigin.INSOURCING: "Back in-house",
    ArrangementOrigin.ALWAYS_IN_HOUSE: "Back in-house",
}


@dataclass(frozen=True)
class Fate:
    """How an arrangement ended, or that it has not: ``words`` to read, ``year`` when known,
    ``how`` the evidence that decided it (the fates rules' own words), if any."""

    words: str
    year: int | None = None
    how: str = ""
    ended: bool = False

    def __str__(self) -> str:
        when = f", {self.year}" if self.year else ""
        how = f" ({self.how})" if self.how else ""
        return f"{self.words}{when}{how}"


def fate_of(
    arrangement: Mapping[str, Any],
    spell: Spell | None,
    successor: Mapping[str, Any] | None,
) -> Fate:
    """What became of one arrangement (a row with ``end_date``; its successor for the same
    service, if any). A spin-out's or an outsourcing's fate is its spell's exit."""
    if spell is not None and spell.exit != Exit.CENSORED:
        return Fate(EXIT_WORDS[spell.exit], spell.end.year, spell.evidence, ended=True)
    end = arrangement["end_date"]
    if spell is not None and spell.evidence != "followed to the cut-off":
        words = spell.evidence[0].upper() + spell.evidence[1:]
        return Fate(words, end.year if end else spell.end.year, ended=True)
    if end is None:
        return Fate("Still running")
    if successor is not None:
        words = SUCCESSOR_WORDS.get(successor["origin"], "Passed to another provider")
        return Fate(words, end.year, ended=True)
    return Fate("Ended", end.year, ended=True)


def successors(arrangements: Sequence[Mapping[str, Any]]) -> dict[int, Mapping[str, Any]]:
    """Each arrangement's next one for the same service (by start), keyed by ``pk``."""
    by_service: dict[str, list[Mapping[str, Any]]] = {}
    for row in sorted(arrangements, key=lambda r: (r["start_date"], r["pk"])):
        by_service.setdefault(row["service_area__code"], []).append(row)
    return {
        earlier["pk"]: later
        for rows in by_service.values()
        for earlier, later in itertools.pairwise(rows)
    }


def fates(arrangements: Sequence[Mapping[str, Any]], spells: Iterable[Spell]) -> dict[int, Fate]:
    """``fate_of`` every arrangement (rows with ``pk`` and ``uid``), keyed by ``pk``."""
    by_arrangement = {spell.arrangement: spell for spell in spells}
    following = successors(arrangements)
    return {
        row["pk"]: fate_of(row, by_arrangement.get(str(row["uid"])), following.get(row["pk"]))
        for row in arrangements
    }


def timeline_bars(
    arrangements: Iterable[Mapping[str, Any]], until: datetime.date
) -> list[dict[str, Any]]:
    """One bar per arrangement, from its start to its end (or ``until``), in labels."""
    return [
        {
            "service": row["service_area__name"],
            "provider": row["provider__name"],
            "form": LEGAL_FORM_LABELS.get(row["provider__legal_form"], "Other"),
            "start": row["start_date"].isoformat(),
            "end": (row["end_date"] or until).isoformat(),
        }
        for row in arrangements
        if row["start_date"] <= until
    ]


def timeline_marks(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One mark per event of the kinds the timeline shows, on its service's row."""
    return [
        {
            "service": row["arrangement__service_area__name"],
            "event": MARKED_EVENTS[row["event_type"]],
            "date": row["date"].isoformat(),
        }
        for row in events
        if row["event_type"] in MARKED_EVENTS and row["arrangement__service_area__name"]
    ]


def legend(bars: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The kinds of provider the bars show, label to colour, in the colour scale's order."""
    shown = {bar["form"] for bar in bars}
    return {
        LEGAL_FORM_LABELS[form]: colour
        for form, colour in LEGAL_FORM_COLOURS.items()
        if LEGAL_FORM_LABELS[form] in shown
    }


def timeline_summary(bars: Sequence[Mapping[str, Any]], marks: Sequence[Mapping[str, Any]]) -> str:
    """The chart in one sentence, for those who cannot see it."""
    services = len({bar["service"] for bar in bars})
    if not bars:
        return "No published arrangements to draw."
    first = min(bar["start"] for bar in bars)[:4]
    kinds = ", ".join(label.lower() for label in legend(bars))
    return (
        f"A timeline of {services} service{'s' if services != 1 else ''} from {first}: "
        f"{len(bars)} arrangement{'s' if len(bars) != 1 else ''} by {kinds}, and "
        f"{len(marks)} marked event{'s' if len(marks) != 1 else ''}. "
        "The table below lists every arrangement."
    )


def mark_legend(marks: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The kinds of mark the chart shows, label to the legend's character."""
    shown = {mark["event"] for mark in marks}
    return {label: symbol for label, (_, symbol) in MARK_SHAPES.items() if label in shown}
