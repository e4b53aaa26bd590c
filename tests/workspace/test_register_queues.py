"""Judging supplier links and deciding register suggestions, through the workspace."""

import html
import re

import pytest

from mutualwatch.matching.models import (
    CandidateBody,
    CandidateReason,
    CandidateStatus,
    Decision,
    EventSuggestion,
    Link,
    SuggestionStatus,
)
from mutualwatch.register.models import Event, ReviewState, SourceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(register_store):
    return Link.objects.create(
        key="k1",
        published_name="Exemplar Leisure",
        decision=Decision.NEEDS_REVIEW,
        candidates=[
            {"unique_id": "companies-house:01234567", "register": "companies-house",
             "number": "01234567", "name": "EXEMPLAR LEISURE LIMITED", "status": "Active",
             "incorporated_on": "2010-01-01", "dissolved_on": "", "address": "1 High St",
             "probability": 0.81, "weights": {"Name": 9.27, "Postcode": -4.5, "Town": 0.0}},
        ],
    )  # fmt: skip


@pytest.fixture
def register_store(settings, tmp_path):
    settings.REGISTERS_STORE = tmp_path / "registers.duckdb"


def test_the_review_page_shows_the_supplier_beside_its_candidates_with_weights(
    world, as_person, link
):
    page = as_person(world.people["researcher"]).get(f"/workspace/links/{link.pk}/")
    text = page.content.decode()
    assert "Exemplar Leisure" in text
    assert "EXEMPLAR LEISURE LIMITED" in text
    assert 'aria-label="Match weights: Name 9.27, Postcode -4.5, Town 0.0"' in text


def test_a_researcher_confirms_another_body_with_a_reason_kept_with_the_judgement(
    world, as_person, link
):
    researcher = world.people["researcher"]
    response = as_person(researcher).post(
        f"/workspace/links/{link.pk}/",
        {"choice": "other", "register": "companies-house", "number": "SC 1234",
         "reason": "The annual report names it"},
    )  # fmt: skip
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.decision, link.number, link.judged_by) == (
        Decision.CONFIRMED, "SC001234", researcher,
    )  # fmt: skip
    assert link.reason == "The annual report names it"


def test_a_judgement_without_a_reason_is_refused(world, as_person, link):
    page = as_person(world.people["researcher"]).post(
        f"/workspace/links/{link.pk}/", {"choice": "reject", "reason": " "}
    )
    assert "Say why" in page.content.decode()
    link.refresh_from_db()
    assert link.decision == Decision.NEEDS_REVIEW


def test_a_member_cannot_judge_by_posting(world, as_person, link):
    response = as_person(world.people["officer"]).post(
        f"/workspace/links/{link.pk}/", {"choice": "reject", "reason": "mine"}
    )
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.decision == Decision.NEEDS_REVIEW


def test_accepting_a_suggestion_records_a_draft_event_citing_the_register_file(world, as_person):
    suggestion = EventSuggestion.objects.create(
        key="s1", provider=world.arrangement.provider, register="companies-house",
        number="01234567", event_type="insolvency", date="2024-03-01", date_known=False,
        description="In Liquidation by the snapshot of 2024-03-01.",
        source_title="Companies House: BasicCompanyData-2024-03-01.csv (as of 2024-03-01)",
        source_publisher="Companies House", source_sha256="a" * 64, snapshot_on="2024-03-01",
        source_url="https://download.companieshouse.gov.uk/en_output.html",
    )  # fmt: skip
    researcher = world.people["researcher"]
    client = as_person(researcher)
    client.post(f"/workspace/register-suggestions/{suggestion.pk}/", {"decision": "accept"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    event = Event.objects.get(pk=suggestion.event_id)
    assert (event.state, event.created_by, event.event_type) == (
        ReviewState.DRAFT, researcher, "insolvency",
    )  # fmt: skip
    assert event.source.kind == SourceKind.REGISTER_FILING
    assert event.source.title == suggestion.source_title
    assert "first seen in the snapshot of 2024-03-01" in event.description
    again = client.post(f"/workspace/register-suggestions/{suggestion.pk}/", {"decision": "accept"})
    assert again.status_code == 302
    assert Event.objects.filter(event_type="insolvency").count() == 1


def test_a_candidate_starts_a_filled_in_arrangement_or_is_dismissed(world, as_person):
    candidate = CandidateBody.objects.create(
        register="companies-house", number="01234567", name="Exemplar Youth CIC",
        reason=CandidateReason.CIC, reason_detail="Community Interest Company",
        authority=world.council,
        evidence=[{"ocid": "ocds-x-1", "title": "Youth services", "cpv": "85312300",
                   "cpv_description": "Guidance and counselling services", "date": "2024-01-02"}],
    )  # fmt: skip
    client = as_person(world.people["researcher"])
    listing = client.get("/workspace/candidates/").content.decode()
    assert "Exemplar Youth CIC" in listing
    assert "Guidance and counselling services (85312300)" in listing
    start = re.search(r'href="(/workspace/arrangements/new/\?[^"]+)"', listing).group(1)
    form = client.get(html.unescape(start)).content.decode()
    assert 'value="Exemplar Youth CIC"' in form
    assert re.search(r'<option value="cic" selected', form)
    assert re.search(rf'<option value="{world.council.pk}" selected', form)
    client.post("/workspace/candidates/", {"candidate": candidate.pk})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED
    after = client.get("/workspace/candidates/").content.decode()
    assert "No possible spin-out is waiting" in after


def test_a_member_cannot_dismiss_a_candidate(world, as_person):
    candidate = CandidateBody.objects.create(
        register="societies", number="525R", name="Exemplar Co-operative",
        reason=CandidateReason.SOCIETY, authority=world.council,
    )  # fmt: skip
    response = as_person(world.people["officer"]).post(
        "/workspace/candidates/", {"candidate": candidate.pk}
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN
