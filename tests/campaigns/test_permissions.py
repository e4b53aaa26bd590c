"""Who may see, open and change campaign cases, in every situation, asked every way: the
permission table (``can``, ``can_add``), its query filter (``visible_filter``), the pages
(status codes) and the services (refusals).

The expected answers are written out below, independently of the table. A person in a branch
role belongs to the Home Branch (in the network) for the first four situations; for the last,
they belong to the Outside Branch (not in the network) and look at the Home Branch's shared
case. Visitors, researchers and administrators hold no branch role.
"""

import datetime
from typing import Any

import pytest

from mutualwatch.branches.permissions import Action, Kind, can, can_add, visible_filter
from mutualwatch.campaigns import services
from mutualwatch.campaigns.models import Case, CaseAction, Milestone, Outcome
from mutualwatch.register.exceptions import NotAllowed
from tests.conftest import build_source

SITUATIONS = [
    "own-private",  # the Home Branch's private case
    "own-shared",  # the Home Branch's case shared with the network
    "other-private",  # the Network Branch's private case
    "other-shared-in-network",  # the Network Branch's shared case; the person's branch is in it
    "other-shared-not-in-network",  # the Home Branch's shared case; the person's branch is not
]
EXPECTED = """
view  visitor              0 0 0 0 0
view  branch-member        1 1 0 1 0
view  branch-officer       1 1 0 1 0
view  national-researcher  0 0 0 0 0
view  administrator        0 0 0 0 0
add   visitor              0 0 0 0 0
add   branch-member        0 0 0 0 0
add   branch-officer       1 1 0 0 0
add   national-researcher  0 0 0 0 0
add   administrator        0 0 0 0 0
edit  visitor              0 0 0 0 0
edit  branch-member        0 0 0 0 0
edit  branch-officer       1 1 0 0 0
edit  national-researcher  0 0 0 0 0
edit  administrator        0 0 0 0 0
"""
ROLES = ["visitor", "branch-member", "branch-officer", "national-researcher", "administrator"]


def _expected() -> dict[tuple[str, str, str], bool]:
    answers = {}
    for line in EXPECTED.strip().splitlines():
        action, role, *cells = line.split()
        for situation, cell in zip(SITUATIONS, cells, strict=True):
            answers[action, role, situation] = cell == "1"
    return answers


ANSWERS = _expected()
CASES = [(role, situation) for role in ROLES for situation in SITUATIONS]


def viewer_and_case(world: Any, role: str, situation: str) -> tuple[Any, Case]:
    name = role.replace("-", " ")
    if situation == "other-shared-not-in-network" and name in {"branch member", "branch officer"}:
        name = "outside " + name.split()[1]
    case = {
        "own-private": world.cases["home-private"],
        "own-shared": world.cases["home-shared"],
        "other-private": world.cases["network-private"],
        "other-shared-in-network": world.cases["network-shared"],
        "other-shared-not-in-network": world.cases["home-shared"],
    }[situation]
    return world.people[name], case


def test_every_cell_is_written_out():
    assert len(ANSWERS) == 3 * len(ROLES) * len(SITUATIONS)


@pytest.mark.parametrize(("role", "situation"), CASES)
def test_the_table(world, role, situation):
    user, case = viewer_and_case(world, role, situation)
    assert can(user, Action.VIEW, Kind.CASE, case) == ANSWERS["view", role, situation]
    assert can(user, Action.EDIT, Kind.CASE, case) == ANSWERS["edit", role, situation]
    assert can_add(user, Kind.CASE, case.branch_id) == ANSWERS["add", role, situation]
    visible = Case.objects.filter(visible_filter(user, Kind.CASE)).filter(pk=case.pk).exists()
    assert visible == ANSWERS["view", role, situation]


