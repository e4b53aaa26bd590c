"""The world's truth: who delivered each council service, when, and what became of them.

Each authority and service area starts in-house on the first day of the world's history. From
then on, time runs in continuous steps drawn from constant hazards: an in-house service waits an
exponential time for a spin-out or an outsourcing; an external arrangement waits an exponential
time for its first competing exit (re-tender, takeover, insolvency, dissolution, insourcing),
with the exit chosen in proportion to its hazard. Anything after the census date is censored.
"""

import datetime
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from mutualwatch.demoworld.authorities import Authority, generate_authorities
from mutualwatch.demoworld.names import (
    person_name,
    place_name,
    postcode,
    private_company_name,
    street_address,
    strip_legal_suffix,
)
from mutualwatch.demoworld.parameters import (
    CENSUS_DATE,
    HISTORY_START,
    IN_HOUSE_FORM,
    OCDS_START,
    PRIVATE_FORM,
    SPIN_OUT_FORMS,
    WorldParameters,
)
from mutualwatch.demoworld.randomness import draw_uuid, stream
from mutualwatch.register.vocabulary import SERVICE_AREAS

OCID_PREFIX = "ocds-mwdemo"
SERVICE_NAMES = {code: name for code, name, _description in SERVICE_AREAS}
DAYS_PER_YEAR = 365.25

# Short words for naming a spun-out provider after its service.
SERVICE_WORDS = {
    "adult-social-care": "Care",
    "childrens-services": "Children's Services",
    "education-support": "Education Services",
    "public-health": "Health and Wellbeing",
    "libraries": "Libraries",
    "leisure": "Leisure",
    "culture-heritage": "Culture and Heritage",
    "youth-services": "Youth",
    "housing-management": "Homes",
    "homelessness": "Housing Advice",
    "waste-collection": "Recycling",
    "waste-disposal": "Waste Services",
    "street-cleaning": "Streetscene",
    "highways": "Highways",
    "parks-grounds": "Parks and Open Spaces",
    "transport": "Community Transport",
    "planning-building-control": "Building Control",
    "environmental-health": "Environmental Services",
    "facilities-management": "Property Services",
    "revenues-benefits": "Revenues",
    "customer-services": "Customer Services",
    "it-services": "Digital",
    "hr-payroll": "People Services",
    "finance-back-office": "Business Services",
    "legal-services": "Legal Services",
    "careers-services": "Careers",
    "community-services": "Community Action",
    "markets": "Markets",
    "parking": "Parking Services",
    "energy": "Energy",
}

FILING_TITLES = {"insolvent": "winding-up order", "dissolved": "dissolution"}

# Companies House categories, as the BasicCompanyData file spells them.
CATEGORY_PRIVATE = "Private Limited Company"
CATEGORY_GUARANTEE = "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)"
CATEGORY_CIC = "Community Interest Company"


@dataclass
class Company:
    """A legal person in a public register: Companies House (`ch`) or the FCA Mutuals register
    (`fca`, numbers like `525R`). Its status is as at the census date."""

    register: str
    number: str
    name: str
    category: str
    incorporated_on: datetime.date
    address: tuple[str, str, str]
    alternative_addresses: list[tuple[str, str, str]]
    sic: str
    status: str = "Active"
    dissolved_on: datetime.date | None = None
    decoy_of: str = ""

    @property
    def key(self) -> str:
        """The company's identity in the ground truth: register and number."""
        return f"{self.register}:{self.number}"


@dataclass
class Control:
    controller_name: str
    controller_kind: str
    controller_uid: str
    start: datetime.date
    end: datetime.date | None
    source_uid: str


@dataclass
class Source:
    uid: str
    title: str
    publisher: str
    url: str
    kind: str
    published_on: datetime.date


@dataclass
class Provider:
    """Whoever delivers a service. A spun-out provider has one home authority and one service;
    a private firm may serve many. `fate` is the spun-out provider's first exit, or `ongoing`."""

    uid: str
    name: str
    legal_form: str
    company: Company | None
    authority: str = ""
    service_area: str = ""
    formed_on: datetime.date | None = None
    controls: list[Control] = field(default_factory=list)
    fate: str = "ongoing"
    fate_on: datetime.date | None = None
    # A private firm's person with significant control, published only in the BODS statements.
    beneficial_owner: str = ""


