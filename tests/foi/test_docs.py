"""docs/foi.md states the deadline rules; these tests keep its numbers the code's."""

import re
from pathlib import Path

from mutualwatch.foi import deadlines
from mutualwatch.foi.models import Template

DOC = (Path(__file__).resolve().parents[2] / "docs" / "foi.md").read_text()


def test_the_documented_working_days_are_the_codes():
    due = re.search(r"due\*\* on the (\d+)th working day following the date of receipt", DOC)
    assert due
    assert int(due.group(1)) == deadlines.WORKING_DAYS_TO_RESPOND
    ask = re.search(r"review it within\s+(\d+) working days", DOC)
    assert ask
    assert int(ask.group(1)) == deadlines.WORKING_DAYS_TO_ASK_FOR_REVIEW
    answer = re.search(r"must answer a review within (\d+) working days", DOC)
    assert answer
    assert int(answer.group(1)) == deadlines.WORKING_DAYS_TO_REVIEW


def test_every_template_is_documented():
    for template in Template:
        assert f"- **{template.label}**" in DOC
