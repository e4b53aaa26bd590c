"""Who may see, add, edit, verify and publish guidance documents and positions: the expected
answers written out here, role by role and situation by situation, checked through ``can``
and ``visible_filter``, the pages and the services. The Django admin does not offer the
library's records at all."""

import datetime

import pytest
from django.contrib import admin

from mutualwatch.branches.permissions import Action, Kind, can, can_add, visible_filter
from mutualwatch.guidance import services
from mutualwatch.guidance.models import Actor, Document, DocumentVersion, Position, Topic
from mutualwatch.register.exceptions import NotAllowed
from tests.conftest import build_branch, build_source
from tests.guidance.builders import build_actor, build_document, build_position

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "branch member", "branch officer", "national researcher", "administrator"]
SITUATIONS = ["own-draft", "others-draft", "submitted", "verified", "published"]

# One line per role: the answer in each situation, in SITUATIONS' order (1 yes, 0 no).
DOCUMENT_EXPECTED = """
view    visitor              0 0 0 0 1
view    branch-member        0 0 0 0 1
view    branch-officer       0 0 0 0 1
view    national-researcher  1 1 1 1 1
view    administrator        1 1 1 1 1
edit    visitor              0 0 0 0 0
edit    branch-member        0 0 0 0 0
edit    branch-officer       0 0 0 0 0
edit    national-researcher  1 1 1 1 1
edit    administrator        1 1 1 1 1
verify  visitor              0 0 0 0 0
verify  branch-member        0 0 0 0 0
verify  branch-officer       0 0 0 0 0
verify  national-researcher  0 1 1 1 1
verify  administrator        0 1 1 1 1
publish visitor              0 0 0 0 0
publish branch-member        0 0 0 0 0
publish branch-officer       0 0 0 0 0
publish national-researcher  1 1 1 1 1
publish administrator        1 1 1 1 1
"""
# add a document / view, add, edit a position
ROLE_EXPECTED = {
    "visitor": {"add document": 0, "view position": 1, "add position": 0, "edit position": 0},
    "branch member": {
        "add document": 0,
        "view position": 1,
        "add position": 0,
        "edit position": 0,
    },
    "branch officer": {
        "add document": 0,
        "view position": 1,
        "add position": 0,
        "edit position": 0,
    },
    "national researcher": {
        "add document": 1,
        "view position": 1,
        "add position": 1,
        "edit position": 1,
    },
    "administrator": {
        "add document": 1,
        "view position": 1,
        "add position": 1,
        "edit position": 1,
    },
}


def expected_documents() -> dict[tuple[str, str], list[bool]]:
    table = {}
    for line in DOCUMENT_EXPECTED.strip().splitlines():
        action, role, *answers = line.split()
        table[(action, role.replace("-", " "))] = [answer == "1" for answer in answers]
    return table


def situation_documents(user, other) -> dict[str, Document]:
    """One document in each situation, as seen by ``user``: their own draft, and others'."""
    made = {}
    for situation in SITUATIONS:
        state = "draft" if situation.endswith("draft") else situation
        document = build_document(title=situation, state=state)
        document.created_by = user if situation == "own-draft" and user else other
        document.save()
        made[situation] = document
    return made


@pytest.mark.parametrize("role", ROLES)
def test_documents_answer_as_written_out_through_can_and_visible_filter(role, person):
    branch = build_branch()
    user = person(role, branch) if role.startswith("branch") else person(role)
    other = person("national researcher")
    documents = situation_documents(user, other)
    table = expected_documents()
    for action in ["view", "edit", "verify", "publish"]:
        answers = [
            can(user, Action(action), Kind.GUIDANCE, documents[situation])
            for situation in SITUATIONS
        ]
        expected = table[(action, role)]
        if role == "visitor":
            # a visitor has no drafts of their own: "own draft" is someone else's for them
            expected = [expected[1], *expected[1:]]
        assert answers == expected, f"{action} by {role}"
    visible = set(
        Document.objects.filter(visible_filter(user, Kind.GUIDANCE)).values_list("title", flat=True)
    )
    assert visible == {s for s, yes in zip(SITUATIONS, table[("view", role)], strict=True) if yes}
    assert can_add(user, Kind.GUIDANCE) == bool(ROLE_EXPECTED[role]["add document"])


@pytest.mark.parametrize("role", ROLES)
def test_positions_answer_as_written_out(role, person):
    branch = build_branch()
    user = person(role, branch) if role.startswith("branch") else person(role)
    position = build_position()
    expected = ROLE_EXPECTED[role]
    assert can(user, Action.VIEW, Kind.POSITION, position) == bool(expected["view position"])
    assert can_add(user, Kind.POSITION) == bool(expected["add position"])
    assert can(user, Action.EDIT, Kind.POSITION, position) == bool(expected["edit position"])
    visible = Position.objects.filter(visible_filter(user, Kind.POSITION))
    assert list(visible) == [position]


