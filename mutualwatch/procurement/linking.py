"""Linking a procurement buyer to a register Authority: the one place that decides it."""

import re

from mutualwatch.councils.resolution import resolve_authority
from mutualwatch.register.models import Authority

GSS_CODE = re.compile(r"^[A-Z][0-9]{8}$")


def link_buyer(name: str, identifiers: list[tuple[str, str]]) -> Authority | None:
    """The authority a buyer is, from its identifiers and name, or None.

    An identifier that is itself a GSS code settles it; otherwise the councils app's
    `resolve_authority` decides from the name and the buyer's first identifier.
    """
    for _scheme, value in identifiers:
        code = value.strip().upper()
        if GSS_CODE.match(code):
            found = Authority.objects.filter(gss_code=code).first()
            if found is not None:
                return found
    if not name.strip() and not identifiers:
        return None
    identifier = "-".join(identifiers[0]) if identifiers else None
    return resolve_authority(name, identifier)
