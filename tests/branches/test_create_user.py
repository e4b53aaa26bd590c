"""`mutualwatch create-user`: accounts for real installations, and every error it names."""

import io
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from mutualwatch.branches.models import BranchMembership, NationalRole
from tests.conftest import build_branch, log_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


class Keyboard(io.StringIO):
    """Standard input typed at a terminal, as getpass reads it."""

    def isatty(self) -> bool:
        return True


def create_user(monkeypatch, *args: str, typed: str = PASSWORD + "\n") -> str:
    """Run the command with ``typed`` piped to its standard input; returns what it printed."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    out = io.StringIO()
    call_command("create_user", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_a_branch_member_is_made_with_the_piped_password_and_can_log_in(monkeypatch, client):
    branch = build_branch(name="Northfield Branch", slug="northfield")
    said = create_user(monkeypatch, "nadia", "--role", "member", "--branch", "northfield")
    assert said == (
        "nadia: made the account nadia; made them a branch member of Northfield Branch.\n"
    )
    membership = BranchMembership.objects.get(user__username="nadia")
    assert (membership.branch, membership.role) == (branch, "member")
    assert log_in(client, "nadia", PASSWORD)
    assert client.get("/workspace/").status_code == 200


def test_a_researcher_and_an_administrator_hold_national_roles(monkeypatch, client):
    create_user(monkeypatch, "rhea", "--role", "researcher")
    create_user(monkeypatch, "abe", "--role", "administrator")
    assert NationalRole.objects.get(user__username="rhea").role == "researcher"
    admin = User.objects.get(username="abe")
    assert admin.is_superuser
    assert admin.is_staff
    assert log_in(client, "abe", PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_run_twice_it_changes_nothing_and_never_the_password(monkeypatch):
    build_branch(slug="northfield")
    create_user(monkeypatch, "nadia", "--role", "member", "--branch", "northfield")
    again = create_user(
        monkeypatch, "nadia", "--role", "member", "--branch", "northfield", typed="other\n"
    )
    assert again == "nadia already holds that role: nothing changed.\n"
    assert User.objects.get(username="nadia").check_password(PASSWORD)


def test_an_existing_account_is_given_the_new_role_and_keeps_its_password(monkeypatch):
    branch = build_branch(name="Northfield Branch", slug="northfield")
    create_user(monkeypatch, "nadia", "--role", "member", "--branch", "northfield")
    said = create_user(monkeypatch, "nadia", "--role", "officer", "--branch", "northfield")
    assert said == (
        "nadia: made them a branch officer of Northfield Branch (they were a branch member) "
        "(their password is unchanged).\n"
    )
    assert BranchMembership.objects.get(user__username="nadia", branch=branch).role == "officer"
    assert User.objects.get(username="nadia").check_password(PASSWORD)


def test_an_unknown_role_is_named(monkeypatch):
    with pytest.raises(CommandError, match=r"--role: invalid choice: 'boss' \(choose from 'member"):
        create_user(monkeypatch, "nadia", "--role", "boss")
    assert not User.objects.exists()


def test_an_unknown_branch_is_named_with_the_branches_there_are(monkeypatch):
    build_branch(slug="northfield")
    build_branch(slug="southby")
    with pytest.raises(
        CommandError,
        match=r"No branch has the slug 'westmoor'\. Branches: northfield, southby\. Nothing",
    ):
        create_user(monkeypatch, "nadia", "--role", "member", "--branch", "westmoor")
    assert not User.objects.exists()


def test_with_no_branches_at_all_it_says_where_they_are_added(monkeypatch):
    with pytest.raises(CommandError, match=r"'northfield'\. There are no branches yet"):
        create_user(monkeypatch, "nadia", "--role", "officer", "--branch", "northfield")


def test_a_branch_role_without_a_branch_is_refused(monkeypatch):
    with pytest.raises(CommandError, match=r"A branch officer belongs to a branch: .*--branch"):
        create_user(monkeypatch, "nadia", "--role", "officer")
    assert not User.objects.exists()


def test_a_national_role_with_a_branch_is_refused(monkeypatch):
    build_branch(slug="northfield")
    with pytest.raises(CommandError, match=r"leave out --branch northfield"):
        create_user(monkeypatch, "rhea", "--role", "researcher", "--branch", "northfield")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("\n", "The password is empty"), ("password\n", "This password is too common")],
)
def test_an_unusable_password_is_refused_and_nothing_made(monkeypatch, typed, reason):
    with pytest.raises(CommandError, match=reason):
        create_user(monkeypatch, "rhea", "--role", "researcher", typed=typed)
    assert not User.objects.exists()


def test_an_impossible_username_is_named(monkeypatch):
    with pytest.raises(CommandError, match=r"'two words' cannot be a username"):
        create_user(monkeypatch, "two words", "--role", "researcher")


def test_without_a_terminal_it_asks_for_the_password_to_be_piped(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(CommandError, match="pipe it in with --password-stdin"):
        call_command("create_user", "rhea", "--role", "researcher")
    assert not User.objects.exists()


def test_at_a_terminal_it_asks_twice_and_refuses_two_different_passwords(monkeypatch):
    monkeypatch.setattr(sys, "stdin", Keyboard())
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        call_command("create_user", "rhea", "--role", "researcher")
    assert not User.objects.exists()
