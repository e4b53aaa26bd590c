"""The FOI pages through the test client: drafting from a template, the steps and their
errors, and the overview's order."""

import datetime
from html import escape

import pytest

from mutualwatch.foi.models import FoiRequest

pytestmark = pytest.mark.django_db
D = datetime.date


def _base(case):
    return f"/workspace/campaigns/{case.pk}/foi/"


def test_choosing_a_template_shows_the_draft_to_edit_and_save(world, as_person):
    client = as_person(world.people["officer"])
    case = world.cases["own"]
    chooser = client.get(_base(case) + "new/").content.decode()
    assert "Pension admission agreements" in chooser
    assert "Show the draft" in chooser
    draft = client.get(_base(case) + "new/", {"template": "business-case"}).content.decode()
    assert "Freedom of Information request: the business case for libraries" in draft
    assert "Under the Freedom of Information Act 2000" in draft
    saved = client.post(
        _base(case) + "new/",
        {"template": "business-case", "subject": "The business case", "body": "Edited text"},
    )
    request = FoiRequest.objects.get(subject="The business case")
    assert saved.status_code == 302
    assert saved.url == f"{_base(case)}{request.pk}/"
    assert (request.body, request.template, request.created_by) == (
        "Edited text",
        "business-case",
        world.people["officer"],
    )
    page = client.get(saved.url).content.decode()
    assert "Status: draft" in page
    assert "Mark it sent" in page


def test_an_unknown_template_or_empty_draft_is_refused_with_reasons(world, as_person):
    client = as_person(world.people["officer"])
    case = world.cases["own"]
    chooser = client.get(_base(case) + "new/", {"template": "gossip"}).content.decode()
    assert "Select a valid choice" in chooser
    refused = client.post(_base(case) + "new/", {"template": "staff", "subject": "", "body": ""})
    assert refused.status_code == 400
    assert "Subject: This field is required." in refused.content.decode()


def test_the_steps_say_what_is_wrong(world, as_person):
    client = as_person(world.people["officer"])
    case, request = world.cases["own"], world.requests["own"]
    page = f"{_base(case)}{request.pk}/"
    early = client.post(
        page + "response/",
        {"responded_on": "2024-04-01", "response_kind": "full", "url": "https://example.org/a"},
    )
    # The response form is not offered for a draft, but a posted one is still refused.
    assert early.status_code == 400
    assert "has not been sent" in early.content.decode()
    assert client.post(page + "sent/", {"sent_on": "2024-03-21"}).status_code == 302
    shown = client.get(page).content.decode()
    assert "Monday 22 April 2024" in shown
    no_link = client.post(
        page + "response/", {"responded_on": "2024-04-19", "response_kind": "full"}
    )
    assert "Give a link to the response or upload it." in no_link.content.decode()
    before = client.post(
        page + "response/",
        {"responded_on": "2024-03-01", "response_kind": "full", "url": "https://example.org/a"},
    )
    assert "before the request was sent" in before.content.decode()
    edited = client.post(page + "edit/", {"subject": "New", "body": "New"})
    assert edited.status_code == 400
    assert "cannot change" in edited.content.decode()


def test_the_overview_puts_overdue_requests_first(world, as_person):
    officer = world.people["officer"]
    client = as_person(officer)
    fresh = world.requests["own"]
    late = FoiRequest.objects.create(
        case=world.cases["own"],
        template="staff",
        authority=world.cases["own"].authority,
        subject="Staff numbers, long overdue",
        body="...",
        sent_on=D(2024, 3, 21),
        due_on=D(2024, 4, 22),
    )
    page = client.get("/workspace/foi/").content.decode()
    assert page.index(escape(late.subject)) < page.index(escape(fresh.subject))
    assert "1 overdue" in page
    assert "was due Monday 22 April 2024 — overdue by" in page
