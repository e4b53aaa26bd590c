"""Fictional FOI requests on the demo's campaign cases, one situation each in turn: a draft,
one awaiting its response, one overdue, one answered (its response a branch source).

The dates are counted back from the day the demo loads, so the demo always shows a request
in each state; everything else follows from the case's order. A case that already has
requests is left as it is; with no cases, nothing is added.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from mutualwatch.campaigns.models import Case
from mutualwatch.foi import deadlines, services
from mutualwatch.foi.models import FoiRequest, ResponseKind, Template
from mutualwatch.register.models import Source, SourceKind

#: (template, days before today it was sent or None for a draft, answered or not), in turn.
SITUATIONS: list[tuple[Template, int | None, bool]] = [
    (Template.PENSIONS, None, False),
    (Template.STAFF, 10, False),
    (Template.CONTRACT, 50, False),
    (Template.OPTIONS_APPRAISAL, 70, True),
]


@transaction.atomic
def load_foi_requests(say: Callable[[str], None]) -> None:
    today = timezone.localdate()
    added = 0
    cases = Case.objects.select_related("authority", "service_area").order_by("pk")
    for number, case in enumerate(cases.filter(foi_requests__isnull=True)):
        template, days_ago, answered = SITUATIONS[number % len(SITUATIONS)]
        _add(
            case,
            template,
            None if days_ago is None else today - datetime.timedelta(days_ago),
            answered,
        )
        added += 1
    say(f"FOI requests: {added:,} fictional requests added to the campaign cases.")


def _add(case: Case, template: Template, sent_on: datetime.date | None, answered: bool) -> None:
    subject, body = services.draft_text(case, template)
    request = FoiRequest(
        case=case, template=template, authority=case.authority, subject=subject, body=body
    )
    nation = case.authority.nation
    if sent_on is not None:
        request.sent_on = sent_on
        request.due_on = deadlines.response_due(sent_on, nation)
    if answered and sent_on is not None:
        request.responded_on = deadlines.working_days_after(sent_on, 18, nation)
        request.response_kind = ResponseKind.PARTIAL
        request.response_source = Source.objects.create(
            title=f"Response: {subject}",
            publisher=case.authority.name,
            url=f"https://example.org/demo/foi/{case.pk}/response",
            kind=SourceKind.FOI_RESPONSE,
            published_on=request.responded_on,
            branch_id=case.branch_id,
        )
    request.full_clean()
    request.save()
