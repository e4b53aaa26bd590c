"""The demo world's guidance library and positions: fictional documents, actors and quotes.

Every name and text here is invented (a fictional co-operative council, government
programme, union conference, party and co-operative federation), written so that the positions
page has something to compare and some gaps ("no position found in the library"). Fixed
texts, so the same every time; loading twice changes nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from mutualwatch.demoworld.exceptions import DemoWorldError
from mutualwatch.guidance.diff import quoted_in
from mutualwatch.guidance.models import (
    Actor,
    Document,
    DocumentVersion,
    Position,
    Question,
    Topic,
)
from mutualwatch.register.models import ReviewState, ServiceArea, Source, SourceKind

D = datetime.date
PARAGRAPHS = "\n\n"

TOPICS = {
    "tupe": "TUPE",
    "pensions": "Pensions",
    "community-right-to-challenge": "Community right to challenge",
    "asset-locks": "Asset locks",
    "insourcing": "Insourcing",
}


@dataclass(frozen=True)
class DemoDocument:
    title: str
    kind: str
    author: str
    topics: tuple[str, ...]
    #: (dated, change note, text) per version, in order.
    versions: tuple[tuple[datetime.date, str, str], ...]
    stages: tuple[str, ...] = ()
    service_areas: tuple[str, ...] = ()


PLEDGE_V1 = PARAGRAPHS.join(
    [
        "Dralby will become a co-operative council.",
        "We will protect frontline services by giving residents and staff real power to run "
        "them. Staff who form a mutual will own a stake in it and elect its board.",
        "Every mutual we commission will report each year to a scrutiny committee of "
        "councillors and residents.",
        "Transferred staff keep their terms under TUPE and stay in the local government "
        "pension scheme.",
        "This will save money and build stronger communities.",
    ]
)

PLEDGE_V2 = PLEDGE_V1.replace(
    "This will save money and build stronger communities.",
    "Any mutual formed from a council service will adopt an asset lock, so that its buildings "
    "and surplus stay in community use.\n\nThis will save the council two million pounds a year "
    "and build stronger communities.",
)

PATHFINDER = PARAGRAPHS.join(
    [
        "The Mutuals Pathfinder programme gives public servants the right to run the services "
        "they deliver as independent mutuals.",
        "Employee ownership is encouraged at the start; a mutual may later take in outside "
        "investors to grow.",
        "Mutuals are accountable to their commissioners through their contracts.",
        "Staff transfer under TUPE; pension arrangements are for each mutual to agree with "
        "its commissioner.",
        "Mutuals will compete for contracts on equal terms with any provider.",
        "Mutualisation releases savings of up to a fifth of a service's cost.",
    ]
)

MOTION_V1 = PARAGRAPHS.join(
    [
        "Conference notes that mutuals spun out of councils have no guarantee that staff keep "
        "ownership: boards can sell to the highest bidder.",
        "Conference believes that without a statutory asset lock a mutual's assets can pass "
        "to a private company.",
        "Conference believes that a mutual answers to its board, not to the public, once it "
        "leaves the council.",
        "Conference notes that new starters at spun-out mutuals are often offered worse "
        "pensions than transferred staff.",
        "Conference calls for services to be kept in-house.",
    ]
)

MOTION_V2 = MOTION_V1.replace(
    "Conference calls for services to be kept in-house.",
    "Conference notes that a mutual losing a re-tender can be taken over by a private "
    "competitor, and nothing in its contract stops it.\n\nConference notes that promised "
    "savings have rarely been shown in the accounts.\n\nConference calls for services to be "
    "kept in-house and for branches to be given the evidence to argue for it.",
)

PARTY = PARAGRAPHS.join(
    [
        "Public service mutuals must be genuinely owned by their staff and users, with "
        "ownership that cannot be sold.",
        "Every public service mutual should carry an asset lock.",
        "Mutuals must stay under the democratic control of their members and answer to the "
        "public through the council's scrutiny.",
        "Mutualisation must never be a back door to privatisation.",
    ]
)

PRINCIPLES = PARAGRAPHS.join(
    [
        "First principle: voluntary and open membership.",
        "Second principle: democratic member control; members control their co-operative and "
        "elect its representatives, who are accountable to the membership.",
        "Third principle: member economic participation; at least part of the capital is the "
        "common property of the co-operative and is indivisible.",
        "Fourth principle: autonomy and independence; a co-operative that enters agreements "
        "with governments does so on terms that keep its autonomy.",
    ]
)

TUPE_V1 = PARAGRAPHS.join(
    [
        "When a service leaves the council, the staff who work in it transfer to the new "
        "employer under TUPE on their existing terms.",
        "Ask at once for the list of staff in scope and the measures the new employer proposes.",
        "Pension protection is not automatic: ask whether the new employer will be an "
        "admitted body in the local government pension scheme.",
    ]
)

TUPE_V2 = PARAGRAPHS.join(
    [
        TUPE_V1,
        "New starters are not covered by TUPE: ask what terms and pension they will be "
        "offered, in writing, before the decision.",
    ]
)

DOCUMENTS = [
    DemoDocument(
        "Dralby Co-operative Council pledge",
        "pledge",
        "Dralby Council's ruling group (fictional)",
        ("asset-locks", "pensions"),
        (
            (D(2011, 5, 12), "As adopted.", PLEDGE_V1),
            (D(2014, 3, 3), "Renewed with an asset lock and a savings figure.", PLEDGE_V2),
        ),
    ),
    DemoDocument(
        "Mutuals Pathfinder prospectus",
        "policy-statement",
        "Department for Community Enterprise (fictional)",
        ("tupe", "pensions"),
        ((D(2011, 11, 1), "As published.", PATHFINDER),),
    ),
    DemoDocument(
        "Motion 14: Mutuals and the market",
        "motion",
        "Public Service Workers' Union local government conference (fictional)",
        ("asset-locks", "insourcing", "pensions"),
        (
            (D(2015, 2, 10), "As tabled.", MOTION_V1),
            (D(2015, 2, 17), "As carried, with the Northfold branch's amendment.", MOTION_V2),
        ),
        stages=("early-signs", "options-appraisal"),
    ),
    DemoDocument(
        "Co-operative Alliance Party statement on public service mutuals",
        "policy-statement",
        "Co-operative Alliance Party (fictional)",
        ("asset-locks",),
        ((D(2016, 9, 20), "As published.", PARTY),),
    ),
    DemoDocument(
        "Global Co-operative Federation principles",
        "policy-statement",
        "Global Co-operative Federation (fictional)",
        ("asset-locks",),
        ((D(2012, 1, 1), "A fictional restatement of co-operative principles.", PRINCIPLES),),
    ),
    DemoDocument(
        "Briefing: TUPE and your pension when a service leaves the council",
        "briefing",
        "Public Service Workers' Union (fictional)",
        ("tupe", "pensions"),
        (
            (D(2017, 6, 5), "First edition.", TUPE_V1),
            (D(2019, 4, 1), "New starters added.", TUPE_V2),
        ),
        stages=("consultation", "transfer"),
    ),
    DemoDocument(
        "Legal note: the community right to challenge",
        "legal-note",
        "Public Service Workers' Union legal department (fictional)",
        ("community-right-to-challenge",),
        (
            (
                D(2018, 1, 15),
                "First edition.",
                "A relevant body may express an interest in running a council service. The "
                "council must consider it and may run a procurement exercise; it does not have "
                "to hand the service over.\n\nBranches should ask to see any expression of "
                "interest and the council's timetable for deciding it.",
            ),
        ),
        stages=("early-signs", "options-appraisal"),
    ),
    DemoDocument(
        "Guidance: making the case for bringing leisure back in-house",
        "guidance",
        "Public Service Workers' Union (fictional)",
        ("insourcing",),
        (
            (
                D(2020, 10, 2),
                "First edition.",
                "Ask for the leisure contract's performance reports and the council's own "
                "costing of an in-house service.\n\nSet the management fee and the "
                "contractor's profit against the cost of running the centres directly.",
            ),
        ),
        stages=("options-appraisal", "decision"),
        service_areas=("leisure",),
    ),
]

#: code, name, description, the title of the document its positions quote.
ACTORS = [
    (
        "council-pledge",
        "Dralby Co-operative Council pledge",
        "A fictional co-operative council's pledge.",
        "Dralby Co-operative Council pledge",
    ),
    (
        "government-programme",
        "Mutuals Pathfinder (government programme)",
        "A fictional government's mutuals programme.",
        "Mutuals Pathfinder prospectus",
    ),
    (
        "union-conference",
        "Union conference motions",
        "A fictional union's local government conference.",
        "Motion 14: Mutuals and the market",
    ),
    (
        "party",
        "Co-operative Alliance Party",
        "A fictional co-operative party.",
        "Co-operative Alliance Party statement on public service mutuals",
    ),
    (
        "cooperative-principles",
        "Global Co-operative Federation principles",
        "A fictional international federation's co-operative principles.",
        "Global Co-operative Federation principles",
    ),
]

Q = Question
#: actor code -> question -> (summary, quote, version number); a question left out is a gap.
POSITIONS: dict[str, dict[str, tuple[str, str, int]]] = {
    "council-pledge": {
        Q.OWNERSHIP: (
            "Yes: staff own a stake and elect the board.",
            "Staff who form a mutual will own a stake in it and elect its board.",
            2,
        ),
        Q.ASSET_LOCK: (
            "Yes, since the 2014 renewal.",
            "Any mutual formed from a council service will adopt an asset lock",
            2,
        ),
        Q.ACCOUNTABILITY: (
            "A scrutiny committee of councillors and residents, yearly.",
            "Every mutual we commission will report each year to a scrutiny committee of "
            "councillors and residents.",
            2,
        ),
        Q.PAY_AND_PENSIONS: (
            "TUPE and the local government pension scheme.",
            "Transferred staff keep their terms under TUPE and stay in the local government "
            "pension scheme.",
            2,
        ),
        Q.SAVINGS: (
            "Yes: two million pounds a year.",
            "This will save the council two million pounds a year",
            2,
        ),
    },
    "government-programme": {
        Q.OWNERSHIP: (
            "Not necessarily: outside investors may come in later.",
            "a mutual may later take in outside investors to grow",
            1,
        ),
        Q.ACCOUNTABILITY: (
            "Its commissioners, through the contract.",
            "Mutuals are accountable to their commissioners through their contracts.",
            1,
        ),
        Q.PAY_AND_PENSIONS: (
            "TUPE; pensions left to each mutual.",
            "pension arrangements are for each mutual to agree with its commissioner",
            1,
        ),
        Q.TAKEOVER: (
            "Nothing: mutuals compete on equal terms with any provider.",
            "Mutuals will compete for contracts on equal terms with any provider.",
            1,
        ),
        Q.SAVINGS: (
            "Yes: up to a fifth of a service's cost.",
            "Mutualisation releases savings of up to a fifth of a service's cost.",
            1,
        ),
    },
    "union-conference": {
        Q.OWNERSHIP: (
            "No guarantee: boards can sell.",
            "mutuals spun out of councils have no guarantee that staff keep ownership: boards "
            "can sell to the highest bidder.",
            2,
        ),
        Q.ASSET_LOCK: (
            "Not without a statutory one.",
            "without a statutory asset lock a mutual's assets can pass to a private company.",
            2,
        ),
        Q.ACCOUNTABILITY: (
            "Its board, not the public.",
            "a mutual answers to its board, not to the public, once it leaves the council.",
            2,
        ),
        Q.PAY_AND_PENSIONS: (
            "Transferred staff only; new starters lose out.",
            "new starters at spun-out mutuals are often offered worse pensions than "
            "transferred staff.",
            2,
        ),
        Q.TAKEOVER: (
            "Nothing in the contract.",
            "a mutual losing a re-tender can be taken over by a private competitor, and nothing "
            "in its contract stops it.",
            2,
        ),
        Q.SAVINGS: (
            "Doubts the claimed savings.",
            "promised savings have rarely been shown in the accounts.",
            2,
        ),
    },
    "party": {
        Q.OWNERSHIP: (
            "Yes: ownership that cannot be sold.",
            "genuinely owned by their staff and users, with ownership that cannot be sold.",
            1,
        ),
        Q.ASSET_LOCK: (
            "Yes, for every public service mutual.",
            "Every public service mutual should carry an asset lock.",
            1,
        ),
        Q.ACCOUNTABILITY: (
            "Members, and the public through scrutiny.",
            "answer to the public through the council's scrutiny.",
            1,
        ),
        Q.TAKEOVER: (
            "Says it must not become privatisation.",
            "Mutualisation must never be a back door to privatisation.",
            1,
        ),
    },
    "cooperative-principles": {
        Q.OWNERSHIP: (
            "Members control the co-operative.",
            "members control their co-operative and elect its representatives",
            1,
        ),
        Q.ASSET_LOCK: (
            "Part of the capital is indivisible.",
            "at least part of the capital is the common property of the co-operative and is "
            "indivisible.",
            1,
        ),
        Q.ACCOUNTABILITY: (
            "Its members.",
            "who are accountable to the membership.",
            1,
        ),
        Q.TAKEOVER: (
            "Autonomy kept in any agreement with government.",
            "a co-operative that enters agreements with governments does so on terms that keep "
            "its autonomy.",
            1,
        ),
    },
}

#: (actor code, question) -> (when the actor was offered a right of reply, what it said).
REPLIES: dict[tuple[str, str], tuple[datetime.date, str]] = {
    ("council-pledge", Q.SAVINGS): (
        D(2024, 5, 1),
        "Dralby Council says the saving was met in the first year and points to its 2015 "
        "accounts (a fictional reply).",
    ),
    ("government-programme", Q.TAKEOVER): (D(2024, 5, 1), ""),
}


def _slug(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")


def _document(spec: DemoDocument) -> Document:
    found = Document.objects.filter(title=spec.title).first()
    if found is not None:
        return found
    document = Document.objects.create(
        title=spec.title,
        kind=spec.kind,
        author=spec.author,
        stages=list(spec.stages),
        state=ReviewState.PUBLISHED,
    )
    document.topics.set(Topic.objects.filter(code__in=spec.topics))
    document.service_areas.set(ServiceArea.objects.filter(code__in=spec.service_areas))
    for number, (dated, note, text) in enumerate(spec.versions, start=1):
        source, _ = Source.objects.get_or_create(
            url=f"https://guidance.example.org/{_slug(spec.title)}/{number}",
            defaults={
                "title": f"{spec.title} (version {number}, fictional)",
                "publisher": spec.author,
                "kind": SourceKind.POLICY_DOCUMENT,
                "published_on": dated,
                "state": ReviewState.PUBLISHED,
            },
        )
        DocumentVersion.objects.create(
            document=document,
            number=number,
            dated=dated,
            text=text,
            change_note=note,
            source=source,
        )
    return document


@transaction.atomic
def load_guidance(say: Callable[[str], None]) -> None:
    """Topics, documents with their versions and sources, actors and their positions."""
    for code, name in TOPICS.items():
        Topic.objects.get_or_create(code=code, defaults={"name": name})
    documents = {spec.title: _document(spec) for spec in DOCUMENTS}
    positions = 0
    for order, (code, name, description, title) in enumerate(ACTORS, start=1):
        actor, _ = Actor.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
        for question, (summary, quote, number) in POSITIONS[code].items():
            version = documents[title].versions.get(number=number)
            if not quoted_in(quote, version.text):
                raise DemoWorldError(f"The demo position {code}/{question} misquotes {version}.")
            requested_on, reply = REPLIES.get((code, question), (None, ""))
            _, added = Position.objects.get_or_create(
                actor=actor,
                question=question,
                defaults={
                    "summary": summary,
                    "quote": quote,
                    "version": version,
                    "reply_requested_on": requested_on,
                    "right_of_reply": reply,
                },
            )
            positions += added
    say(
        f"Guidance library: {len(documents)} fictional documents, {len(ACTORS)} actors, "
        f"{positions} positions added."
    )
