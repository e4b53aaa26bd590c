"""The demo world's campaign cases: loaded from the tiny world's register, the same every time,
seen by the demo branch's officer."""

from django.contrib.auth.models import User

from mutualwatch.branches.models import BranchMembership
from mutualwatch.branches.permissions import Kind, network_branch_ids, visible_filter
from mutualwatch.campaigns.models import Case
from mutualwatch.demoworld.accounts import demo_branch
from mutualwatch.demoworld.campaigns import PLANS, load_campaigns
from mutualwatch.register.importing import import_register
from tests.demoworld.conftest import tiny_world

__all__ = ["tiny_world"]


def test_the_demo_officer_sees_the_demo_cases(db, tiny_world):
    import_register(tiny_world / "register.json")
    line = load_campaigns()
    assert line.startswith(f"Campaign cases: {len(PLANS)} fictional cases added")
    cases = list(Case.objects.order_by("pk").values_list("title", "stage", "shared_with_network"))
    assert len(cases) == len(PLANS)
    assert sum(shared for _, _, shared in cases) >= 2

    branch = demo_branch()
    assert branch.pk in network_branch_ids()
    officer = User.objects.create_user("demo-officer")
    BranchMembership.objects.create(user=officer, branch=branch, role="officer")
    seen = Case.objects.filter(visible_filter(officer, Kind.CASE))
    assert seen.filter(branch=branch).count() == 3
    assert seen.exclude(branch=branch).filter(shared_with_network=True).exists()
    assert not seen.exclude(branch=branch).filter(shared_with_network=False).exists()
    delayed = Case.objects.get(outcome="delayed")
    assert delayed.outcome_event.state == "verified"
    assert delayed.outcome_event.event_type == "transfer-delayed"
    assert delayed.milestones.exists()
    assert delayed.documents.exists()

    again = load_campaigns()
    assert again.startswith("Campaign cases: 0 fictional cases added")
    assert list(
        Case.objects.order_by("pk").values_list("title", "stage", "shared_with_network")
    ) == cases
