"""What a person may read of FOI requests, as the permission table allows."""

import datetime
from typing import Any

from mutualwatch.branches.permissions import Action, Kind, can, visible_filter
from mutualwatch.campaigns import queries as campaigns
from mutualwatch.campaigns.models import Case
from mutualwatch.foi import deadlines
from mutualwatch.foi.models import FoiRequest


def visible_case(user: Any, case_pk: int) -> Case | None:
    """The case, as the campaigns app shows it: nothing if the person may not see it."""
    return campaigns.visible_case(user, case_pk)


def visible_request(user: Any, case_pk: int, pk: int) -> FoiRequest | None:
    """The request, if it belongs to that case and the person may see it."""
    request = (
        FoiRequest.objects.select_related("case", "authority", "response_source", "review_source")
        .filter(pk=pk, case_id=case_pk)
        .first()
    )
    if request is None or not can(user, Action.VIEW, Kind.FOI_REQUEST, request):
        return None
    return request


def overview(user: Any, today: datetime.date) -> list[tuple[FoiRequest, deadlines.Status]]:
    """Every request the person may see with where it stands: overdue ones first (most
    overdue first), then those with a deadline (soonest first), then the rest, newest first."""
    requests = (
        FoiRequest.objects.filter(visible_filter(user, Kind.FOI_REQUEST))
        .select_related("case", "authority")
        .order_by("-created_at", "pk")
    )
    rows = [(request, deadlines.status(request, today)) for request in requests]

    def order(row: tuple[FoiRequest, deadlines.Status]) -> tuple[int, int]:
        state = row[1]
        if state.overdue:
            return (0, -(state.working_days or 0))
        if state.deadline is not None:
            return (1, (state.deadline - today).days)
        return (2, 0)

    return sorted(rows, key=order)
