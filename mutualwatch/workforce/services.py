"""Every write to the workforce records: an officer's observation, a member's questionnaire
(single-use link, no account), a member's erasure or subject-access export, and deletion at
the end of retention. Each checks who may do it (``access``) and logs what was done."""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mutualwatch.register.models import Arrangement
from mutualwatch.register.queries import visible_arrangements
from mutualwatch.workforce import access, crypto
from mutualwatch.workforce.exceptions import (
    LinkRefused,
    LinkUnknown,
    NotAllowed,
    ReceiptUnknown,
)
from mutualwatch.workforce.instrument import QUESTIONNAIRE_TERMS, TimePoint, check_terms
from mutualwatch.workforce.models import (
    AccessAction,
    Evidence,
    Origin,
    QuestionnaireLink,
    TermsRecord,
)
from mutualwatch.workforce.wording import answers_in_words


def retention_end(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=settings.WORKFORCE_RETENTION_DAYS)


def _followed_arrangement(branch_id: int, arrangement: Arrangement) -> None:
    if not arrangement.authority.branches.filter(pk=branch_id).exists():
        raise NotAllowed(
            f"The branch does not follow {arrangement.authority.name}: record terms only for "
            "services of councils the branch follows."
        )


def followed_arrangements(user: Any, branch_id: int) -> QuerySet[Arrangement]:
    """The services a branch may record terms of or send questionnaires about: those of the
    councils it follows that the person may see."""
    return (
        visible_arrangements(user)
        .filter(authority__branches=branch_id)
        .order_by("authority__name", "service_area__name", "provider__name")
    )


@transaction.atomic
def add_evidence(
    user: Any, branch_id: int, *, kind: str, description: str, dated: datetime.date | None
) -> Evidence:
    access.require_change(user, branch_id)
    evidence = Evidence.objects.create(
        branch_id=branch_id,
        kind=kind,
        dated=dated,
        sealed_description=crypto.seal(description.strip()),
        created_by=user,
        delete_after=retention_end(),
    )
    access.log(user, AccessAction.ADD, branch=branch_id, record=evidence)
    return evidence


@transaction.atomic
def record_observation(
    user: Any,
    branch_id: int,
    arrangement: Arrangement,
    *,
    time_point: str,
    observed_on: datetime.date | None,
    answers: dict[str, Any],
    evidence: Evidence | None,
) -> TermsRecord:
    """An officer's observation of an arrangement's terms, from a document the branch holds."""
    access.require_change(user, branch_id)
    _followed_arrangement(branch_id, arrangement)
    if evidence is None or evidence.branch_id != branch_id:
        raise NotAllowed("Cite the branch's own evidence: a letter, payslip or agreement.")
    clean = check_terms(
        answers,
        time_point=time_point,
        observed_on=observed_on,
        arrangement_start=arrangement.start_date,
    )
    record = TermsRecord.objects.create(
        branch_id=branch_id,
        arrangement=arrangement,
        time_point=time_point,
        observed_on=observed_on,
        origin=Origin.OFFICER,
        sealed_answers=crypto.seal(clean),
        evidence=evidence,
        created_by=user,
        delete_after=retention_end(),
    )
    access.log(user, AccessAction.ADD, branch=branch_id, record=record)
    return record


@dataclass(frozen=True)
class NewLink:
    link: QuestionnaireLink
    token: str  # shown once, to the officer who sends it; only its fingerprint is kept


@transaction.atomic
def make_link(user: Any, branch_id: int, arrangement: Arrangement) -> NewLink:
    access.require_change(user, branch_id)
    _followed_arrangement(branch_id, arrangement)
    token = secrets.token_urlsafe(24)
    link = QuestionnaireLink.objects.create(
        branch_id=branch_id,
        arrangement=arrangement,
        token=crypto.fingerprint(token),
        created_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=settings.QUESTIONNAIRE_LINK_DAYS),
    )
    access.log(user, AccessAction.ADD, branch=branch_id, record=link)
    return NewLink(link, token)


def open_link(token: str) -> QuestionnaireLink:
    """The link a member follows, if it may still be answered; else ``LinkRefused`` saying why."""
    link = (
        QuestionnaireLink.objects.select_related("arrangement__authority", "arrangement__provider")
        .filter(token=crypto.fingerprint(token))
        .first()
    )
    if link is None:
        raise LinkUnknown("This questionnaire link is not one the branch sent. Check the address.")
    if link.answered_at is not None:
        raise LinkRefused(
            "This questionnaire link has already been answered: each link can be answered once."
        )
    if link.expires_at <= timezone.now():
        raise LinkRefused(
            f"This questionnaire link expired on {timezone.localtime(link.expires_at):%d %B %Y}. "
            "Ask your branch for a new one."
        )
    return link


@dataclass(frozen=True)
class Answered:
    record: TermsRecord
    receipt: str  # the member's code for erasure or a copy of their answers; never stored


