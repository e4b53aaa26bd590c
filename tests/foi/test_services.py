"""Drafting, sending and answering a request: the steps, their order, the stored deadlines and
the response kept as a Source."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualwatch.foi import services
from mutualwatch.foi.exceptions import OutOfOrder, ResponseRequired
from mutualwatch.foi.models import Template
from mutualwatch.register.models import Source

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_draft_is_filled_in_from_the_case(world):
    officer, case = world.people["officer"], world.cases["own"]
    request = services.draft_request(officer, case, Template.PENSIONS)
    assert request.sent_on is None
    assert request.authority == case.authority
    assert (
        request.subject
        == "Freedom of Information request: pension admission agreements for libraries"
    )
    assert "To the Freedom of Information officer, Exemplar Borough Council" in request.body
    assert "Under the Freedom of Information Act 2000" in request.body
    assert "section 16 of the Act" in request.body
    assert "admission agreement" in request.body
    assert request.history.first().history_user == officer


def test_a_scottish_council_is_asked_under_the_scottish_act(world):
    officer = world.people["outside officer"]
    world.cases["outside"].authority.nation = "scotland"
    world.cases["outside"].authority.save()
    request = services.draft_request(officer, world.cases["outside"], Template.CONTRACT)
    assert "Under the Freedom of Information (Scotland) Act 2002" in request.body
    assert "section 15 of the Act" in request.body
    assert "break" in request.body


@pytest.mark.parametrize("template", list(Template))
def test_every_template_names_the_service_and_council(world, template):
    subject, body = services.draft_text(world.cases["own"], template)
    assert "libraries" in subject
    assert "libraries at Exemplar Borough Council" in body


def test_sending_stores_the_deadline_and_freezes_the_wording(world):
    officer, request = world.people["officer"], world.requests["own"]
    services.edit_draft(officer, request, subject="Pensions", body="Please send ...")
    # Sent Thursday 21 March 2024 to an English council: due Monday 22 April (Easter).
    services.mark_sent(officer, request, D(2024, 3, 21))
    request.refresh_from_db()
    assert (request.subject, request.due_on) == ("Pensions", D(2024, 4, 22))
    with pytest.raises(OutOfOrder, match="cannot change"):
        services.edit_draft(officer, request, subject="Other", body="Other")
    with pytest.raises(OutOfOrder, match="in the future"):
        services.mark_sent(officer, request, datetime.date.today() + datetime.timedelta(days=2))


def test_a_response_needs_a_sent_request_and_a_later_date(world):
    officer, request = world.people["officer"], world.requests["own"]
    url = "https://example.org/foi/1"
    with pytest.raises(OutOfOrder, match="not been sent"):
        services.record_response(
            officer, request, responded_on=D(2024, 4, 1), response_kind="full", url=url
        )
    services.mark_sent(officer, request, D(2024, 3, 21))
    with pytest.raises(OutOfOrder, match="before the request was sent"):
        services.record_response(
            officer, request, responded_on=D(2024, 3, 20), response_kind="full", url=url
        )
    with pytest.raises(ResponseRequired, match="link or a file"):
        services.record_response(officer, request, responded_on=D(2024, 4, 2), response_kind="full")
    with pytest.raises(OutOfOrder, match="no response yet"):
        services.request_review(officer, request, D(2024, 4, 3))


def test_the_response_becomes_a_source_of_the_branch(world):
    officer, request = world.people["officer"], world.requests["own"]
    services.mark_sent(officer, request, D(2024, 3, 21))
    services.record_response(
        officer,
        request,
        responded_on=D(2024, 4, 19),
        response_kind="partial",
        url="https://example.org/foi/answer",
    )
    source = Source.objects.get(pk=request.response_source_id)
    assert source.kind == "foi-response"
    assert source.branch_id == world.branches["A"].pk
    assert source.publisher == "Exemplar Borough Council"
    assert source.published_on == D(2024, 4, 19)
    assert source.state == "draft"


def test_an_uploaded_response_is_stored_with_its_fingerprint(world):
    officer, request = world.people["officer"], world.requests["own"]
    services.mark_sent(officer, request, D(2024, 3, 21))
    content = b"%PDF-1.4 the council's answer"
    services.record_response(
        officer,
        request,
        responded_on=D(2024, 4, 19),
        response_kind="full",
        stored_copy=SimpleUploadedFile("answer.pdf", content, "application/pdf"),
    )
    assert request.response_source.sha256 == hashlib.sha256(content).hexdigest()


def test_the_internal_review_and_its_answer(world):
    officer, request = world.people["officer"], world.requests["own"]
    services.mark_sent(officer, request, D(2024, 3, 21))
    services.record_response(
        officer,
        request,
        responded_on=D(2024, 4, 19),
        response_kind="refused",
        url="https://example.org/a",
    )
    with pytest.raises(OutOfOrder, match="before the response"):
        services.request_review(officer, request, D(2024, 4, 18))
    with pytest.raises(OutOfOrder, match="No internal review"):
        services.record_review_response(
            officer, request, responded_on=D(2024, 5, 1), url="https://example.org/b"
        )
    # Asked Mon 22 April 2024 (England): due Tue 21 May (the May Day bank holiday is out).
    services.request_review(officer, request, D(2024, 4, 22))
    assert request.review_due_on == D(2024, 5, 21)
    with pytest.raises(OutOfOrder, match="before the review was asked"):
        services.record_review_response(
            officer, request, responded_on=D(2024, 4, 21), url="https://example.org/b"
        )
    services.record_review_response(
        officer, request, responded_on=D(2024, 5, 20), url="https://example.org/b"
    )
    request.refresh_from_db()
    assert request.review_source.kind == "foi-response"
    assert request.review_source.title.startswith("Internal review answer from ")
