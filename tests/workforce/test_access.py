"""Reading a branch's workforce records: its officers, or an administrator through a logged,
time-limited break-glass grant; every read of a record logged."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from mutualwatch.workforce import access, crypto
from mutualwatch.workforce.exceptions import NotAllowed
from mutualwatch.workforce.models import AccessAction, AccessLog, BreakGlass, TermsRecord
from tests.conftest import build_arrangement, build_branch

REASON = "Subject-access request escalated to the union's data protection officer"


@pytest.fixture
def record(db):
    branch = build_branch()
    arrangement = build_arrangement()
    return TermsRecord.objects.create(
        branch=branch,
        arrangement=arrangement,
        time_point="before",
        origin="officer",
        sealed_answers=crypto.seal({"hourly_pay": "10.00"}),
        delete_after=datetime.date(2099, 1, 1),
    )


@pytest.mark.parametrize(
    ("role", "own_branch", "reads"),
    [
        ("branch officer", True, True),
        ("branch officer", False, False),
        ("branch member", True, False),
        ("national researcher", False, False),
        ("administrator", False, False),
    ],
)
def test_who_reads_a_record_without_break_glass(person, record, role, own_branch, reads):
    user = person(role, record.branch if own_branch else build_branch())
    if reads:
        assert access.read_record(user, record) == {"hourly_pay": "10.00"}
        logged = AccessLog.objects.get(action=AccessAction.READ)
        assert (logged.user, logged.record_kind, logged.record_id) == (
            user,
            "TermsRecord",
            record.pk,
        )
        assert logged.reason == ""
    else:
        with pytest.raises(NotAllowed):
            access.read_record(user, record)
        assert not AccessLog.objects.filter(action=AccessAction.READ).exists()


def test_an_administrator_breaks_the_glass_with_a_reason_for_a_time_and_reads_only(
    person, record, settings
):
    settings.WORKFORCE_BREAK_GLASS_MINUTES = 30
    admin = person("administrator")
    with pytest.raises(NotAllowed, match="at least 20 characters"):
        access.break_glass(admin, record.branch, "because")
    grant = access.break_glass(admin, record.branch, REASON)
    assert 29 * 60 < (grant.expires_at - timezone.now()).total_seconds() <= 30 * 60
    assert access.read_record(admin, record) == {"hourly_pay": "10.00"}
    read = AccessLog.objects.get(action=AccessAction.READ)
    assert read.reason == f"Break-glass: {REASON}"
    assert AccessLog.objects.get(action=AccessAction.BREAK_GLASS).reason == REASON
    assert not access.may_change(admin, record.branch_id)
    # Another branch stays closed; so does this one once the grant has expired.
    assert not access.may_read(admin, build_branch().pk)
    BreakGlass.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(NotAllowed):
        access.read_record(admin, record)


@pytest.mark.parametrize("role", ["branch officer", "national researcher", "visitor"])
def test_only_an_administrator_may_break_the_glass(person, record, role):
    with pytest.raises(NotAllowed, match="Only an administrator"):
        access.break_glass(person(role, record.branch), record.branch, REASON)
    assert not BreakGlass.objects.exists()


def test_a_superuser_counts_as_an_administrator_and_still_needs_the_glass(record):
    superuser = User.objects.create_superuser("root", password="x")
    assert not access.may_read(superuser, record.branch_id)
    access.break_glass(superuser, record.branch, REASON)
    assert access.may_read(superuser, record.branch_id)