@dataclass
class Spell:
    """One provider delivering one service for one authority: an arrangement in the register."""

    uid: str
    authority: str
    service_area: str
    provider_uid: str
    provider_form: str
    start: datetime.date
    origin: str
    source: Source
    end: datetime.date | None = None
    exit: str = ""
    staff_transferred: int | None = None
    ocid: str = ""
    value: int = 0
    extensions: list[datetime.date] = field(default_factory=list)


@dataclass
class WorldEvent:
    uid: str
    event_type: str
    date: datetime.date
    arrangement_uid: str
    provider_uid: str
    counterparty_uid: str
    description: str
    source: Source


@dataclass
class History:
    authority: str
    service_area: str
    spells: list[Spell]

    @property
    def ever_external(self) -> bool:
        return len(self.spells) > 1


@dataclass
class World:
    parameters: WorldParameters
    authorities: list[Authority]
    in_house: dict[str, Provider]
    private_firms: list[Provider]
    spun_out: list[Provider]
    histories: list[History]
    events: list[WorldEvent]
    decoys: list[Company]

    def providers(self) -> Iterator[Provider]:
        yield from self.in_house.values()
        yield from self.private_firms
        yield from self.spun_out

    def companies(self) -> Iterator[Company]:
        """Every world company in a register: providers' own and their decoys."""
        for provider in self.providers():
            if provider.company is not None:
                yield provider.company
        yield from self.decoys

    def spells_of(self, gss_code: str) -> Iterator[Spell]:
        for history in self.histories:
            if history.authority == gss_code:
                yield from history.spells


class NumberAllocator:
    """Hands out register numbers to world companies, never the same twice.

    Companies House numbers are `X` and seven digits, a shape no real company has; their
    position in the Companies House file is the number, so the world's companies sit at random
    places among the background ones. FCA society numbers start above any real one.
    """

    def __init__(self, parameters: WorldParameters) -> None:
        self.rng = stream(parameters.seed, "register-numbers")
        self.capacity = parameters.size.register_companies
        self.used_ch: set[int] = set()
        self.next_fca = 40_000

    def companies_house(self) -> str:
        if len(self.used_ch) >= self.capacity:
            msg = "the Companies House file is too small for the world's companies"
            raise ValueError(msg)
        index = self.rng.randrange(self.capacity)
        while index in self.used_ch:
            index = self.rng.randrange(self.capacity)
        self.used_ch.add(index)
        return companies_house_number(index)

    def fca(self) -> str:
        self.next_fca += self.rng.randint(1, 40)
        return f"{self.next_fca}R"


def companies_house_number(index: int) -> str:
    """The number of the company at `index` (from 0) in the Companies House file."""
    return f"X{index + 1:07d}"


def companies_house_index(number: str) -> int:
    return int(number[1:]) - 1


def add_days(day: datetime.date, days: float) -> datetime.date | None:
    """`day` plus `days`, or None if that is after the census (the world ends there)."""
    ordinal = day.toordinal() + max(1, round(days))
    if ordinal > CENSUS_DATE.toordinal():
        return None
    return datetime.date.fromordinal(ordinal)


def years_to_days(years: float) -> float:
    return years * DAYS_PER_YEAR


