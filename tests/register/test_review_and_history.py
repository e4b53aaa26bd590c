"""Records move draft → submitted → verified → published, and every change is kept."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualwatch.register import services
from mutualwatch.register.exceptions import NotAllowed, ReviewRuleBroken
from mutualwatch.register.history import record_history
from mutualwatch.register.models import ServiceArea
from tests.conftest import build_authority, build_branch, build_provider, build_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_with_council():
    branch = build_branch()
    council = build_authority()
    branch.authorities.add(council)
    return branch, council


def submit_case(member, branch, council):
    source = services.add_source(
        member,
        branch_id=branch.pk,
        title="Cabinet paper: library spin-out",
        url="https://example.org/cabinet/2014-03",
        kind="council-paper",
    )
    provider = services.add_provider(
        member, branch_id=branch.pk, name="Libraries Mutual CIC", legal_form="cic"
    )
    arrangement = services.add_arrangement(
        member,
        branch_id=branch.pk,
        sources=[source],
        authority=council,
        service_area=ServiceArea.objects.get(code="libraries"),
        provider=provider,
        start_date=datetime.date(2014, 4, 1),
        origin="spin-out",
    )
    return source, provider, arrangement


def test_a_case_goes_from_a_branch_member_to_publication(person, branch_with_council):
    branch, council = branch_with_council
    member, researcher = person("branch member", branch), person("national researcher")
    records = submit_case(member, branch, council)
    for record in records:
        assert record.state == "draft"
        services.move_through_review(member, record, "submit")
        services.move_through_review(researcher, record, "verify")
        services.move_through_review(researcher, record, "publish")
        record.refresh_from_db()
        assert record.state == "published"


def test_publishing_skips_no_step(person, branch_with_council):
    branch, council = branch_with_council
    member, researcher = person("branch member", branch), person("national researcher")
    source, _, _ = submit_case(member, branch, council)
    with pytest.raises(ReviewRuleBroken, match="cannot be published"):
        services.move_through_review(researcher, source, "publish")


def test_an_arrangement_cannot_be_published_before_its_sources(person, branch_with_council):
    branch, council = branch_with_council
    member, researcher = person("branch member", branch), person("national researcher")
    _, _, arrangement = submit_case(member, branch, council)
    for step, who in (("submit", member), ("verify", researcher)):
        services.move_through_review(who, arrangement, step)
    with pytest.raises(ReviewRuleBroken, match="Publish these first"):
        services.move_through_review(researcher, arrangement, "publish")


def test_nobody_verifies_their_own_submission(person, branch_with_council):
    researcher = person("national researcher")
    provider = services.add_provider(researcher, name="Leisure Trust", legal_form="charity")
    services.move_through_review(researcher, provider, "submit")
    with pytest.raises(NotAllowed):
        services.move_through_review(researcher, provider, "verify")


def test_a_member_cannot_add_for_a_council_their_branch_does_not_cover(person):
    branch = build_branch()
    member = person("branch member", branch)
    with pytest.raises(NotAllowed, match="does not cover"):
        services.add_arrangement(
            member,
            branch_id=branch.pk,
            sources=[build_source()],
            authority=build_authority(),
            service_area=ServiceArea.objects.get(code="leisure"),
            provider=build_provider(),
            start_date=datetime.date(2014, 4, 1),
            origin="outsourcing",
        )


def test_a_sent_back_record_carries_the_reviewers_comment(person, branch_with_council):
    branch, council = branch_with_council
    member, researcher = person("branch member", branch), person("national researcher")
    source, _, _ = submit_case(member, branch, council)
    services.move_through_review(member, source, "submit")
    services.move_through_review(researcher, source, "send_back", "Link to the minutes, please")
    source.refresh_from_db()
    assert (source.state, source.review_comment) == ("draft", "Link to the minutes, please")


def test_every_edit_is_kept_with_who_when_before_and_after(person, branch_with_council):
    branch, council = branch_with_council
    member, researcher = person("branch member", branch), person("national researcher")
    _, provider, _ = submit_case(member, branch, council)
    services.edit(member, provider, name="Libraries Mutual Community Interest Company")
    services.move_through_review(member, provider, "submit")
    services.move_through_review(researcher, provider, "verify")

    history = record_history(provider)
    assert [entry.change for entry in history] == ["changed", "changed", "changed", "created"]
    verified, _submitted, renamed, created = history
    assert created.who == member.username
    assert renamed.who == member.username
    assert [(c.field, c.before, c.after) for c in renamed.fields] == [
        ("name", "Libraries Mutual CIC", "Libraries Mutual Community Interest Company")
    ]
    assert verified.who == researcher.username
    assert [(c.field, c.before, c.after) for c in verified.fields] == [
        ("state", "submitted", "verified")
    ]
    assert verified.reason == "verify"


def test_a_member_cannot_edit_once_submitted(person, branch_with_council):
    branch, council = branch_with_council
    member = person("branch member", branch)
    _, provider, _ = submit_case(member, branch, council)
    services.move_through_review(member, provider, "submit")
    with pytest.raises(NotAllowed):
        services.edit(member, provider, name="Renamed")


def test_an_uploaded_copy_is_stored_with_its_sha256(person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    researcher = person("national researcher")
    content = b"%PDF-1.4 minutes of the cabinet meeting"
    source = services.add_source(
        researcher,
        title="Cabinet minutes",
        kind="council-paper",
        stored_copy=SimpleUploadedFile("minutes.pdf", content),
    )
    assert source.sha256 == hashlib.sha256(content).hexdigest()
    with source.stored_copy.open("rb") as stored:
        assert stored.read() == content
