"""What a branch pack says about one council, gathered from what the public pages show: only
published records, each fact numbered against the list of sources at the end."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from mutualwatch.analysis import queries as fates_queries
from mutualwatch.analysis.loading import load_authority_history
from mutualwatch.analysis.spells import Exit, build_spells, spin_outs
from mutualwatch.analysis.wording import fate_of, national_sentences, whole_percent_bounds
from mutualwatch.dates import partial_day as partial_day_text
from mutualwatch.publishing import charts, stories, workforce
from mutualwatch.publishing import queries as public
from mutualwatch.publishing.queries import CitedSource, ProviderContracts
from mutualwatch.register.labels import LEGAL_FORM_LABELS
from mutualwatch.register.models import Authority, LegalForm

#: How far back the "then" of the one-page summary looks.
YEARS_BEFORE = 10


@dataclass
class Citations:
    """Sources numbered in the order the pack first cites them."""

    numbers: dict[str, int] = field(default_factory=dict)
    sources: list[CitedSource] = field(default_factory=list)

    def cite(self, sources: list[CitedSource]) -> list[int]:
        cited = []
        for source in sources:
            if source.uid not in self.numbers:
                self.sources.append(source)
                self.numbers[source.uid] = len(self.sources)
            cited.append(self.numbers[source.uid])
        return cited


@dataclass(frozen=True)
class Row:
    """One arrangement of a service, as the pack prints it."""

    provider: str
    kind: str
    start: str
    end: str
    began: str
    fate: str
    cited: list[int]


@dataclass(frozen=True)
class Happening:
    date: str
    what: str
    description: str
    cited: list[int]


@dataclass(frozen=True)
class ServiceStory:
    name: str
    rows: list[Row]
    events: list[Happening]


@dataclass(frozen=True)
class Pack:
    authority: Authority
    made_on: datetime.date
    cut_off: datetime.date
    then: datetime.date
    kinds: list[dict[str, Any]]
    stories: list[ServiceStory]
    timeline_svg: str
    timeline_summary: str
    legend: dict[str, str]
    mark_legend: dict[str, str]
    council_fates: list[dict[str, Any]]
    spin_out_count: int
    national: list[dict[str, Any]]
    national_sentences: list[str]
    national_cut_off: datetime.date | None
    contracts: list[ProviderContracts]
    upcoming: list[dict[str, Any]]
    sources: list[dict[str, str]]
    based_on: list[str]
    staff: workforce.CouncilStaff | None


def _kinds(spans: list[public.Span], now: datetime.date, then: datetime.date) -> list[dict]:
    """Services by kind of provider, now and ``then``: the kinds either shows."""
    rows = []
    for value, label in LegalForm.choices:
        counts = [
            sum(1 for s in spans if s.legal_form == value and s.running_on(d)) for d in (then, now)
        ]
        if any(counts):
            rows.append({"kind": label, "then": counts[0], "now": counts[1]})
    return rows


def _stories(page: public.AuthorityPage, citations: Citations) -> list[ServiceStory]:
    by_service: dict[str, ServiceStory] = {}
    for item in page.arrangements:
        a = item["record"]
        story = by_service.setdefault(
            a["service_area__name"], ServiceStory(a["service_area__name"], [], [])
        )
        story.rows.append(
            Row(
                provider=a["provider__name"],
                kind=LEGAL_FORM_LABELS.get(a["provider__legal_form"], ""),
                start=partial_day_text(a["start_date"], a["start_precision"]),
                end=partial_day_text(a["end_date"], a["end_precision"]) or "now",
                began=a["origin_label"],
                fate=str(item["fate"]),
                cited=citations.cite(item["sources"]),
            )
        )
    for item in page.events:
        e = item["record"]
        found = by_service.get(e["arrangement__service_area__name"])
        if found is not None:
            found.events.append(
                Happening(
                    date=partial_day_text(e["date"], e["date_precision"]),
                    what=e["event_label"],
                    description=e["description"],
                    cited=citations.cite(item["sources"]),
                )
            )
    return [by_service[name] for name in sorted(by_service)]


def _council_fates(authority_id: int) -> tuple[list[dict[str, Any]], int]:
    """What became of this council's spin-outs so far, by the fates analysis's own rules."""
    spells = spin_outs(build_spells(load_authority_history(authority_id)))
    exits = Counter(spell.exit for spell in spells)
    rows = [
        {"fate": stories.EXIT_WORDS[exit_], "count": exits.get(exit_, 0)}
        for exit_ in (Exit.PRIVATE, Exit.IN_HOUSE, Exit.CLOSED)
    ]
    rows.append(
        {"fate": "Still with an independent provider", "count": exits.get(Exit.CENSORED, 0)}
    )
    return rows, len(spells)


def _national() -> tuple[list[dict[str, Any]], list[str], datetime.date | None]:
    """The latest national estimates (those with a figure), in plain words too."""
    figures = fates_queries.latest_page_figures()
    if figures is None:
        return [], [], None
    estimates = [
        {**f, "interval": "{}% to {}%".format(*whole_percent_bounds(f["lower"], f["upper"]))}
        for f in figures["headline"]
        # The shares of services by fate; the median time is in the sentences.
        if f.get("status") == "estimate" and fate_of(f) is not None
    ]
    return estimates, national_sentences(figures), figures["cut_off"]


def _staff(authority: Authority, page: public.AuthorityPage) -> workforce.CouncilStaff | None:
    """The latest protected workforce tables, as far as they concern this council: nothing
    before the first is published."""
    release = public.latest_workforce_release()
    if release is None:
        return None
    kinds = {
        LEGAL_FORM_LABELS.get(row["record"]["provider__legal_form"], "")
        for row in page.arrangements
        if row["record"]["provider__legal_form"] != LegalForm.IN_HOUSE
    }
    return workforce.council_staff(release, authority.name, kinds - {""})


def _external(contracts: list[ProviderContracts]) -> list[ProviderContracts]:
    in_house = LEGAL_FORM_LABELS[LegalForm.IN_HOUSE]
    return [g for g in contracts if g.provider is None or g.provider["legal_form"] != in_house]


def _upcoming(contracts: list[ProviderContracts], today: datetime.date) -> list[dict[str, Any]]:
    """Contracts still running, soonest end first: the next re-tenders a branch can act on."""
    rows = [
        {"award": award, "holder": group.provider["name"] if group.provider else award.supplier}
        for group in contracts
        for award in group.awards
        if award.ends_on and award.ends_on >= today
    ]
    return sorted(rows, key=lambda r: (r["award"].ends_on, r["holder"]))


def _source_rows(citations: Citations, site: str) -> list[dict[str, str]]:
    return [
        {
            "number": str(number),
            "title": source.title,
            "url": source.url,
            "page": site + reverse("source-detail", args=[source.uid]),
        }
        for number, source in enumerate(citations.sources, start=1)
    ]


def branch_pack(authority: Authority, today: datetime.date, site: str = "") -> Pack:
    """Everything the pack prints about ``authority``; ``site`` prefixes its own links."""
    page = public.authority_page(authority.pk)
    citations = Citations()
    service_stories = _stories(page, citations)
    bars = stories.timeline_bars([row["record"] for row in page.arrangements], page.cut_off)
    marks = stories.timeline_marks(row["record"] for row in page.events)
    svg = charts.timeline_svg(bars, marks)
    then = today.replace(year=today.year - YEARS_BEFORE, day=min(today.day, 28))
    spans = public.spans_of(public.published_arrangements().filter(authority=authority))
    council_fates, spin_out_count = _council_fates(authority.pk)
    national, sentences, national_cut_off = _national()
    contracts = _external(public.council_contracts(authority.pk))
    awards = sum(len(g.awards) for g in contracts)
    staff = _staff(authority, page)
    return Pack(
        authority=authority,
        made_on=today,
        cut_off=page.cut_off,
        then=then,
        kinds=_kinds(spans, today, then),
        stories=service_stories,
        timeline_svg=svg,
        timeline_summary=stories.timeline_summary(bars, marks),
        legend=stories.legend(bars),
        mark_legend=stories.mark_legend(marks),
        council_fates=council_fates,
        spin_out_count=spin_out_count,
        national=national,
        national_sentences=sentences,
        national_cut_off=national_cut_off,
        contracts=contracts,
        upcoming=_upcoming(contracts, today),
        sources=_source_rows(citations, site),
        based_on=[
            f"{len(page.arrangements)} published arrangements and {len(page.events)} events "
            f"of the mutualwatch register, up to {partial_day_text(page.cut_off, 'day')};",
            f"{len(citations.sources)} published sources, listed at the end;",
            f"{awards} awards in the council's published procurement notices (OCDS);",
            "the national fates analysis"
            + (
                f" of the register to {partial_day_text(national_cut_off, 'day')};"
                if national_cut_off
                else " (not yet run);"
            ),
            f"the protected workforce tables: {staff.release.name}."
            if staff
            else "the protected workforce tables (none published yet).",
        ],
        staff=staff,
    )