def pick_weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key of `weights`, chosen in proportion to its weight (keys in their given order)."""
    keys = [key for key, weight in weights.items() if weight > 0]
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def draw_exit(rng: random.Random, hazards: Mapping[str, float]) -> tuple[float, str]:
    """The time in years to the first of the competing exits, and which exit it is.

    With constant cause-specific hazards, the first exit comes after an exponential time at the
    total hazard, and is exit k with probability h_k / H, independently of when it comes.
    """
    return rng.expovariate(sum(hazards.values())), pick_weighted(rng, hazards)


def company_address(rng: random.Random, town: str) -> tuple[str, str, str]:
    return (street_address(rng), town, postcode(rng))


class WorldBuilder:
    """Runs every authority's and service area's history and collects what it creates."""

    def __init__(self, parameters: WorldParameters) -> None:
        self.parameters = parameters
        self.numbers = NumberAllocator(parameters)
        self.names_in_use: set[str] = set()
        self.events: list[WorldEvent] = []
        self.spun_out: list[Provider] = []
        self.arrangement_ocids = 0

    # --- providers ---------------------------------------------------------------------------

    def unique_name(self, name: str) -> str:
        """Companies House refuses a name already on the register; so does this world."""
        base = strip_legal_suffix(name)
        suffix = name[len(base) :]
        candidate, number = name, 1
        while candidate in self.names_in_use:
            number += 1
            candidate = f"{base} No. {number}{suffix}"
        self.names_in_use.add(candidate)
        return candidate

    def private_firms(self) -> list[Provider]:
        rng = stream(self.parameters.seed, "private-firms")
        firms = []
        for _ in range(self.parameters.size.private_firms):
            town = place_name(rng)
            name = self.unique_name(private_company_name(rng))
            company = Company(
                register="ch",
                number=self.numbers.companies_house(),
                name=name,
                category=CATEGORY_PRIVATE,
                incorporated_on=datetime.date(rng.randint(1960, 2010), rng.randint(1, 12), 1),
                address=company_address(rng, town),
                alternative_addresses=[
                    company_address(rng, place_name(rng)) for _ in range(rng.randint(1, 3))
                ],
                sic="81100 - Combined facilities support activities",
            )
            firms.append(
                Provider(
                    uid=draw_uuid(rng),
                    name=name,
                    legal_form=PRIVATE_FORM,
                    company=company,
                    beneficial_owner=person_name(rng),
                )
            )
        return firms

    def in_house_provider(self, authority: Authority) -> Provider:
        rng = stream(self.parameters.seed, "in-house", authority.gss_code)
        return Provider(
            uid=draw_uuid(rng),
            name=f"{authority.name} (in-house)",
            legal_form=IN_HOUSE_FORM,
            company=None,
            authority=authority.gss_code,
        )

    def spin_out_provider(
        self,
        rng: random.Random,
        authority: Authority,
        service_area: str,
        form: str,
        day: datetime.date,
        source: Source,
    ) -> Provider:
        word = SERVICE_WORDS[service_area]
        society = form == "cooperative" or (form == "public-service-mutual" and rng.random() < 0.3)
        if form == "cooperative":
            name = f"{authority.place} {word} Co-operative Limited"
        elif form == "public-service-mutual":
            name = f"{authority.place} {word} {rng.choice(('Partnership', 'Mutual', 'Trust'))}"
            name += " Limited"
        elif form == "cic":
            name = f"{authority.place} {word} {rng.choice(('Community', 'Social Enterprise'))} CIC"
        else:
            name = f"{authority.place} {word} {rng.choice(('Services', 'Trading', 'Works'))}"
            name += " Limited"
        name = self.unique_name(name)
        category = {
            "public-service-mutual": CATEGORY_GUARANTEE,
            "cic": CATEGORY_CIC,
            "trading-company": CATEGORY_PRIVATE,
        }.get(form, "Registered Society")
        incorporated = datetime.date.fromordinal(day.toordinal() - rng.randint(30, 300))
        company = Company(
            register="fca" if society else "ch",
            number=self.numbers.fca() if society else self.numbers.companies_house(),
            name=name,
            category=category,
            incorporated_on=incorporated,
            address=company_address(rng, authority.place),
            alternative_addresses=[company_address(rng, authority.place)]
            if rng.random() < 0.5
            else [],
            sic="88990 - Other social work activities without accommodation n.e.c.",
        )
        if form == "trading-company":
            control = Control(authority.name, "council", "", day, None, source.uid)
        else:
            control = Control(
                f"The members of {name}", "employees-or-members", "", day, None, source.uid
            )
        provider = Provider(
            uid=draw_uuid(rng),
            name=name,
            legal_form=form,
            company=company,
            authority=authority.gss_code,
            service_area=service_area,
            formed_on=day,
            controls=[control],
        )
        self.spun_out.append(provider)
        return provider

    # --- sources and events ------------------------------------------------------------------

    def source(
        self,
        rng: random.Random,
        kind: str,
        title: str,
        publisher: str,
        url_path: str,
        day: datetime.date,
    ) -> Source:
        uid = draw_uuid(rng)
        hosts = {
            "council-paper": "https://democracy.example.org",
            "procurement-notice": "https://contracts.example.org",
            "register-filing": "https://register.example.org",
            "press": "https://news.example.com",
        }
        return Source(
            uid=uid,
            title=title,
            publisher=publisher,
            url=f"{hosts[kind]}/{url_safe(url_path)}/{uid[:8]}",
            kind=kind,
            published_on=day,
        )

    def event(
        self,
        rng: random.Random,
        event_type: str,
        day: datetime.date,
        spell: Spell,
        provider_uid: str,
        counterparty_uid: str,
        description: str,
        source: Source,
    ) -> WorldEvent:
        event = WorldEvent(
            uid=draw_uuid(rng),
            event_type=event_type,
            date=day,
            arrangement_uid=spell.uid,
            provider_uid=provider_uid,
            counterparty_uid=counterparty_uid,
            description=description,
            source=source,
        )
        self.events.append(event)
        return event

    # --- histories ---------------------------------------------------------------------------

    def history(
        self,
        authority: Authority,
        service_area: str,
        in_house: Provider,
        firms: list[Provider],
    ) -> History:
        """One service's delivery history, from the world's start to its census."""
        rng = stream(self.parameters.seed, "history", authority.gss_code, service_area)
        providers = {in_house.uid: in_house} | {firm.uid: firm for firm in firms}
        first_source = self.source(
            rng,
            "council-paper",
            f"{authority.name}: service plan for {SERVICE_NAMES[service_area].lower()}",
            authority.name,
            f"{authority.slug}/papers/{HISTORY_START.year}",
            HISTORY_START,
        )
        spell = Spell(
            uid=draw_uuid(rng),
            authority=authority.gss_code,
            service_area=service_area,
            provider_uid=in_house.uid,
            provider_form=IN_HOUSE_FORM,
            start=HISTORY_START,
            origin="always-in-house",
            source=first_source,
        )
        spells = [spell]
        day = HISTORY_START
        while True:
            external = spell.provider_form != IN_HOUSE_FORM
            hazards = (
                self.parameters.exit_hazards[spell.provider_form]
                if external
                else self.parameters.entry_hazards
            )
            wait, change = draw_exit(rng, hazards)
            next_day = add_days(day, years_to_days(wait))
            if external:
                spell.extensions.extend(self.extensions(rng, day, next_day or CENSUS_DATE))
            if next_day is None:
                break
            day = next_day
            if not external:
                spell = self.externalise(rng, authority, spell, change, day, firms, providers)
                spells.append(spell)
                continue
            provider = providers[spell.provider_uid]
            if provider.fate == "ongoing" and provider.legal_form in SPIN_OUT_FORMS:
                provider.fate, provider.fate_on = change, day
            if change == "taken-over":
                self.take_over(rng, spell, provider, day, firms)
                continue
            spell = self.end_spell(rng, authority, spell, provider, change, day, firms, in_house)
            spells.append(spell)
        return History(authority.gss_code, service_area, spells)

    def extensions(
        self, rng: random.Random, start: datetime.date, end: datetime.date
    ) -> list[datetime.date]:
        """Contract extensions during an external spell: a Poisson process at a constant rate."""
        found: list[datetime.date] = []
        day: datetime.date | None = start
        while True:
            assert day is not None
            day = add_days(day, years_to_days(rng.expovariate(self.parameters.extension_hazard)))
            if day is None or day >= end:
                return found
            found.append(day)

    def new_spell(
        self,
        rng: random.Random,
        authority: Authority,
        service_area: str,
        provider: Provider,
        origin: str,
        day: datetime.date,
        source: Source,
    ) -> Spell:
        spell = Spell(
            uid=draw_uuid(rng),
            authority=authority.gss_code,
            service_area=service_area,
            provider_uid=provider.uid,
            provider_form=provider.legal_form,
            start=day,
            origin=origin,
            source=source,
        )
        if provider.legal_form != IN_HOUSE_FORM:
            spell.staff_transferred = rng.randint(5, 600) if origin != "transfer" else None
            spell.value = rng.randint(20, 4000) * 5_000
            if day >= OCDS_START:
                self.arrangement_ocids += 1
                spell.ocid = f"{OCID_PREFIX}-{authority.gss_code}-A{self.arrangement_ocids:06d}"
        return spell

    def externalise(
        self,
        rng: random.Random,
        authority: Authority,
        spell: Spell,
        form: str,
        day: datetime.date,
        firms: list[Provider],
        providers: dict[str, Provider],
    ) -> Spell:
        """An in-house service spun out into `form`, or outsourced to a private firm."""
        spell.end, spell.exit = day, "spun-out" if form in SPIN_OUT_FORMS else "outsourced"
        service = SERVICE_NAMES[spell.service_area]
        paper = self.source(
            rng,
            "council-paper",
            f"{authority.name} cabinet: future delivery of {service.lower()}",
            authority.name,
            f"{authority.slug}/cabinet/{day.isoformat()}",
            day,
        )
        if form in SPIN_OUT_FORMS:
            provider = self.spin_out_provider(rng, authority, spell.service_area, form, day, paper)
            providers[provider.uid] = provider
            successor = self.new_spell(
                rng, authority, spell.service_area, provider, "spin-out", day, paper
            )
            self.event(
                rng, "spin-out", day, successor, provider.uid, "",
                f"Spun out of {authority.name} into {provider.name}", paper,
            )  # fmt: skip
            return successor
        firm = rng.choice(firms)
        successor = self.new_spell(
            rng, authority, spell.service_area, firm, "outsourcing", day, paper
        )
        self.event(
            rng, "contract-award", day, successor, firm.uid, "",
            f"Outsourced by {authority.name} to {firm.name}", paper,
        )  # fmt: skip
        return successor

    def take_over(
        self,
        rng: random.Random,
        spell: Spell,
        provider: Provider,
        day: datetime.date,
        firms: list[Provider],
    ) -> None:
        """A private firm buys the provider: the service carries on, now under private control,
        and from now on faces a private contractor's hazards."""
        acquirer = rng.choice(firms)
        press = self.source(
            rng,
            "press",
            f"{acquirer.name} acquires {provider.name}",
            "The Fictional Municipal Journal",
            f"{day.year}/{day.month:02d}/takeover",
            day,
        )
        for control in provider.controls:
            if control.end is None:
                control.end = day
        provider.controls.append(
            Control(acquirer.name, "private", acquirer.uid, day, None, press.uid)
        )
        spell.provider_form = PRIVATE_FORM
        self.event(
            rng, "takeover", day, spell, provider.uid, acquirer.uid,
            f"{provider.name} taken over by {acquirer.name}", press,
        )  # fmt: skip

    def end_spell(
        self,
        rng: random.Random,
        authority: Authority,
        spell: Spell,
        provider: Provider,
        change: str,
        day: datetime.date,
        firms: list[Provider],
        in_house: Provider,
    ) -> Spell:
        """The arrangement ends by `change`; returns the arrangement that follows it."""
        spell.end, spell.exit = day, change
        service = spell.service_area
        if change == "re-tendered":
            winner = rng.choice([firm for firm in firms if firm.uid != provider.uid])
            notice = self.source(
                rng,
                "procurement-notice" if day >= OCDS_START else "council-paper",
                f"{authority.name}: award of {SERVICE_NAMES[service].lower()} contract",
                authority.name,
                f"{authority.slug}/notices/{day.isoformat()}",
                day,
            )
            self.event(
                rng, "re-tender", day, spell, provider.uid, winner.uid,
                f"Re-tendered; won by {winner.name}", notice,
            )  # fmt: skip
            # One happening, one event: the re-tender, on the arrangement it ended, names the
            # winner; the winner's arrangement starts that day, citing the same notice.
            return self.new_spell(rng, authority, service, winner, "transfer", day, notice)
        if change in ("insolvent", "dissolved"):
            assert provider.company is not None
            provider.company.status = "Liquidation" if change == "insolvent" else "Dissolved"
            provider.company.dissolved_on = day if change == "dissolved" else None
            filing = self.source(
                rng,
                "register-filing",
                f"{provider.name}: {FILING_TITLES[change]}",
                "Companies House" if provider.company.register == "ch" else "FCA",
                f"company/{provider.company.number}/filing-history",
                day,
            )
            self.event(
                rng, "insolvency" if change == "insolvent" else "dissolution", day, spell,
                provider.uid, "", f"{provider.name} {change}", filing,
            )  # fmt: skip
            paper = self.source(
                rng,
                "council-paper",
                f"{authority.name}: emergency return of {SERVICE_NAMES[service].lower()} in-house",
                authority.name,
                f"{authority.slug}/decisions/{day.isoformat()}",
                day,
            )
            return self.new_spell(rng, authority, service, in_house, "insourcing", day, paper)
        paper = self.source(
            rng,
            "council-paper",
            f"{authority.name}: bringing {SERVICE_NAMES[service].lower()} back in-house",
            authority.name,
            f"{authority.slug}/cabinet/{day.isoformat()}",
            day,
        )
        self.event(
            rng, "insourcing", day, spell, provider.uid, in_house.uid,
            f"Brought back in-house by {authority.name}", paper,
        )  # fmt: skip
        return self.new_spell(rng, authority, service, in_house, "insourcing", day, paper)

    def decoys_for(self, company: Company) -> list[Company]:
        """Registered companies with names like `company`'s: the traps a name matcher must avoid."""
        rng = stream(self.parameters.seed, "decoys", company.key)
        count = int(self.parameters.habits.decoys_per_world_company)
        if rng.random() < self.parameters.habits.decoys_per_world_company - count:
            count += 1
        base = company.name.removesuffix(" Limited").removesuffix(" CIC")
        shapes = (
            f"{base} Holdings Limited",
            f"{base} (UK) Limited",
            f"{base} Trading Limited",
            f"New {base} Limited",
            f"{base} Developments Limited",
        )
        decoys = []
        for name in rng.sample(shapes, count):
            dissolved = rng.random() < 0.4
            incorporated = datetime.date(rng.randint(1975, 2022), rng.randint(1, 12), 1)
            decoys.append(
                Company(
                    register="ch",
                    number=self.numbers.companies_house(),
                    name=self.unique_name(name),
                    category=CATEGORY_PRIVATE,
                    incorporated_on=incorporated,
                    address=company_address(rng, company.address[1]),
                    alternative_addresses=[],
                    sic="70100 - Activities of head offices",
                    status="Dissolved" if dissolved else "Active",
                    dissolved_on=(
                        datetime.date(max(incorporated.year + 1, 2023), 6, 30)
                        if dissolved
                        else None
                    ),
                    decoy_of=company.key,
                )
            )
        return decoys


def build_world(parameters: WorldParameters) -> World:
    """The whole true world: councils, providers, every service's history, and decoys.

    It is small (tens of thousands of records even nationally); the large published files are
    streamed from it later.
    """
    builder = WorldBuilder(parameters)
    authorities = generate_authorities(parameters)
    firms = builder.private_firms()
    in_house = {
        authority.gss_code: builder.in_house_provider(authority) for authority in authorities
    }
    histories = [
        builder.history(authority, code, in_house[authority.gss_code], firms)
        for authority in authorities
        for code, _name, _description in SERVICE_AREAS
    ]
    decoys = [
        decoy
        for provider in [*firms, *builder.spun_out]
        if provider.company is not None
        for decoy in builder.decoys_for(provider.company)
    ]
    return World(
        parameters=parameters,
        authorities=authorities,
        in_house=in_house,
        private_firms=firms,
        spun_out=builder.spun_out,
        histories=histories,
        events=builder.events,
        decoys=decoys,
    )


def url_safe(path: str) -> str:
    """A path fit for a URL: council names carry spaces and apostrophes."""
    return re.sub(r"[^a-z0-9/]+", "-", path.lower()).strip("-")
