"""The demo's fictional requests: one in each situation in turn, added once."""

import pytest

from mutualwatch.demoworld.foi import load_foi_requests
from mutualwatch.foi import deadlines
from mutualwatch.foi.deadlines import State
from mutualwatch.foi.models import FoiRequest
from tests.conftest import build_authority, build_branch
from tests.foi.conftest import build_case

pytestmark = pytest.mark.django_db


def test_no_cases_no_requests():
    said = []
    load_foi_requests(said.append)
    assert not FoiRequest.objects.exists()
    assert said == ["FOI requests: 0 fictional requests added to the campaign cases."]


def test_each_case_gets_a_request_in_turn_and_only_once():
    branch = build_branch()
    for _ in range(4):
        build_case(branch, build_authority())
    load_foi_requests(lambda line: None)
    load_foi_requests(lambda line: None)
    requests = FoiRequest.objects.order_by("case_id")
    today = deadlines.datetime.date.today()
    assert [deadlines.status(request, today).state for request in requests] == [
        State.DRAFT,
        State.AWAITING_RESPONSE,
        State.OVERDUE,
        State.ANSWERED,
    ]
    answered = requests.last()
    assert answered.response_source.kind == "foi-response"
    assert answered.response_source.branch_id == branch.pk
