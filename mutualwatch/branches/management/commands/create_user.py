"""`mutualwatch create-user USERNAME --role ROLE [--branch SLUG]`: an account for a real person."""

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.branches.accounts import (
    ROLES,
    account_exists,
    check_role_and_branch,
    ensure_account,
)
from mutualwatch.branches.exceptions import AccountError


class Command(BaseCommand):
    help = (
        "Give a person an account with one role: a branch member or officer (of the branch "
        "--branch names), a national researcher or an administrator. Asks for a new account's "
        "password twice; scripts pipe it in with --password-stdin. For an existing account, "
        "adds the role and leaves the password alone: run twice, it changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="The account's username.")
        parser.add_argument(
            "--role", required=True, choices=list(ROLES), help="The role the person holds."
        )
        parser.add_argument(
            "--branch",
            metavar="SLUG",
            help="The branch a member or officer belongs to, by its slug (as in /admin/).",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read a new account's password from the first line of standard input.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        role = ROLES[options["role"]]
        try:
            branch = check_role_and_branch(role, options["branch"])
            password = None
            if not account_exists(username):
                password = self._password(username, options["password_stdin"])
            outcome = ensure_account(username, role, branch, password)
        except AccountError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        if not outcome.changes:
            self.stdout.write(f"{username} already holds that role: nothing changed.")
            return
        said = "; ".join(outcome.changes)
        kept = "" if outcome.created else " (their password is unchanged)"
        self.stdout.write(f"{username}: {said}{kept}.")

    def _password(self, username: str, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        if not sys.stdin.isatty():
            raise CommandError(
                f"No terminal to ask for {username}'s password: pipe it in with "
                "--password-stdin. Nothing was changed."
            )
        first = getpass.getpass(f"Password for {username}: ")
        if first != getpass.getpass("The same again: "):
            raise CommandError("The two passwords differ. Nothing was changed.")
        return first
