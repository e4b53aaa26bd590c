"""Every workspace URL for every role in the permission table: 302 to log in, 200, 403 or 404.

A record a person may not see is 404, never 403, so the workspace does not reveal it exists.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from mutualwatch.matching.models import Decision, EventSuggestion, Link
from mutualwatch.register import services
from mutualwatch.workspace import urls as workspace_urls

pytestmark = pytest.mark.django_db

ROLES = [
    "visitor",
    "no role",
    "member",
    "second member",
    "officer",
    "other branch member",
    "researcher",
    "administrator",
]


@pytest.fixture
def records(world):
    """A member's draft event with an uploaded source, and a submitted one, in the branch."""
    member = world.people["member"]
    source = services.add_source(
        member,
        branch_id=world.branch.pk,
        title="Minutes",
        kind="council-paper",
        stored_copy=SimpleUploadedFile("minutes.txt", b"minutes"),
    )
    draft = services.add_event(
        member,
        sources=[source],
        branch_id=world.branch.pk,
        event_type="closure",
        date="2024-01-01",
        arrangement=world.arrangement,
    )
    submitted = services.add_event(
        member,
        sources=[source],
        branch_id=world.branch.pk,
        event_type="extension",
        date="2024-02-01",
        arrangement=world.arrangement,
    )
    services.move_through_review(member, submitted, "submit")
    link = Link.objects.create(
        key="exemplar", published_name="EXEMPLAR LEISURE MUTUAL", decision=Decision.NEEDS_REVIEW,
        candidates=[{"register": "companies-house", "number": "01234567",
                     "name": "EXEMPLAR LEISURE MUTUAL LIMITED", "probability": 0.8,
                     "weights": {"Name": 9.1, "Postcode": -4.2}}],
    )  # fmt: skip
    suggestion = EventSuggestion.objects.create(
        key="exemplar-dissolution", provider=world.arrangement.provider,
        register="companies-house", number="01234567", event_type="dissolution",
        date="2024-03-01", description="Dissolved.", source_title="Companies House: file",
        source_publisher="Companies House", source_sha256="0" * 64, snapshot_on="2024-04-01",
        source_url="https://download.companieshouse.gov.uk/en_output.html",
    )  # fmt: skip
    return {
        "draft": draft, "submitted": submitted, "source": source, "link": link,
        "suggestion": suggestion,
    }  # fmt: skip


def urls_for(records):
    draft, submitted, source = records["draft"], records["submitted"], records["source"]
    return {
        "home": reverse("workspace:home"),
        "add-arrangement": reverse("workspace:add-arrangement"),
        "add-event": reverse("workspace:add-event"),
        "queue": reverse("workspace:queue"),
        "compare": reverse("workspace:compare", args=["event", submitted.uid]),
        "stored-copy": reverse("workspace:stored-copy", args=[source.uid]),
        "record": reverse("workspace:record", args=["event", draft.uid]),
        "edit": reverse("workspace:edit", args=["event", draft.uid]),
        "edit submitted": reverse("workspace:edit", args=["event", submitted.uid]),
        "review-step": reverse("workspace:review-step", args=["event", submitted.uid]),
        "links": reverse("workspace:links"),
        "link": reverse("workspace:link", args=[records["link"].pk]),
        "register-suggestions": reverse("workspace:register-suggestions"),
        "candidates": reverse("workspace:candidates"),
        "register-suggestion-decision": reverse(
            "workspace:register-suggestion-decision", args=[records["suggestion"].pk]
        ),
    }


# Expected status for GET, by URL and role (review-step is a POST that verifies).
EXPECTED = {
    #                   visitor no-role member 2nd-mem officer other  research admin
    "home":            (302, 403, 200, 200, 200, 200, 200, 200),
    "add-arrangement": (302, 403, 200, 200, 200, 200, 200, 200),
    "add-event":       (302, 403, 200, 200, 200, 200, 200, 200),
    "queue":           (302, 403, 403, 403, 403, 403, 200, 200),
    "compare":         (302, 403, 403, 403, 403, 403, 200, 200),
    "stored-copy":     (302, 403, 200, 200, 200, 404, 200, 200),
    "record":          (302, 403, 200, 200, 200, 404, 200, 200),
    # Members edit their own drafts; officers their branch's unverified records.
    "edit":            (302, 403, 200, 403, 200, 404, 200, 200),
    "edit submitted":  (302, 403, 403, 403, 200, 404, 200, 200),
    # Verifying: researchers and administrators, never the record's author.
    "review-step":     (302, 403, 403, 403, 403, 404, 302, 302),
    # Judging supplier links and deciding register suggestions: researchers' work.
    "links":           (302, 403, 403, 403, 403, 403, 200, 200),
    "link":            (302, 403, 403, 403, 403, 403, 200, 200),
    "register-suggestions": (302, 403, 403, 403, 403, 403, 200, 200),
    "candidates":      (302, 403, 403, 403, 403, 403, 200, 200),
    "register-suggestion-decision": (302, 403, 403, 403, 403, 403, 302, 302),
}  # fmt: skip
POSTED = {"review-step": {"step": "verify"}, "register-suggestion-decision": {"decision": "accept"}}
CASES = [(url, role, codes[i]) for url, codes in EXPECTED.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("name", "role", "status"), CASES)
def test_each_view_for_each_role(world, records, as_person, name, role, status):
    user = None if role == "visitor" else world.people[role]
    client = as_person(user)
    url = urls_for(records)[name]
    response = client.post(url, POSTED[name]) if name in POSTED else client.get(url)
    assert response.status_code == status
    if status == 302 and role == "visitor":
        assert response["Location"].startswith("/accounts/login/?next=")
    if status in {403, 404}:
        text = response.content.decode()
        assert str(records["draft"]) not in text
        assert "Minutes" not in text
    if hasattr(response, "streaming_content"):
        response.close()


def test_every_workspace_url_is_in_the_matrix():
    """A new workspace view cannot be added without its row of expected statuses."""
    names = {p.name for p in workspace_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {name.removesuffix(" submitted") for name in EXPECTED}


def test_a_visitor_is_sent_to_log_in_from_every_workspace_url(client, world, records):
    for url in urls_for(records).values():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url


def test_an_unknown_kind_or_record_is_not_found(world, as_person):
    client = as_person(world.people["researcher"])
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/workspace/branch/{missing}/").status_code == 404
    assert client.get(f"/workspace/event/{missing}/").status_code == 404
    assert client.get(f"/workspace/review/event/{missing}/").status_code == 404


def test_a_member_cannot_verify_by_posting_and_the_record_is_unchanged(world, records, as_person):
    client = as_person(world.people["officer"])
    submitted = records["submitted"]
    for step in ("verify", "publish", "send_back"):
        response = client.post(
            f"/workspace/event/{submitted.uid}/review/", {"step": step, "comment": "no"}
        )
        assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_a_branch_member_cannot_add_for_another_branch(world, as_person):
    client = as_person(world.people["member"])
    response = client.post(
        "/workspace/events/new/",
        {
            "branch": world.other_branch.pk,
            "event_type": "closure",
            "date": "2024-01-01",
            "date_precision": "day",
            "arrangement": world.arrangement.pk,
            "existing_sources": [world.arrangement.source.pk],
        },
    )
    assert response.status_code == 400
    assert "branch" in response.context["form"].errors