@pytest.mark.parametrize(("role", "situation"), CASES)
def test_the_pages(world, as_person, role, situation):
    user, case = viewer_and_case(world, role, situation)
    client = as_person(user)
    url = f"/workspace/campaigns/{case.pk}/"
    page = client.get(url)
    if user is None:
        assert page.status_code == 302
        assert page.url.startswith("/accounts/login/")
    else:
        assert page.status_code == (200 if ANSWERS["view", role, situation] else 404)

    milestone = {
        "milestone-date": "2026-11-02",
        "milestone-stage": "consultation",
        "milestone-description": "Consultation opens",
    }
    posted = client.post(url + "milestones/", milestone)
    if user is None:
        assert posted.status_code == 302
        assert posted.url.startswith("/accounts/login/")
    elif ANSWERS["edit", role, situation]:
        assert posted.status_code == 302
    else:
        assert posted.status_code == (403 if ANSWERS["view", role, situation] else 404)
    assert Milestone.objects.filter(case=case).exists() == ANSWERS["edit", role, situation]

    opened = client.post(
        "/workspace/campaigns/new/",
        {
            "branch": case.branch_id,
            "authority": case.authority_id,
            "service_area": case.service_area_id,
            "title": "A new campaign",
        },
    )
    created = Case.objects.filter(title="A new campaign", branch_id=case.branch_id).exists()
    assert created == ANSWERS["add", role, situation]
    if user is not None and not ANSWERS["add", role, situation]:
        assert opened.status_code in {400, 403}


@pytest.mark.parametrize(("role", "situation"), CASES)
def test_the_services(world, role, situation):
    user, case = viewer_and_case(world, role, situation)
    day = datetime.date(2026, 11, 2)
    if ANSWERS["edit", role, situation]:
        services.add_milestone(user, case, date=day, description="Consultation opens")
        assert case.milestones.count() == 1
    else:
        with pytest.raises(NotAllowed):
            services.add_milestone(user, case, date=day, description="Consultation opens")
        assert not case.milestones.exists()
    if ANSWERS["add", role, situation]:
        services.open_case(
            user,
            branch=case.branch,
            authority=case.authority,
            service_area=case.service_area,
            title="Another",
        )
    else:
        with pytest.raises(NotAllowed):
            services.open_case(
                user,
                branch=case.branch,
                authority=case.authority,
                service_area=case.service_area,
                title="Another",
            )


def _every_change(case: Case, officer: Any, world: Any) -> dict[str, Any]:
    """Each service that changes a case, ready to call as someone else."""
    action = services.add_action(officer, case, description="Leaflet the library")
    source = build_source()
    day = datetime.date(2026, 11, 2)
    return {
        "edit_case": lambda user: services.edit_case(user, case, title="Renamed"),
        "add_milestone": lambda user: services.add_milestone(user, case, date=day, description="x"),
        "add_document": lambda user: services.add_document(user, case, source=source),
        "add_new_document": lambda user: services.add_document(
            user,
            case,
            new_source={
                "title": "Minutes",
                "kind": "council-paper",
                "url": "https://example.org/minutes",
            },
        ),
        "add_action": lambda user: services.add_action(user, case, description="x"),
        "assign": lambda user: services.assign(user, action, officer),
        "mark_done": lambda user: services.mark_done(user, action),
        "share_with_network": lambda user: services.share_with_network(user, case),
        "unshare": lambda user: services.unshare(user, case),
        "record_outcome": lambda user: services.record_outcome(
            user, case, outcome=Outcome.DELAYED, date=day, source=source
        ),
    }


@pytest.mark.parametrize(
    "who",
    [
        "branch member",
        "network officer",
        "network member",
        "outside officer",
        "national researcher",
        "administrator",
        "visitor",
    ],
)
def test_every_change_is_refused_to_all_but_the_branchs_officers(world, who):
    officer = world.people["branch officer"]
    case = world.cases["home-shared"]
    case.arrangement = world.arrangement
    case.save()
    changes = _every_change(case, officer, world)
    before = Case.objects.filter(pk=case.pk).values().get()
    actions = list(CaseAction.objects.filter(case=case).values())
    for name, change in changes.items():
        with pytest.raises(NotAllowed):
            change(world.people[who])
        assert Case.objects.filter(pk=case.pk).values().get() == before, name
        assert list(CaseAction.objects.filter(case=case).values()) == actions, name
        assert not case.milestones.exists()
        assert not case.documents.exists()


def test_the_branchs_officer_may_make_every_change(world):
    officer = world.people["branch officer"]
    case = world.cases["home-shared"]
    case.arrangement = world.arrangement
    case.save()
    for name, change in _every_change(case, officer, world).items():
        assert change(officer) is not None, name
