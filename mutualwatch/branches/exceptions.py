"""Errors raised while giving people accounts and roles. All are the caller's to fix: the
message names the value that was wrong and what would be right."""


class AccountError(Exception):
    """Base class: an account could not be made or given its role; nothing was changed."""


class UnknownBranchError(AccountError):
    """Raised when no branch has the slug given."""


class BranchRoleError(AccountError):
    """Raised when a branch role comes without a branch, or a national role with one."""


class UnusablePasswordError(AccountError):
    """Raised when a new account's password is empty or fails the password validators."""


class UnusableUsernameError(AccountError):
    """Raised when a new account's username is empty or has characters usernames cannot."""
