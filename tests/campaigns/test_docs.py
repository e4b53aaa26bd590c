"""docs/campaigns.md keeps to the code: its outcome table is the one ``record_outcome`` uses."""

from pathlib import Path

from mutualwatch.campaigns.models import Outcome
from mutualwatch.campaigns.services import event_type_for
from mutualwatch.register.models import Arrangement, ArrangementOrigin, EventType

DOC = Path(__file__).resolve().parents[2] / "docs" / "campaigns.md"


def test_the_outcome_table_matches_the_mapping():
    text = DOC.read_text()
    labels = dict(EventType.choices)
    spin_out = Arrangement(origin=ArrangementOrigin.SPIN_OUT)
    outsourced = Arrangement(origin=ArrangementOrigin.OUTSOURCING)
    for outcome in Outcome:
        if outcome == Outcome.TRANSFERRED:
            row = (
                f"| {outcome.label.lower()} | "
                f"{labels[event_type_for(outcome, spin_out)].lower()}, when the arrangement "
                f"began as one; otherwise {labels[event_type_for(outcome, outsourced)].lower()} |"
            )
        else:
            row = (
                f"| {outcome.label.lower()} | {labels[event_type_for(outcome, spin_out)].lower()} |"
            )
        assert row in text, row


def test_the_pages_named_exist(client):
    for path in ("/workspace/campaigns/", "/workspace/campaigns/new/"):
        assert path in DOC.read_text()
        assert client.get(path).status_code == 302  # to log in: the page is there