@transaction.atomic
def answer_questionnaire(
    token: str, *, time_point: str, answers: dict[str, Any], today: datetime.date | None = None
) -> Answered:
    """A member's answers through their link: once only, no name, no account."""
    link = open_link(token)
    if time_point not in {TimePoint.BEFORE, TimePoint.DATED}:
        raise LinkRefused("Answer for your job now, or for your job before the transfer.")
    unknown = set(answers) - set(QUESTIONNAIRE_TERMS)
    if unknown:
        raise LinkRefused(f"The questionnaire does not ask about {', '.join(sorted(unknown))}.")
    today = today or timezone.localdate()
    observed_on = today if time_point == TimePoint.DATED else None
    clean = check_terms(
        answers,
        time_point=time_point,
        observed_on=observed_on,
        arrangement_start=link.arrangement.start_date,
    )
    # Claim the link first, in one statement: two submissions racing cannot both succeed.
    claimed = QuestionnaireLink.objects.filter(
        pk=link.pk, answered_at__isnull=True, expires_at__gt=timezone.now()
    ).update(answered_at=timezone.now())
    if not claimed:
        raise LinkRefused("This questionnaire link has already been answered.")
    receipt = "-".join(secrets.token_hex(3).upper() for _ in range(3))
    record = TermsRecord.objects.create(
        branch_id=link.branch_id,
        arrangement_id=link.arrangement_id,
        time_point=time_point,
        observed_on=observed_on,
        origin=Origin.QUESTIONNAIRE,
        sealed_answers=crypto.seal(clean),
        receipt=crypto.fingerprint(receipt),
        delete_after=retention_end(today),
    )
    access.log(None, AccessAction.ADD, branch=link.branch_id, record=record)
    return Answered(record, receipt)


def _by_receipt(user: Any, branch_id: int, receipt: str) -> TermsRecord:
    access.require_change(user, branch_id)
    code = receipt.strip().upper()
    record = TermsRecord.objects.filter(
        branch_id=branch_id, receipt=crypto.fingerprint(code)
    ).first()
    if record is None:
        raise ReceiptUnknown(f"No answers of this branch have the receipt code {code}.")
    return record


def describe_member_answers(user: Any, branch_id: int, receipt: str) -> dict[str, Any]:
    """What the answers a receipt code finds are about, without opening them: for the officer
    to confirm with the member before erasing."""
    record = _by_receipt(user, branch_id, receipt)
    return {
        "service": str(record.arrangement),
        "time_point": record.get_time_point_display(),
        "answered_on": timezone.localtime(record.created_at).date(),
    }


def export_member_answers(user: Any, branch_id: int, receipt: str) -> dict[str, Any]:
    """A subject-access copy of what a member gave, found by their receipt code."""
    record = _by_receipt(user, branch_id, receipt)
    access.log(user, AccessAction.EXPORT, branch=branch_id, record=record)
    answers = crypto.unseal(record.sealed_answers)
    return {
        "service": str(record.arrangement),
        "time_point": record.get_time_point_display(),
        "answered_on": timezone.localtime(record.created_at).date().isoformat(),
        "answers": answers,
        "answers_in_words": dict(answers_in_words(answers)),
        "kept_until": record.delete_after.isoformat(),
    }


@transaction.atomic
def erase_member_answers(user: Any, branch_id: int, receipt: str) -> None:
    """A member's erasure: their answers deleted, the deletion logged (without the answers)."""
    record = _by_receipt(user, branch_id, receipt)
    access.log(user, AccessAction.ERASE, branch=branch_id, record=record)
    record.delete()


@transaction.atomic
def delete_expired(today: datetime.date | None = None) -> int:
    """Every record, piece of evidence and questionnaire link past its retention period,
    deleted; a log line per branch says how many. Run before any reading of the records, and
    by `mutualwatch workforce-retention`."""
    today = today or timezone.localdate()
    deleted = 0
    expired_records = TermsRecord.objects.filter(delete_after__lt=today)
    expired_evidence = Evidence.objects.filter(delete_after__lt=today)
    for queryset in (expired_records, expired_evidence):
        for branch_id in sorted(set(queryset.values_list("branch_id", flat=True))):
            count, _ = queryset.filter(branch_id=branch_id).delete()
            access.log(None, AccessAction.RETENTION, branch=branch_id, count=count)
            deleted += count
    link_age = datetime.timedelta(days=settings.WORKFORCE_RETENTION_DAYS)
    QuestionnaireLink.objects.filter(created_at__lt=timezone.now() - link_age).delete()
    return deleted


@transaction.atomic
def reseal_everything() -> int:
    """Every sealed value resealed under the current key (after a key rotation)."""
    count = 0
    for record in TermsRecord.objects.only("sealed_answers").iterator():
        TermsRecord.objects.filter(pk=record.pk).update(
            sealed_answers=crypto.reseal(record.sealed_answers)
        )
        count += 1
    for evidence in Evidence.objects.only("sealed_description").iterator():
        Evidence.objects.filter(pk=evidence.pk).update(
            sealed_description=crypto.reseal(evidence.sealed_description)
        )
        count += 1
    return count
