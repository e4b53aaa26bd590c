"""Giving a person an account and one role: the write behind `mutualwatch create-user` and the
demo's accounts. Roles are held as the permission table reads them (``standings_of``): a
branch membership, a national researcher's role, or a Django superuser for an administrator.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from mutualwatch.branches.exceptions import (
    BranchRoleError,
    UnknownBranchError,
    UnusablePasswordError,
    UnusableUsernameError,
)
from mutualwatch.branches.models import (
    Branch,
    BranchMembership,
    BranchRole,
    NationalRole,
    NationalRoleKind,
)
from mutualwatch.branches.permissions import Role

#: The roles an account can be given, by the word typed for each.
ROLES = {
    "member": Role.MEMBER,
    "officer": Role.OFFICER,
    "researcher": Role.RESEARCHER,
    "administrator": Role.ADMINISTRATOR,
}
BRANCH_ROLES = {Role.MEMBER: BranchRole.MEMBER, Role.OFFICER: BranchRole.OFFICER}


@dataclass(frozen=True)
class AccountOutcome:
    user: User
    created: bool
    #: What changed, for people to read; empty when the person already held the role.
    changes: tuple[str, ...]


def account_exists(username: str) -> bool:
    return User.objects.filter(username=username).exists()


def find_branch(slug: str) -> Branch:
    branch = Branch.objects.filter(slug=slug).first()
    if branch is not None:
        return branch
    known = list(Branch.objects.order_by("slug").values_list("slug", flat=True)[:20])
    hint = (
        f"Branches: {', '.join(known)}."
        if known
        else "There are no branches yet: an administrator adds them in /admin/."
    )
    raise UnknownBranchError(f"No branch has the slug {slug!r}. {hint}")


def check_role_and_branch(role: Role, branch_slug: str | None) -> Branch | None:
    """The branch a role is held in: branch roles need one, national roles take none."""
    if role in BRANCH_ROLES:
        if not branch_slug:
            raise BranchRoleError(f"A {role} belongs to a branch: say which with --branch SLUG.")
        return find_branch(branch_slug)
    if branch_slug:
        raise BranchRoleError(
            f"A {role} works across every branch: leave out --branch {branch_slug}."
        )
    return None


def check_new_password(username: str, password: str) -> None:
    if not password:
        raise UnusablePasswordError("The password is empty.")
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        raise UnusablePasswordError(
            "The password was refused: " + " ".join(error.messages)
        ) from error


def check_new_username(username: str) -> None:
    try:
        User.username_validator(username)
        if not username:
            raise ValidationError("A username cannot be empty.")
    except ValidationError as error:
        reason = error.messages[0]
        raise UnusableUsernameError(f"{username!r} cannot be a username: {reason}") from error


@transaction.atomic
def ensure_account(
    username: str, role: Role, branch: Branch | None, password: str | None
) -> AccountOutcome:
    """The person ``username`` holding ``role`` (in ``branch``, for a branch role).

    A new person is made with ``password``; an existing person keeps theirs and is given the
    role if they lack it, so running this twice changes nothing the second time. A branch
    membership of another role in the same branch is changed to this one (one per branch).
    """
    user = User.objects.filter(username=username).first()
    created = user is None
    changes: list[str] = []
    if user is None:
        check_new_username(username)
        if password is None:
            raise UnusablePasswordError(f"A new account ({username}) needs a password.")
        check_new_password(username, password)
        user = User.objects.create_user(username=username, password=password)
        changes.append(f"made the account {username}")
    if role in BRANCH_ROLES:
        assert branch is not None  # check_role_and_branch saw to it
        changes += _ensure_membership(user, branch, BRANCH_ROLES[role])
    elif role == Role.RESEARCHER:
        changes += _ensure_researcher(user)
    elif not (user.is_superuser and user.is_staff):
        # Django's superusers are mutualwatch's administrators, and may use /admin/.
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        changes.append("made them an administrator")
    return AccountOutcome(user, created, tuple(changes))


def _ensure_membership(user: User, branch: Branch, kind: BranchRole) -> list[str]:
    membership = BranchMembership.objects.filter(user=user, branch=branch).first()
    label = kind.label.lower()
    if membership is None:
        BranchMembership.objects.create(user=user, branch=branch, role=kind)
        return [f"made them a {label} of {branch.name}"]
    if membership.role == kind:
        return []
    was = membership.get_role_display().lower()
    membership.role = kind
    membership.save(update_fields=["role"])
    return [f"made them a {label} of {branch.name} (they were a {was})"]


def _ensure_researcher(user: User) -> list[str]:
    national = NationalRole.objects.filter(user=user).first()
    if national is None:
        NationalRole.objects.create(user=user, role=NationalRoleKind.RESEARCHER)
        return ["made them a national researcher"]
    # An administrator already does all a researcher does: never a demotion by surprise.
    return []
