"""Submitting, editing and reviewing through the workspace, with the Django test client."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualwatch.register import services
from mutualwatch.register.models import Arrangement, Event, Provider, Source
from tests.conftest import build_source

pytestmark = pytest.mark.django_db


def event_form(world, **overrides):
    data = {
        "branch": world.branch.pk,
        "event_type": "takeover",
        "date": "2024-03-01",
        "date_precision": "month",
        "arrangement": world.arrangement.pk,
        "description": "Bought by Big Leisure plc",
        "intent": "submit",
    }
    return data | overrides


NEW_SOURCE = {
    "new_source_title": "Companies House PSC filing",
    "new_source_kind": "register-filing",
    "new_source_url": "https://example.org/psc/1",
}


def test_an_event_without_a_source_is_refused_with_an_error_on_the_sources_field(world, as_person):
    client = as_person(world.people["member"])
    response = client.post("/workspace/events/new/", event_form(world))
    assert response.status_code == 400
    form = response.context["form"]
    assert "Cite at least one source" in form.errors["existing_sources"][0]
    html = response.content.decode()
    # The error is tied to its field, for screen readers.
    assert 'id="id_existing_sources_error"' in html
    assert 'aria-describedby="id_existing_sources_helptext id_existing_sources_error"' in html
    assert 'aria-invalid="true"' in html
    assert not Event.objects.exists()


def test_an_arrangement_without_a_source_is_refused(world, as_person):
    client = as_person(world.people["member"])
    response = client.post(
        "/workspace/arrangements/new/",
        {
            "branch": world.branch.pk,
            "authority": world.council.pk,
            "service_area": world.arrangement.service_area.pk,
            "provider": world.arrangement.provider.pk,
            "origin": "outsourcing",
            "start_date": "2022-04-01",
            "start_precision": "day",
            "end_precision": "day",
            "intent": "draft",
        },
    )
    assert response.status_code == 400
    assert "existing_sources" in response.context["form"].errors
    assert Arrangement.objects.count() == 1


def test_a_member_submits_an_event_with_a_new_source(world, as_person):
    member = world.people["member"]
    client = as_person(member)
    response = client.post("/workspace/events/new/", event_form(world) | NEW_SOURCE)
    assert response.status_code == 302
    event = Event.objects.get()
    assert response["Location"] == f"/workspace/event/{event.uid}/"
    assert (event.state, event.branch, event.created_by) == ("submitted", world.branch, member)
    assert event.source.title == "Companies House PSC filing"
    # The new source is submitted with it, so a researcher sees it in the queue.
    assert (event.source.state, event.source.branch) == ("submitted", world.branch)
    page = client.get(response["Location"]).content.decode()
    assert "Your event was submitted for review." in page
    assert "Companies House PSC filing" in page


def test_save_draft_leaves_the_event_and_its_new_source_in_draft(world, as_person):
    client = as_person(world.people["member"])
    client.post("/workspace/events/new/", event_form(world, intent="draft") | NEW_SOURCE)
    event = Event.objects.get()
    assert (event.state, event.source.state) == ("draft", "draft")


def test_an_uploaded_document_is_stored_with_its_sha256(world, as_person):
    content = b"%PDF-1.4 minutes of the cabinet meeting"
    upload = SimpleUploadedFile("minutes.pdf", content, content_type="application/pdf")
    client = as_person(world.people["member"])
    response = client.post(
        "/workspace/events/new/",
        event_form(world)
        | {
            "new_source_title": "Cabinet minutes",
            "new_source_kind": "council-paper",
            "new_source_file": upload,
        },
    )
    assert response.status_code == 302
    source = Event.objects.get().source
    assert source.url == ""
    assert source.sha256 == hashlib.sha256(content).hexdigest()
    with source.stored_copy.open("rb") as stored:
        assert stored.read() == content
    download = client.get(f"/workspace/sources/{source.uid}/copy/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    download.close()


def test_a_new_source_needs_an_address_or_a_copy(world, as_person):
    client = as_person(world.people["member"])
    response = client.post(
        "/workspace/events/new/",
        event_form(world) | {"new_source_title": "A rumour", "new_source_kind": "press"},
    )
    assert response.status_code == 400
    assert "web address or upload" in response.context["form"].errors["new_source_url"][0]


def test_a_member_picks_an_existing_source_and_adds_a_provider(world, as_person):
    cited = build_source(title="Annual report 2023")
    client = as_person(world.people["member"])
    response = client.post(
        "/workspace/arrangements/new/",
        {
            "branch": world.branch.pk,
            "authority": world.council.pk,
            "service_area": world.arrangement.service_area.pk,
            "new_provider_name": "Exemplar Care Co-operative",
            "new_provider_legal_form": "cooperative",
            "origin": "spin-out",
            "start_date": "2023-04-01",
            "start_precision": "month",
            "end_precision": "day",
            "existing_sources": [cited.pk],
            "intent": "draft",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    arrangement = Arrangement.objects.get(provider__name="Exemplar Care Co-operative")
    assert arrangement.source == cited
    assert (arrangement.state, arrangement.provider.state) == ("draft", "draft")


def test_a_branch_records_arrangements_only_for_councils_it_covers(world, as_person):
    client = as_person(world.people["member"])
    response = client.post(
        "/workspace/arrangements/new/",
        {
            "branch": world.branch.pk,
            "authority": world.elsewhere.pk,
            "service_area": world.arrangement.service_area.pk,
            "provider": world.arrangement.provider.pk,
            "origin": "outsourcing",
            "start_date": "2022-04-01",
            "start_precision": "day",
            "end_precision": "day",
            "existing_sources": [world.arrangement.source.pk],
        },
    )
    assert response.status_code == 400
    assert "authority" in response.context["form"].errors
    assert Arrangement.objects.count() == 1


def draft_event(world, creator, state="draft"):
    source = services.add_source(
        creator,
        branch_id=world.branch.pk,
        title="Branch report",
        kind="branch-report",
        url="https://example.org/branch/1",
    )
    event = services.add_event(
        creator,
        sources=[source],
        branch_id=world.branch.pk,
        event_type="re-tender",
        date="2024-01-01",
        arrangement=world.arrangement,
        description="Re-tendered",
    )
    if state != "draft":
        services.move_through_review(creator, source, "submit")
        services.move_through_review(creator, event, "submit")
    return event


def test_an_officer_edits_a_submitted_event_and_the_history_shows_it(world, as_person):
    event = draft_event(world, world.people["member"], state="submitted")
    client = as_person(world.people["officer"])
    form = client.get(f"/workspace/event/{event.uid}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"description": "Re-tendered to Big Leisure plc", "date": "2024-01-01"}
    response = client.post(f"/workspace/event/{event.uid}/edit/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.description == "Re-tendered to Big Leisure plc"
    assert event.history.first().history_change_reason == "edited"
    page = client.get(f"/workspace/event/{event.uid}/").content.decode()
    assert "Re-tendered to Big Leisure plc" in page
    assert "edited" in page


def test_a_member_edits_their_own_draft_but_not_once_submitted(world, as_person):
    member = world.people["member"]
    event = draft_event(world, member)
    client = as_person(member)
    assert client.get(f"/workspace/event/{event.uid}/edit/").status_code == 200
    services.move_through_review(member, event, "submit")
    assert client.get(f"/workspace/event/{event.uid}/edit/").status_code == 403


def test_sending_back_needs_a_comment_and_the_branch_sees_it(world, as_person):
    member, researcher = world.people["member"], world.people["researcher"]
    event = draft_event(world, member, state="submitted")
    client = as_person(researcher)
    url = f"/workspace/event/{event.uid}/review/"
    refused = client.post(url, {"step": "send_back", "comment": " "})
    assert refused.status_code == 400
    assert "Say why you are sending it back" in refused.content.decode()
    response = client.post(url, {"step": "send_back", "comment": "Which month? Cite the notice."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.state, event.review_comment) == ("draft", "Which month? Cite the notice.")
    page = as_person(member).get(f"/workspace/event/{event.uid}/").content.decode()
    assert "Sent back by the reviewer" in page
    assert "Which month? Cite the notice." in page
    # The member is told who did what without learning the researcher's username.
    assert researcher.username not in page
    assert "by you" in page
    home = as_person(member).get("/workspace/").content.decode()
    assert "sent back" in home


def test_publishing_before_the_source_is_published_is_explained(world, as_person):
    event = draft_event(world, world.people["member"], state="submitted")
    client = as_person(world.people["researcher"])
    url = f"/workspace/event/{event.uid}/review/"
    assert client.post(url, {"step": "verify"}).status_code == 302
    response = client.post(url, {"step": "publish", "from": "compare"}, follow=True)
    assert response.status_code == 200
    assert "Publish these first: source “Branch report”" in response.content.decode()
    event.refresh_from_db()
    assert event.state == "verified"


def test_a_researcher_verifies_and_publishes_what_it_cites_then_the_event(world, as_person):
    event = draft_event(world, world.people["member"], state="submitted")
    client = as_person(world.people["researcher"])
    for kind, record in (("source", event.source), ("event", event)):
        for step in ("verify", "publish"):
            url = f"/workspace/{kind}/{record.uid}/review/"
            assert client.post(url, {"step": step}).status_code == 302
    event.refresh_from_db()
    assert event.state == "published"
    public = as_person(None).get(f"/authorities/{world.council.gss_code}/").content.decode()
    assert "Re-tendered" in public


def test_a_review_rule_broken_by_a_wrong_step_is_a_message_not_an_error(world, as_person):
    event = draft_event(world, world.people["member"])
    client = as_person(world.people["researcher"])
    response = client.post(
        f"/workspace/event/{event.uid}/review/", {"step": "publish"}, follow=True
    )
    assert response.status_code == 200
    assert "A draft event cannot be published" in response.content.decode()


def test_nobody_verifies_their_own_work(world, as_person):
    researcher = world.people["researcher"]
    provider = services.add_provider(researcher, name="Self-made Ltd", legal_form="private-company")
    services.move_through_review(researcher, provider, "submit")
    client = as_person(researcher)
    response = client.post(f"/workspace/provider/{provider.uid}/review/", {"step": "verify"})
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.state == "submitted"


def test_the_queue_names_submitters_to_researchers_and_filters_with_htmx(world, as_person):
    event = draft_event(world, world.people["member"], state="submitted")
    client = as_person(world.people["researcher"])
    page = client.get("/workspace/review/").content.decode()
    assert str(event) in page
    assert world.people["member"].username in page
    partial = client.get("/workspace/review/?state=verified", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "Nothing is waiting for review." in partial.content.decode()
    full = client.get("/workspace/review/?state=submitted").content.decode()
    assert "<html" in full
    assert str(event) in full


def test_the_compare_view_shows_what_is_published_for_the_same_council_and_service(
    world, as_person
):
    event = draft_event(world, world.people["member"], state="submitted")
    page = as_person(world.people["researcher"]).get(f"/workspace/review/event/{event.uid}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Libraries for {world.council.name}" in text
    assert "Exemplar Leisure Mutual Ltd" in text
    assert "Verify" in text
    assert "Send back" in text


def test_the_compare_view_finds_a_duplicate_source(world, as_person):
    published = build_source(title="The original", url="https://example.org/same")
    duplicate = services.add_source(
        world.people["member"],
        branch_id=world.branch.pk,
        title="Copy",
        kind="press",
        url=published.url,
    )
    page = as_person(world.people["researcher"]).get(f"/workspace/review/source/{duplicate.uid}/")
    assert "Possible duplicates" in page.content.decode()
    assert "The original" in page.content.decode()


def test_the_home_page_lists_branches_councils_and_records_by_state(world, as_person):
    event = draft_event(world, world.people["member"], state="submitted")
    page = as_person(world.people["officer"]).get("/workspace/").content.decode()
    assert "Exemplar Branch" in page
    assert f'href="/authorities/{world.council.gss_code}/"' in page
    assert "Elsewhere District Council" not in page
    assert f'href="/workspace/event/{event.uid}/"' in page
    assert "Submitted for review <span" in page


def test_public_pages_never_show_who_submitted_or_reviewed(world, as_person):
    member, researcher = world.people["member"], world.people["researcher"]
    client = as_person(member)
    client.post(
        "/workspace/events/new/",
        event_form(
            world,
            new_provider_name="Big Leisure plc",
            new_provider_legal_form="private-company",
            arrangement="",
        )
        | NEW_SOURCE,
    )
    event = Event.objects.get()
    client = as_person(researcher)
    for kind, record in (("source", event.source), ("provider", event.provider), ("event", event)):
        for step in ("verify", "publish"):
            client.post(f"/workspace/{kind}/{record.uid}/review/", {"step": step})
    assert Event.objects.get().state == "published"
    visitor = as_person(None)
    pages = [
        "/",
        "/authorities/",
        f"/authorities/{world.council.gss_code}/",
        f"/providers/{event.provider.uid}/",
        f"/sources/{event.source.uid}/",
    ]
    for url in pages:
        response = visitor.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert member.username not in text, url
        assert researcher.username not in text, url
    assert "Big Leisure plc" in visitor.get(f"/providers/{event.provider.uid}/").content.decode()
    assert Provider.objects.get(name="Big Leisure plc").created_by == member
    assert Source.objects.filter(state="published").count() == 2


def test_an_empty_post_is_refused_with_errors_not_taken_as_a_blank_form(world, as_person):
    response = as_person(world.people["member"]).post("/workspace/events/new/", {})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"event_type", "date", "existing_sources", "arrangement"} <= set(errors)
    assert not Event.objects.exists()


def test_a_refused_submission_leaves_no_uploaded_document_behind(world, settings):
    """The upload is written as its source is saved; the branch does not cover the council, so
    the whole submission is refused, and the document (which may hold personal data) goes."""
    from mutualwatch.register.services import NotAllowed
    from mutualwatch.workspace import actions

    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 names of members", "application/pdf")
    with pytest.raises(NotAllowed, match="does not cover"):
        actions.record_arrangement(
            world.people["member"],
            branch_id=world.branch.pk,
            existing_sources=[],
            new_source=actions.NewSource(
                title="Cabinet minutes", kind="council-paper", stored_copy=upload
            ),
            new_provider=None,
            submit=True,
            authority=world.elsewhere,
            service_area=world.arrangement.service_area,
            provider=world.arrangement.provider,
            origin=world.arrangement.origin,
            start_date=world.arrangement.start_date,
        )
    assert not Source.objects.filter(title="Cabinet minutes").exists()
    assert [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] == []


def test_an_officer_changes_what_an_event_cites_and_the_history_keeps_both(world, as_person):
    event = draft_event(world, world.people["member"], state="submitted")
    first = event.source
    notice = build_source(title="Contract award notice")
    client = as_person(world.people["officer"])
    url = f"/workspace/event/{event.uid}/edit/"
    form = client.get(url).context["form"]
    assert form.initial["source"] == first.pk
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data |= {"source": notice.pk, "additional_sources": [first.pk]}
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.source == notice
    assert list(event.additional_sources.all()) == [first]
    reasons = [row.history_change_reason for row in event.history.all()]
    assert reasons[0] == "citations changed"
    assert event.history.all()[1].source_id == first.pk  # the version before still says so
    page = client.get(f"/workspace/event/{event.uid}/").content.decode()
    assert "Contract award notice" in page
    assert "Branch report" in page


def test_citations_cannot_be_emptied(world, as_person):
    event = draft_event(world, world.people["member"])
    client = as_person(world.people["member"])
    url = f"/workspace/event/{event.uid}/edit/"
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data["source"] = ""
    response = client.post(url, data)
    assert response.status_code == 400
    assert "source" in response.context["form"].errors
    with pytest.raises(services.SourceRequired):
        services.change_citations(world.people["member"], event, [])


def test_only_someone_who_may_edit_a_record_changes_its_citations(world):
    member = world.people["member"]
    event = draft_event(world, member, state="submitted")
    for person in (member, world.people["other branch member"], world.people["no role"]):
        with pytest.raises(services.NotAllowed):
            services.change_citations(person, event, [build_source()])
    services.change_citations(world.people["researcher"], event, [build_source(title="Notice")])
    event.refresh_from_db()
    assert event.source.title == "Notice"
