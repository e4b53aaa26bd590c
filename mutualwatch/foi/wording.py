"""The five request templates, filled in from a case: a draft the officer edits before sending.

Each is a proper request for recorded information: it names the authority, says what is asked
for and in what form, cites the Act that applies (FOISA for a Scottish council, FOIA otherwise,
see ``deadlines.law_of``) and asks for advice and assistance under the Act's duty to give it
(FOIA s.16, FOISA s.15) if the request needs narrowing rather than refusing.
"""

from dataclasses import dataclass

from mutualwatch.foi.deadlines import WORKING_DAYS_TO_RESPOND, Law, law_of
from mutualwatch.foi.models import Template

#: The section of each Act that obliges an authority to give advice and assistance.
ADVICE_SECTION = {Law.FOIA: "section 16", Law.FOISA: "section 15"}


@dataclass(frozen=True)
class Case:
    """What a template needs to know of a case."""

    authority: str
    service: str
    nation: str
    title: str


#: What each template asks for; ``{service}`` and ``{authority}`` are filled in.
ASKED_FOR: dict[Template, tuple[str, list[str]]] = {
    Template.OPTIONS_APPRAISAL: (
        "the options appraisal for {service}",
        [
            "the options appraisal (or any options analysis) for the future delivery of "
            "{service}, including every option considered, the criteria and scores used, and "
            "the option recommended;",
            "any report, briefing or minute presenting the appraisal to councillors or to a "
            "board, with the date it was presented;",
            "the name of any consultancy engaged to prepare or review the appraisal, with the "
            "value of its contract.",
        ],
    ),
    Template.BUSINESS_CASE: (
        "the business case for {service}",
        [
            "the outline and full business cases for changing how {service} is delivered, with "
            "their financial models and the savings assumed in each year;",
            "the risk register kept for the change;",
            "any independent review, gateway review or audit of the business case.",
        ],
    ),
    Template.STAFF: (
        "staff numbers and terms in {service}",
        [
            "the number of staff employed in {service} on the date of this request, as headcount "
            "and full-time equivalent, by grade;",
            "the number expected to transfer under the Transfer of Undertakings (Protection of "
            "Employment) Regulations 2006, and any measures letter issued under regulation 13;",
            "the terms and conditions, pay scales and recognition agreements that will apply "
            "to staff after any transfer, and any commitment on their duration.",
        ],
    ),
    Template.PENSIONS: (
        "pension admission agreements for {service}",
        [
            "any admission agreement, or draft admission agreement, with the Local Government "
            "Pension Scheme administering authority for a body delivering {service};",
            "the bond, guarantee or indemnity securing that agreement, and the actuarial "
            "assessment of its value;",
            "whether the body is a closed or open admission body, and the employer contribution "
            "rate set for it.",
        ],
    ),
    Template.CONTRACT: (
        "the contract for {service} and its break clauses",
        [
            "the contract (or service agreement) under which {service} is delivered, with its "
            "schedules and every variation agreed since it began;",
            "the clauses on its term, extension, break, termination and step-in, and the notice "
            "each requires;",
            "the performance reports and any default or improvement notices issued under it in "
            "the last three years.",
        ],
    ),
}


def subject(template: Template, case: Case) -> str:
    asked, _ = ASKED_FOR[template]
    return f"Freedom of Information request: {asked.format(service=case.service)}"


def body(template: Template, case: Case) -> str:
    """The request, ready to send once the officer has read and edited it."""
    law = law_of(case.nation)
    _, items = ASKED_FOR[template]
    listed = "\n".join(
        f"{number}. {item.format(service=case.service, authority=case.authority)}"
        for number, item in enumerate(items, start=1)
    )
    return (
        f"To the Freedom of Information officer, {case.authority}\n\n"
        f"Under {law.value}, please provide the following recorded information about "
        f"{case.service} at {case.authority}:\n\n"
        f"{listed}\n\n"
        "Please send the information by email, as electronic documents (spreadsheets in their "
        "original format where they exist). If any part is withheld, please say which "
        "exemption applies to it and release the rest.\n\n"
        f"If this request is too broad or unclear, please give advice and assistance under "
        f"{ADVICE_SECTION[law]} of the Act on how it could be narrowed, rather than refusing "
        "it.\n\n"
        "Please acknowledge receipt. I look forward to your response within "
        f"{WORKING_DAYS_TO_RESPOND} working days.\n"
    )
