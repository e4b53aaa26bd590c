"""Who may see, add and change the network's meetings and practice notes, and which cases the
network space lists: the expected answers written out per role and situation, checked through
``can`` / ``can_add`` / ``visible_filter``, the pages' status codes and the services.

Situations of the person's branch: ``network`` (its employer is a member council), ``joined``
(it joined the network itself), ``left`` (its employer left the network), ``opposition`` (its
council has only an opposition group's membership), ``outside`` (nothing brings it in).
"""

import datetime

import pytest

from mutualwatch.branches.permissions import (
    Action,
    Kind,
    can,
    can_add,
    network_branch_ids,
    visible_filter,
)
from mutualwatch.network import queries, services
from mutualwatch.network.exceptions import NotAllowed, RecordRefused
from mutualwatch.network.models import Meeting, PracticeNote
from tests.network.worlds import case_of, meeting_of, network_world, note_of

# view-own view-other add-own edit-own edit-other: "own" is the person's branch's record,
# "other" that of branch B (in the network). National roles hold no branch: their "own" column
# is branch A's record.
EXPECTED = """
network     visitor              0 0 0 0 0
network     branch-member        1 1 0 0 0
network     branch-officer       1 1 1 1 0
joined      branch-member        1 1 0 0 0
joined      branch-officer       1 1 1 1 0
left        branch-member        1 0 0 0 0
left        branch-officer       1 0 0 1 0
opposition  branch-member        1 0 0 0 0
opposition  branch-officer       1 0 0 1 0
outside     branch-member        1 0 0 0 0
outside     branch-officer       1 0 0 1 0
network     national-researcher  0 0 0 0 0
network     administrator        0 0 0 0 0
"""
ROWS = [line.split() for line in EXPECTED.strip().splitlines()]
IDS = [f"{situation}-{role}" for situation, role, *_ in ROWS]
RECORDS = {Kind.MEETING: meeting_of, Kind.PRACTICE_NOTE: note_of}
MODELS = {Kind.MEETING: Meeting, Kind.PRACTICE_NOTE: PracticeNote}
PAGES = {Kind.MEETING: "meetings", Kind.PRACTICE_NOTE: "notes"}


def setting(person, situation: str, role: str):
    world = network_world()
    role = role.replace("-", " ")
    branch = world.branch(situation)
    user = person(role, branch if role.startswith("branch") else None)
    own_branch = branch if role.startswith("branch") else world.a
    return world, user, own_branch


def test_the_one_rule_puts_each_branch_where_expected(db):
    world = network_world()
    members = network_branch_ids()
    assert world.a.pk in members
    assert world.b.pk in members
    assert world.joined.pk in members
    assert world.left.pk not in members
    assert world.opposition.pk not in members
    assert world.outside.pk not in members


@pytest.mark.parametrize("kind", [Kind.MEETING, Kind.PRACTICE_NOTE])
@pytest.mark.parametrize(("situation", "role", *"vwaeo"), ROWS, ids=IDS)
def test_table_answers(person, kind, situation, role, v, w, a, e, o):
    world, user, own_branch = setting(person, situation, role)
    own = RECORDS[kind](own_branch)
    other = RECORDS[kind](world.b)
    expected = [flag == "1" for flag in (v, w, a, e, o)]
    answers = [
        can(user, Action.VIEW, kind, own),
        can(user, Action.VIEW, kind, other),
        can_add(user, kind, own_branch.pk),
        can(user, Action.EDIT, kind, own),
        can(user, Action.EDIT, kind, other),
    ]
    assert answers == expected
    visible = set(
        MODELS[kind].objects.filter(visible_filter(user, kind)).values_list("pk", flat=True)
    )
    assert visible == {r.pk for r, flag in ((own, v), (other, w)) if flag == "1"}
    # Nobody adds for another branch, whatever their role.
    assert not can_add(user, kind, world.b.pk) or own_branch == world.b


@pytest.mark.parametrize("kind", [Kind.MEETING, Kind.PRACTICE_NOTE])
@pytest.mark.parametrize(("situation", "role", *"vwaeo"), ROWS, ids=IDS)
def test_pages_answer_as_the_table(person, as_person, kind, situation, role, v, w, a, e, o):
    world, user, own_branch = setting(person, situation, role)
    own = RECORDS[kind](own_branch)
    other = RECORDS[kind](world.b)
    client = as_person(user)
    page = PAGES[kind]
    if user is None:
        for path in ["", f"{page}/", f"{page}/{own.pk}/", f"{page}/new/"]:
            response = client.get(f"/workspace/network/{path}")
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        return
    assert client.get(f"/workspace/network/{page}/{own.pk}/").status_code == (
        200 if v == "1" else 404
    )
    assert client.get(f"/workspace/network/{page}/{other.pk}/").status_code == (
        200 if w == "1" else 404
    )
    assert client.get(f"/workspace/network/{page}/new/").status_code == (200 if a == "1" else 403)
    edit_own = client.get(f"/workspace/network/{page}/{own.pk}/edit/").status_code
    assert edit_own == (200 if e == "1" else 403 if v == "1" else 404)
    edit_other = client.get(f"/workspace/network/{page}/{other.pk}/edit/").status_code
    assert edit_other == (200 if o == "1" else 403 if w == "1" else 404)
    # The space: open to network branches; everyone else is told how a branch joins.
    space = client.get("/workspace/network/")
    assert space.status_code == 200
    in_network = situation in {"network", "joined"} and role.startswith("branch")
    assert (other.title in space.text) == in_network
    assert ("How a branch joins" in space.text) == (not in_network)


