"""The admin edits the register under the register's own rules: it cannot publish, change
authorship, swap a verified source's copy or keep a stale fingerprint."""

import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from mutualwatch.branches.permissions import Action, Kind, can
from mutualwatch.register import services
from mutualwatch.register.exceptions import ReviewRuleBroken
from mutualwatch.register.models import Source
from tests.conftest import build_arrangement, build_branch, build_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client() -> tuple[User, Client]:
    user = User.objects.create_superuser("root-admin", password="x")
    client = Client()
    client.force_login(user)
    return user, client


def change_url(record: Any) -> str:
    return reverse(f"admin:register_{record._meta.model_name}_change", args=[record.pk])


def form_data(record: Any, **changes: Any) -> dict[str, Any]:
    """What the admin's change form posts for ``record`` as it is, with ``changes``."""
    data: dict[str, Any] = {}
    for name, value in model_to_dict(record).items():
        if isinstance(value, list):
            data[name] = [item.pk for item in value]
        elif value is None or name == "stored_copy":
            data[name] = ""
        else:
            data[name] = value
    return data | changes


def source_with_a_copy(user: User) -> Source:
    return services.add_source(
        user,
        title="Cabinet minutes",
        kind="council-paper",
        stored_copy=SimpleUploadedFile("minutes.pdf", b"first version"),
    )


def test_the_admin_cannot_publish_or_change_authorship(superuser_client):
    user, client = superuser_client
    author = User.objects.create_user("author", password="x")
    submitted_source = build_source(state="submitted")
    arrangement = build_arrangement(state="draft", created_by=author, source=submitted_source)

    response = client.post(
        change_url(arrangement),
        form_data(arrangement, state="published", created_by=user.pk, notes="Checked."),
    )

    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.state == "draft"
    assert arrangement.created_by == author
    assert arrangement.notes == "Checked."  # an ordinary edit still saves
    page = client.get(change_url(arrangement)).content.decode()
    assert 'name="state"' not in page
    assert 'name="created_by"' not in page


def test_a_published_record_cannot_come_to_cite_an_unpublished_source_in_the_admin(
    superuser_client,
):
    _user, client = superuser_client
    arrangement = build_arrangement()
    submitted_source = build_source(state="submitted")

    response = client.post(
        change_url(arrangement), form_data(arrangement, source=submitted_source.pk)
    )

    assert response.status_code == 200
    assert "Publish these first" in response.content.decode()
    arrangement.refresh_from_db()
    assert arrangement.source != submitted_source


def test_replacing_a_stored_copy_in_the_admin_fingerprints_the_new_bytes(
    superuser_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user, client = superuser_client
    source = source_with_a_copy(user)
    assert source.sha256 == hashlib.sha256(b"first version").hexdigest()

    new_copy = SimpleUploadedFile("minutes-v2.pdf", b"second version")
    response = client.post(change_url(source), form_data(source, stored_copy=new_copy))

    assert response.status_code == 302
    source.refresh_from_db()
    with source.stored_copy.open("rb") as stored:
        stored_bytes = stored.read()
    assert stored_bytes == b"second version"
    assert source.sha256 == hashlib.sha256(stored_bytes).hexdigest()


@pytest.mark.parametrize("state", ["verified", "published"])
def test_a_verified_or_published_sources_copy_cannot_be_swapped(
    superuser_client, settings, tmp_path, state
):
    settings.MEDIA_ROOT = tmp_path
    user, client = superuser_client
    source = source_with_a_copy(user)
    Source.objects.filter(pk=source.pk).update(state=state)
    source.refresh_from_db()

    new_copy = SimpleUploadedFile("minutes-v2.pdf", b"second version")
    response = client.post(change_url(source), form_data(source, stored_copy=new_copy))

    assert response.status_code == 200
    assert "cannot be replaced" in response.content.decode()
    source.refresh_from_db()
    assert source.sha256 == hashlib.sha256(b"first version").hexdigest()
    with source.stored_copy.open("rb") as stored:
        assert stored.read() == b"first version"


def test_a_record_added_in_the_admin_is_a_draft_by_whoever_added_it(superuser_client):
    user, client = superuser_client
    response = client.post(
        reverse("admin:register_source_add"),
        {"title": "Audit report", "kind": "council-paper", "url": "https://example.org/audit"},
    )
    assert response.status_code == 302
    source = Source.objects.get(title="Audit report")
    assert (source.state, source.created_by) == ("draft", user)


ROLES = ["branch member", "branch officer", "national researcher", "administrator"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "submitted", "verified", "published"])
@pytest.mark.parametrize("own", [True, False], ids=["own", "another's"])
def test_staff_edit_in_the_admin_exactly_what_the_permission_table_allows(person, role, state, own):
    branch = build_branch()
    user = person(role, branch)
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="register"))
    source = build_source(state=state, branch=branch, created_by=user if own else None)
    client = Client()
    client.force_login(user)

    client.post(change_url(source), form_data(source, title="Renamed in the admin"))

    source.refresh_from_db()
    allowed = can(User.objects.get(pk=user.pk), Action.EDIT, Kind.SOURCE, source)
    assert (source.title == "Renamed in the admin") == allowed


def test_no_edit_by_any_path_changes_review_state_or_authorship(person):
    researcher = person("national researcher")
    arrangement = build_arrangement(state="submitted")
    for changes in ({"state": "published"}, {"created_by": researcher}, {"branch": build_branch()}):
        with pytest.raises(ReviewRuleBroken, match="only through review"):
            services.edit(researcher, arrangement, **changes)
        arrangement.refresh_from_db()
    assert (arrangement.state, arrangement.created_by, arrangement.branch) == (
        "submitted",
        None,
        None,
    )


def test_a_published_records_citations_stay_published_in_the_workspace_too(person):
    researcher = person("national researcher")
    arrangement = build_arrangement()
    with pytest.raises(ReviewRuleBroken, match="Publish these first"):
        services.change_citations(researcher, arrangement, [build_source(state="submitted")])


def test_reverting_to_an_earlier_version_in_the_admin_does_not_restore_its_review_state(
    superuser_client,
):
    user, client = superuser_client
    arrangement = build_arrangement(state="draft")
    draft_version = arrangement.history.latest()
    services.move_through_review(user, arrangement, "submit")

    url = reverse(
        "admin:register_arrangement_simple_history",
        args=[arrangement.pk, draft_version.history_id],
    )
    response = client.post(url, form_data(draft_version.instance, notes="Reverted."))

    arrangement.refresh_from_db()
    assert response.status_code == 200
    assert "only through review" in response.content.decode()
    assert (arrangement.state, arrangement.notes) == ("submitted", "")


def test_the_admins_lists_show_staff_only_what_they_may_view(person):
    branch, other_branch = build_branch(), build_branch()
    member = person("branch member", branch)
    member.is_staff = True
    member.save()
    member.user_permissions.set(Permission.objects.filter(content_type__app_label="register"))
    build_source(title="Our own draft", state="draft", branch=branch)
    build_source(title="Their draft", state="draft", branch=other_branch)
    build_source(title="Everyone's published source")
    client = Client()
    client.force_login(member)

    page = client.get(reverse("admin:register_source_changelist")).content.decode()

    assert "Our own draft" in page
    assert "Everyone&#x27;s published source" in page or "Everyone's published source" in page
    assert "Their draft" not in page