@pytest.mark.parametrize("role", ROLES)
def test_the_services_refuse_whom_the_table_refuses(role, person):
    branch = build_branch()
    user = person(role, branch) if role.startswith("branch") else person(role)
    may_write = bool(ROLE_EXPECTED[role]["add document"])
    fields = {
        "title": "A note",
        "kind": "guidance",
        "text": "Words.",
        "dated": datetime.date(2020, 1, 1),
        "source": build_source(),
    }
    version = build_document("Staff keep ownership.").versions.get()
    position = build_position()
    attempts = {
        "add document": lambda: services.add_document(user, **fields),
        "add version": lambda: services.add_version(
            user,
            version.document,
            text="New words.",
            dated=datetime.date(2021, 1, 1),
            source=build_source(),
        ),
        "tag": lambda: services.tag(user, version.document, stages=["decision"]),
        "add position": lambda: services.add_position(
            user,
            actor=build_actor(),
            question="ownership",
            summary="Yes.",
            quote="Staff keep ownership.",
            version=version,
        ),
        "edit position": lambda: services.edit_position(user, position, summary="Changed."),
    }
    for name, attempt in attempts.items():
        if may_write:
            attempt()
        else:
            with pytest.raises(NotAllowed):
                attempt()
            assert Document.objects.filter(title="A note").count() == 0, name


def test_nobody_verifies_their_own_document_through_the_service(person):
    researcher = person("national researcher")
    document = build_document(state="submitted")
    document.created_by = researcher
    document.save()
    with pytest.raises(NotAllowed, match="verify"):
        services.move_document_through_review(researcher, document, "verify")
    services.move_document_through_review(person("administrator"), document, "verify")


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_answer_as_the_table_does(role, person, as_person):
    branch = build_branch()
    user = person(role, branch) if role.startswith("branch") else person(role)
    draft = build_document(title="Draft note", state="draft")
    published = build_document(title="Published note")
    position = build_position()
    client = as_person(user)
    # the public pages show published documents only, to everyone
    assert client.get(f"/guidance/{published.pk}/").status_code == 200
    assert client.get(f"/guidance/{draft.pk}/").status_code == 404
    assert client.get("/positions/").status_code == 200
    manage_urls = [
        "/guidance/manage/",
        "/guidance/manage/add/",
        f"/guidance/manage/{draft.pk}/",
        "/guidance/manage/positions/",
        "/guidance/manage/positions/add/",
        f"/guidance/manage/positions/{position.pk}/",
    ]
    for url in manage_urls:
        status = client.get(url).status_code
        if role == "visitor":
            assert status == 302, url  # to the login page
        elif ROLE_EXPECTED[role]["add document"]:
            assert status == 200, url
        else:
            # a draft they may not see is not found; everything else is forbidden
            assert status == (404 if url == f"/guidance/manage/{draft.pk}/" else 403), url


def test_a_researcher_adds_a_version_and_publishes_through_the_pages(person, as_person):
    researcher, other = person("national researcher"), person("national researcher")
    document = build_document("Old words.", state="draft")
    document.created_by = researcher
    document.save()
    source = document.versions.get().source
    client = as_person(researcher)
    response = client.post(
        f"/guidance/manage/{document.pk}/",
        {"do": "version", "text": "New words.", "dated": "2021-01-01", "source": source.pk},
    )
    assert response.status_code == 302
    assert document.versions.count() == 2
    client.post(f"/guidance/manage/{document.pk}/", {"do": "submit"})
    refused = client.post(f"/guidance/manage/{document.pk}/", {"do": "verify"}, follow=True)
    assert "You may not verify" in refused.content.decode()
    as_person(other).post(f"/guidance/manage/{document.pk}/", {"do": "verify"})
    as_person(researcher).post(f"/guidance/manage/{document.pk}/", {"do": "publish"})
    document.refresh_from_db()
    assert document.state == "published"


def test_a_misquoted_position_is_refused_by_the_form_with_the_reason(person, as_person):
    version = build_document("Staff keep ownership.").versions.get()
    actor = build_actor()
    client = as_person(person("national researcher"))
    fields = {"actor": actor.pk, "question": "ownership", "summary": "Yes.", "version": version.pk}
    refused = client.post("/guidance/manage/positions/add/", fields | {"quote": "Staff own it."})
    assert refused.status_code == 200
    assert "does not occur word for word" in refused.content.decode()
    saved = client.post(
        "/guidance/manage/positions/add/", fields | {"quote": "Staff keep ownership."}
    )
    assert saved.status_code == 302
    assert Position.objects.get().quote == "Staff keep ownership."


def test_the_admin_offers_none_of_the_librarys_records():
    for model in [Document, DocumentVersion, Topic, Actor, Position]:
        assert not admin.site.is_registered(model), model