@pytest.mark.parametrize(("situation", "role", *"vwaeo"), ROWS, ids=IDS)
def test_services_answer_as_the_table(person, situation, role, v, w, a, e, o):
    world, user, own_branch = setting(person, situation, role)
    own = meeting_of(own_branch)
    other = note_of(world.b)
    when = datetime.date(2026, 2, 1)
    if a == "1":
        made = services.schedule_meeting(user, own_branch, title="Planning", held_on=when)
        assert made.branch == own_branch
        assert (
            services.add_practice_note(user, own_branch, title="T", body="B").branch == own_branch
        )
    else:
        with pytest.raises(NotAllowed, match=f"Only officers of {own_branch.name}"):
            services.schedule_meeting(user, own_branch, title="Planning", held_on=when)
        with pytest.raises(NotAllowed):
            services.add_practice_note(user, own_branch, title="T", body="B")
    fields = {"title": "Renamed", "held_on": when, "agenda": "", "notes": "", "attending": []}
    if e == "1":
        assert services.edit_meeting(user, own, **fields).title == "Renamed"
    else:
        with pytest.raises(NotAllowed):
            services.edit_meeting(user, own, **fields)
    if o == "1":
        services.edit_practice_note(user, other, title="Renamed", body="B", service_area=None)
    else:
        with pytest.raises(NotAllowed, match=f"Only officers of {world.b.name}"):
            services.edit_practice_note(user, other, title="Renamed", body="B", service_area=None)


def test_only_network_branches_attend(person):
    world = network_world()
    officer = person("branch officer", world.a)
    with pytest.raises(RecordRefused, match="not in the branch network: Left Branch, Outside"):
        services.schedule_meeting(
            officer,
            world.a,
            title="Regional meeting",
            held_on=datetime.date(2026, 3, 1),
            attending=[world.b, world.left, world.outside],
        )
    assert not Meeting.objects.exists()
    meeting = services.schedule_meeting(
        officer,
        world.a,
        title="Regional meeting",
        held_on=datetime.date(2026, 3, 1),
        attending=[world.b, world.joined],
    )
    assert set(meeting.attending.all()) == {world.b, world.joined}


def test_the_space_lists_shared_cases_never_private_ones(person, as_person):
    world = network_world()
    shared_a = case_of(world.a, world.council_a, shared=True)
    private_a = case_of(world.a, world.council_a, shared=False)
    shared_b = case_of(world.b, world.council_b, shared=True)
    private_b = case_of(world.b, world.council_b, shared=False)
    member = person("branch member", world.a)
    assert set(queries.shared_cases(member)) == {shared_a, shared_b}
    page = as_person(member).get("/workspace/network/").text
    assert shared_a.title in page
    assert shared_b.title in page
    assert f"/workspace/campaigns/{shared_b.pk}/" in page
    assert private_a.title not in page
    assert private_b.title not in page
    # A branch outside the network sees none of another branch's cases, shared or not.
    outsider = person("branch officer", world.outside)
    assert list(queries.shared_cases(outsider)) == []
    page = as_person(outsider).get("/workspace/network/").text
    assert shared_b.title not in page
    assert private_b.title not in page
    # A branch whose employer left the network no longer reads what others share.
    leaver = person("branch member", world.left)
    assert list(queries.shared_cases(leaver)) == []


# Recording a branch joining or leaving: the table's branch edit row (administrators for any
# branch, a branch's officers for their own).
JOIN_EXPECTED = """
visitor              0 0
branch-member        0 0
branch-officer       1 0
national-researcher  0 0
administrator        1 1
"""


@pytest.mark.parametrize(
    ("role", "own", "other"), [line.split() for line in JOIN_EXPECTED.strip().splitlines()]
)
def test_joining_and_leaving_the_network(person, role, own, other):
    world = network_world()
    role = role.replace("-", " ")
    user = person(role, world.outside if role.startswith("branch") else None)
    day = datetime.date(2024, 5, 1)
    for branch, flag in ((world.outside, own), (world.opposition, other)):
        if flag == "1":
            services.join_network(user, branch, day)
            assert branch.pk in network_branch_ids()
            assert services.leave_network(user, branch) is False
            assert branch.pk not in network_branch_ids()
        else:
            with pytest.raises(NotAllowed, match=f"You may not change {branch.name}"):
                services.join_network(user, branch, day)
            assert branch.pk not in network_branch_ids()


def test_leaving_says_when_the_employer_still_keeps_a_branch_in(person):
    world = network_world()
    admin = person("administrator")
    services.join_network(admin, world.a, datetime.date(2024, 5, 1))
    assert services.leave_network(admin, world.a) is True
    with pytest.raises(RecordRefused, match="never joined the network itself"):
        services.leave_network(admin, world.b)


def test_the_branch_admin_asks_the_table(person, client, django_user_model):
    world = network_world()
    officer = person("branch officer", world.outside)
    officer.is_staff = True
    officer.save()
    from django.contrib.auth.models import Permission

    officer.user_permissions.add(*Permission.objects.filter(codename__endswith="_branch"))
    client.force_login(officer)
    assert client.get(f"/admin/branches/branch/{world.outside.pk}/change/").status_code == 200
    # Another branch is not the officer's to see, let alone change.
    assert client.get(f"/admin/branches/branch/{world.a.pk}/change/").status_code == 302
    assert client.get("/admin/branches/branch/add/").status_code == 403
    listing = client.get("/admin/branches/branch/").text
    assert world.outside.name in listing
    assert world.a.name not in listing
    superuser = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    form = client.get(f"/admin/branches/branch/{world.opposition.pk}/change/")
    assert "joined_network_on" in form.text
