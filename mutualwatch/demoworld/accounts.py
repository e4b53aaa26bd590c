"""The demo's accounts: one person in each role, to log in with and see what each may do.

Made in demo mode only, and with new passwords each time the demo starts: no password for
them is written anywhere but this machine, so a demo left reachable, or its database copied,
lets nobody in with a password from the source code or the docs. The passwords are printed
and kept beside the demo's database (``ACCOUNTS_FILE``, readable by its owner only), where
the demo's login page says to look.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify

from mutualwatch.branches.accounts import ensure_account
from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import Role
from mutualwatch.demoworld.exceptions import DemoWorldError
from mutualwatch.register.models import Authority, Nation

ACCOUNTS_FILE = "demo-accounts.txt"
#: One account per role the workspace and the admin distinguish, by username.
DEMO_ACCOUNTS = {
    "demo-member": Role.MEMBER,
    "demo-officer": Role.OFFICER,
    "demo-researcher": Role.RESEARCHER,
    "demo-admin": Role.ADMINISTRATOR,
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    branch: str  # the branch's name, for a branch role; else empty
    password: str

    def describe(self) -> str:
        return f"{self.role} of {self.branch}" if self.branch else str(self.role)


def accounts_file() -> Path:
    return Path(settings.DATA_DIR) / ACCOUNTS_FILE


@transaction.atomic
def make_demo_accounts() -> list[DemoAccount]:
    """Every demo account, each with a new password, for the demo's branch; demo mode only."""
    if not settings.DEMO_MODE:
        raise DemoWorldError(
            "Demo accounts are made in demo mode only: run `mutualwatch demo`, never on a "
            "real register."
        )
    branch = demo_branch()
    accounts = []
    for username, role in DEMO_ACCOUNTS.items():
        password = secrets.token_urlsafe(12)
        in_branch = branch if role in (Role.MEMBER, Role.OFFICER) else None
        user = ensure_account(username, role, in_branch, password).user
        user.set_password(password)
        user.save(update_fields=["password"])
        accounts.append(DemoAccount(username, role, in_branch.name if in_branch else "", password))
    write_accounts_file(accounts)
    return accounts


def demo_branch() -> Branch:
    """A fictional branch following the demo council with the most arrangements."""
    authority = (
        Authority.objects.filter(nation=Nation.FICTIONAL)
        .annotate(arrangement_count=Count("arrangements"))
        .order_by("-arrangement_count", "name")
        .first()
    )
    if authority is None:
        raise DemoWorldError("The demo world has no councils: load it before its accounts.")
    return council_branch(authority)


def council_branch(authority: Authority) -> Branch:
    """The fictional branch following one demo council (made the first time it is asked for)."""
    name = f"{authority.name} branch"
    branch, _ = Branch.objects.get_or_create(
        slug=f"demo-{slugify(authority.name)}", defaults={"name": name, "region": authority.region}
    )
    branch.authorities.add(authority)
    return branch


def write_accounts_file(accounts: list[DemoAccount]) -> None:
    path = accounts_file()
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    path.write_text(
        "The demo's accounts (fictional demo data only; new passwords each time the demo starts)\n"
        + "".join(f"{a.username}\t{a.password}\t{a.describe()}\n" for a in accounts),
        encoding="utf-8",
    )
