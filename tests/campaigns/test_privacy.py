"""Where a private case could show through something else: the register event its outcome
becomes, the sources its FOI answers become, Django admin's delete confirmation, a shared case
whose branch has left the network, and the cache headers of the pages that show it."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualwatch.campaigns import services
from mutualwatch.campaigns.models import Outcome
from mutualwatch.foi import services as foi
from mutualwatch.foi.exceptions import NotAllowed
from mutualwatch.register.services import move_through_review
from tests.conftest import build_source


def private_case_with_outcome(world):
    officer = world.people["branch officer"]
    case = services.edit_case(officer, world.cases["home-private"], arrangement=world.arrangement)
    source = build_source(title="Cabinet minutes")
    services.add_document(officer, case, source=source)
    event = services.record_outcome(
        officer, case, outcome=Outcome.DELAYED, date=datetime.date(2021, 4, 1), source=source
    )
    return case, event


def test_an_outcome_event_never_names_the_private_case(world, person, as_person):
    case, event = private_case_with_outcome(world)
    assert case.title not in event.description
    assert case.service_area.name in event.description
    researcher = world.people["national researcher"]
    assert as_person(researcher).get(f"/workspace/campaigns/{case.pk}/").status_code == 404
    assert case.title not in as_person(researcher).get(f"/workspace/event/{event.uid}/").text
    move_through_review(person("national researcher"), event, "verify")
    move_through_review(person("national researcher"), event, "publish")
    public = as_person(None).get(f"/authorities/{case.authority.gss_code}/")
    assert public.status_code == 200
    assert case.title not in public.text


def test_an_foi_answer_is_titled_by_what_it_is_not_by_the_case(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = world.people["branch officer"]
    case = world.cases["home-private"]
    request = foi.draft_request(officer, case, "pensions")
    foi.mark_sent(officer, request, datetime.date(2024, 1, 2))
    foi.record_response(
        officer,
        request,
        responded_on=datetime.date(2024, 1, 20),
        response_kind="full",
        stored_copy=SimpleUploadedFile("answer.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    request.refresh_from_db()
    title = request.response_source.title
    assert case.title not in title
    assert request.subject not in title
    assert title.startswith(f"Response from {case.authority.name} to a Freedom of Information")


def test_an_foi_answer_cannot_cite_a_source_its_officer_cannot_see(world):
    officer = world.people["branch officer"]
    request = foi.draft_request(officer, world.cases["home-private"], "pensions")
    foi.mark_sent(officer, request, datetime.date(2024, 1, 2))
    hidden = build_source(title="Another branch's draft", state="draft", branch=world.outside)
    with pytest.raises(NotAllowed, match="cannot see"):
        foi.record_response(
            officer,
            request,
            responded_on=datetime.date(2024, 1, 20),
            response_kind="full",
            source=hidden,
        )
    request.refresh_from_db()
    assert request.response_source is None


def test_the_admin_refuses_deletions_that_would_list_private_cases(world, client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    case = world.cases["home-private"]
    for page in [
        f"/admin/register/authority/{case.authority.pk}/delete/",
        f"/admin/register/servicearea/{case.service_area.pk}/delete/",
        f"/admin/branches/branch/{world.home.pk}/delete/",
    ]:
        response = client.get(page)
        assert case.title not in response.text, page
        assert "private campaign cases" in response.text, page
        client.post(page, {"post": "yes"})
    case.refresh_from_db()
    assert case.branch_id == world.home.pk


def test_a_shared_case_leaves_the_network_with_its_branch(world, as_person):
    case = world.cases["home-shared"]
    reader = world.people["network member"]
    assert as_person(reader).get(f"/workspace/campaigns/{case.pk}/").status_code == 200
    world.home.joined_network_on = None
    world.home.save()
    assert as_person(reader).get(f"/workspace/campaigns/{case.pk}/").status_code == 404
    assert case.title not in as_person(reader).get("/workspace/network/").text


def test_pages_showing_private_records_are_never_cached(world, as_person):
    officer = world.people["branch officer"]
    case = world.cases["home-private"]
    request = foi.draft_request(officer, case, "pensions")
    browser = as_person(officer)
    for page in [
        f"/workspace/campaigns/{case.pk}/",
        f"/workspace/campaigns/{case.pk}/foi/{request.pk}/",
        "/workspace/foi/",
        "/workspace/network/",
    ]:
        assert "no-store" in browser.get(page).get("Cache-Control", ""), page
