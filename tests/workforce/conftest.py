"""A small world for the workforce pages (a branch following one council's service, a branch
elsewhere, someone in every role, one record of each kind), and the demo world's workforce
records loaded into the test database."""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from mutualwatch.branches.models import Branch
from mutualwatch.demoworld.histories import build_world
from mutualwatch.demoworld.loading import load_workforce
from mutualwatch.demoworld.parameters import world_parameters
from mutualwatch.demoworld.register import write_register
from mutualwatch.demoworld.workforce import write_workforce
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Arrangement
from mutualwatch.workforce import access, services
from mutualwatch.workforce.models import BreakGlass, Evidence, QuestionnaireLink, TermsRecord
from tests.conftest import build_arrangement, build_authority, build_branch, build_provider
from tests.demoworld.conftest import tiny_world

__all__ = ["loaded_world", "tiny_world"]

GRANT_REASON = "A member's complaint needs checking against the branch's records."

#: An officer's observation, as the record form posts it (blank terms left out).
OBSERVED = {
    "time_point": "year-1",
    "observed_on": "2016-05-01",
    "pay_grade": "Scale 4",
    "hourly_pay": "11.20",
    "pension": "dc",
    "contracted_hours": "37",
    "zero_hours": "yes",
}
#: A member's answers, as the questionnaire posts them.
ANSWERED = {
    "time_point": "dated",
    "hourly_pay": "12.34",
    "contracted_hours": "30",
    "pension": "lgps-closed",
    "zero_hours": "no",
}


@dataclass
class World:
    branch: Branch
    other_branch: Branch
    arrangement: Arrangement
    elsewhere: Arrangement
    people: dict[str, Any]
    evidence: Evidence
    record: TermsRecord
    answered: TermsRecord
    receipt: str
    link: QuestionnaireLink
    token: str


@pytest.fixture
def world(person) -> World:
    council = build_authority(name="Exemplar Borough Council")
    branch = build_branch(name="Exemplar Branch", slug="exemplar")
    branch.authorities.add(council)
    other_council = build_authority(name="Elsewhere District Council")
    other_branch = build_branch(name="Elsewhere Branch", slug="elsewhere")
    other_branch.authorities.add(other_council)
    arrangement = build_arrangement(
        authority=council, provider=build_provider(name="Exemplar Leisure Mutual Ltd")
    )
    elsewhere = build_arrangement(authority=other_council)
    people = {
        "visitor": None,
        "member": person("branch member", branch),
        "officer": person("branch officer", branch),
        "other officer": person("branch officer", other_branch),
        "researcher": person("national researcher"),
        "administrator": person("administrator"),
        "administrator with grant": person("administrator"),
        "administrator with expired grant": person("administrator"),
    }
    access.break_glass(people["administrator with grant"], branch, GRANT_REASON)
    expired = access.break_glass(people["administrator with expired grant"], branch, GRANT_REASON)
    BreakGlass.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    officer = people["officer"]
    evidence = services.add_evidence(
        officer,
        branch.pk,
        kind="payslip",
        description="Payslip of a library assistant, May 2016, in the branch's safe",
        dated=datetime.date(2016, 5, 1),
    )
    record = services.record_observation(
        officer,
        branch.pk,
        arrangement,
        time_point="year-1",
        observed_on=datetime.date(2016, 5, 1),
        answers={"hourly_pay": "11.20", "pension": "dc"},
        evidence=evidence,
    )
    answering = services.make_link(officer, branch.pk, arrangement)
    answered = services.answer_questionnaire(
        answering.token, time_point="dated", answers={"hourly_pay": "12.34"}
    )
    unanswered = services.make_link(officer, branch.pk, arrangement)
    return World(
        branch=branch,
        other_branch=other_branch,
        arrangement=arrangement,
        elsewhere=elsewhere,
        people=people,
        evidence=evidence,
        record=record,
        answered=answered.record,
        receipt=answered.receipt,
        link=unanswered.link,
        token=unanswered.token,
    )


@pytest.fixture
def loaded_world(tiny_world: Path, db: None) -> Path:
    """The tiny world's register and workforce records, with their first publication."""
    import_register(tiny_world / "register.json")
    load_workforce(tiny_world, lambda line: None)
    return tiny_world


@pytest.fixture(scope="session")
def demo_workforce_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo-size world's register and workforce records only (seed 1, as `mutualwatch
    demo` uses): enough members that the provider-kind tables are published whole."""
    out = tmp_path_factory.mktemp("demo-workforce")
    world = build_world(world_parameters(1, "demo"))
    write_register(world, out)
    write_workforce(world, out)
    return out
