"""Who may see and change FOI requests: as their case, written out per role and situation.

A request is as private as its case: its branch's people see it, and so does every network
branch's people once the case is shared with the network (if their own branch is in it);
only its own branch's officers draft and change it. National roles see none of it.
"""

import datetime

import pytest
from django.contrib import admin

from mutualwatch.branches.permissions import Action, Kind, can, visible_filter
from mutualwatch.foi import services
from mutualwatch.foi.exceptions import NotAllowed
from mutualwatch.foi.models import FoiRequest

pytestmark = pytest.mark.django_db

SITUATIONS = ["own", "other private", "other shared", "outside"]

#: role -> the situations whose requests the role sees.
SEES = {
    "visitor": set(),
    "member": {"own", "other shared"},
    "officer": {"own", "other shared"},
    "outside member": {"outside"},
    "outside officer": {"outside"},
    "researcher": set(),
    "administrator": set(),
}
#: role -> the situations whose requests (and cases) the role may draft and change.
CHANGES = {
    "visitor": set(),
    "member": set(),
    "officer": {"own"},
    "outside member": set(),
    "outside officer": {"outside"},
    "researcher": set(),
    "administrator": set(),
}
ROLES = list(SEES)


@pytest.mark.parametrize("role", ROLES)
def test_the_table_answers(world, role):
    user = world.people[role]
    for situation, request in world.requests.items():
        assert can(user, Action.VIEW, Kind.FOI_REQUEST, request) == (situation in SEES[role])
        assert can(user, Action.EDIT, Kind.FOI_REQUEST, request) == (situation in CHANGES[role])
        assert services.may_draft(user, world.cases[situation]) == (situation in CHANGES[role])
    visible = FoiRequest.objects.filter(visible_filter(user, Kind.FOI_REQUEST))
    assert set(visible) == {world.requests[situation] for situation in SEES[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_services_ask(world, role):
    user = world.people[role]
    today = datetime.date.today()
    for situation in SITUATIONS:
        case, request = world.cases[situation], world.requests[situation]
        allowed = situation in CHANGES[role]
        actions = [
            lambda case=case: services.draft_request(user, case, "staff"),
            lambda request=request: services.edit_draft(
                user, request, subject="Changed", body="Changed"
            ),
            lambda request=request: services.mark_sent(user, request, today),
        ]
        for act in actions:
            if allowed:
                act()
            else:
                with pytest.raises(NotAllowed):
                    act()


def _page(case, request, suffix=""):
    return f"/workspace/campaigns/{case.pk}/foi/{request.pk}/{suffix}"


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_answer(world, as_person, role):
    client = as_person(world.people[role])
    for situation in SITUATIONS:
        case, request = world.cases[situation], world.requests[situation]
        sees, changes = situation in SEES[role], situation in CHANGES[role]
        if role == "visitor":
            expected_read = expected_new = expected_sent = 302  # to the login page
        elif role in {"researcher", "administrator"}:
            expected_read = expected_new = expected_sent = 404
        else:
            expected_read = 200 if sees else 404
            expected_new = 200 if changes else 403 if sees else 404
            expected_sent = 302 if changes else 403 if sees else 404
        assert client.get(_page(case, request)).status_code == expected_read, situation
        new = client.get(f"/workspace/campaigns/{case.pk}/foi/new/")
        assert new.status_code == expected_new, situation
        sent = client.post(_page(case, request, "sent/"), {"sent_on": "2024-03-21"})
        assert sent.status_code == expected_sent, situation
        request.refresh_from_db()
        assert (request.sent_on is not None) == changes


@pytest.mark.parametrize("role", ROLES)
def test_the_overview_lists_what_the_role_sees(world, as_person, role):
    response = as_person(world.people[role]).get("/workspace/foi/")
    if role == "visitor":
        assert response.status_code == 302
        return
    if role in {"researcher", "administrator"}:
        # National roles use the workspace but see no branch's requests.
        assert response.status_code == 200
    shown = {
        situation
        for situation in SITUATIONS
        if _page(world.cases[situation], world.requests[situation]) in response.content.decode()
    }
    assert shown == SEES[role]


def test_a_request_under_another_case_is_not_found(world, as_person):
    client = as_person(world.people["officer"])
    wrong = _page(world.cases["other shared"], world.requests["own"])
    assert client.get(wrong).status_code == 404


def test_the_admin_does_not_offer_requests():
    """Nobody changes a request round the table: it is not in the admin."""
    assert FoiRequest not in admin.site._registry
