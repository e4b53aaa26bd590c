"""A researcher's judgement on a supplier link: confirmed (this body, or another they pick),
or rejected. Judgements record who, when and why, and no later run of the linker changes them.
"""

from typing import Any

from django.utils import timezone

from mutualwatch.branches.permissions import may_review
from mutualwatch.matching.models import Decision, Link, LinkRun, RegisterName
from mutualwatch.registers import mirror, store
from mutualwatch.registers.identifiers import company_number, society_number


class JudgementRefused(Exception):
    """Raised when the person may not judge links, or the judgement is incomplete."""


NORMALISE = {
    RegisterName.COMPANIES_HOUSE: company_number,
    RegisterName.SOCIETIES: society_number,
}


def judge(
    user: Any, link: Link, decision: str, *, register: str = "", number: str = "", reason: str
) -> Link:
    if not may_review(user):
        raise JudgementRefused("Only national researchers judge supplier links.")
    if not reason.strip():
        raise JudgementRefused("Say why: the next researcher will want to know.")
    if decision == Decision.CONFIRMED:
        normalise = NORMALISE.get(register)  # type: ignore[call-overload]
        found = normalise(number) if normalise else number.strip()
        if not register or not found:
            raise JudgementRefused(f"{number!r} is not a {register or 'register'} number.")
        link.register, link.number = register, found
    elif decision == Decision.REJECTED:
        link.register, link.number, link.match_probability = "", "", None
    else:
        raise JudgementRefused(f"{decision!r} is not a judgement.")
    link.decision = decision
    link.judged_by = user
    link.judged_at = timezone.now()
    link.reason = reason.strip()
    link.save()
    if decision == Decision.CONFIRMED:
        with store.connect(read_only=True) as connection:
            mirror.copy_bodies(connection, {(link.register, link.number)})
    LinkRun.objects.create(kind="judgement")
    return link
