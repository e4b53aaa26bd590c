"""A record's history, in the workspace and on the public history page, reads in the words of
the register: field names, choice labels, the names of linked records (never one the reader
may not see), dates as "5 May 2020". Never a key, a code or a uuid."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from mutualwatch.dates import day
from mutualwatch.register import services
from mutualwatch.register.history import history_seen_by
from mutualwatch.register.models import Event, Provider
from tests.conftest import build_provider, build_source

from .test_submissions import draft_event

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What the history showed before: field names as stored, choice codes, ISO dates.
NEVER_SHOWN = [
    "branch_id",
    "source_id",
    "counterparty_id",
    "arrangement_id",
    "created_by_id",
    "uid",
    "event_type",
    "date_precision",
    "additional_sources",
    "re-tender",
    "merger",
    "2020-05-05",
    "2024-01-01",
]


def history_of(html: str) -> str:
    """The history list of a page (the rest links to records by their uids)."""
    found = re.search(r'<ol class="history">.*?</ol>', html, re.S)
    assert found is not None, "the page has no history"
    return found.group(0)


def rows_of(history: str) -> list[tuple[str, ...]]:
    """Each field's row: its label, then its values (a new record's: only the one set)."""
    return [
        (label, *re.findall(r"<td[^>]*>(.*?)</td>", cells))
        for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', history)
    ]


def assert_readable(history: str) -> None:
    for raw in NEVER_SHOWN:
        assert raw not in history, raw
    assert not UUID.search(history)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", history)


@pytest.fixture
def changed_event(world):
    """A member's draft event, changed in its type (a choice), date, counterparty (a link)
    and sources (a link and a list of links)."""
    member = world.people["member"]
    event = draft_event(world, member)
    services.edit(
        member,
        event,
        event_type="merger",
        date=datetime.date(2020, 5, 5),
        counterparty=build_provider(name="Big Leisure plc"),
    )
    services.change_citations(member, event, [build_source(title="Cabinet minutes"), event.source])
    return event


@pytest.mark.parametrize("who", ["member", "researcher"])
def test_the_workspace_history_reads_in_names_and_labels(world, as_person, changed_event, who):
    client = as_person(world.people[who])
    history = history_of(client.get(f"/workspace/event/{changed_event.uid}/").content.decode())
    assert_readable(history)
    rows = rows_of(history)
    assert ("Event type", "Re-tender", "Merger or transfer of engagements") in rows
    assert ("Date", f"1{NBSP}January{NBSP}2024", f"5{NBSP}May{NBSP}2020") in rows
    assert ("Counterparty", "", "Big Leisure plc") in rows
    assert ("Main source", "Branch report", "Cabinet minutes") in rows
    assert ("Further sources", "", "Branch report") in rows
    # A new record's fields, with nothing before them.
    assert ("Review state", "Draft") in rows
    assert ("Branch", "Exemplar Branch") in rows
    assert ("Date precision", "day") in rows
    assert (
        "Arrangement",
        "Libraries for Exemplar Borough Council by Exemplar Leisure Mutual Ltd",
    ) in rows
    # Each change's moment, in the same style.
    assert re.search(
        rf"<strong>\d{{1,2}}{NBSP}[A-Z][a-z]+{NBSP}\d{{4}}, \d\d:\d\d</strong>", history
    )


def test_the_public_history_page_reads_the_same_way(world, as_person, changed_event):
    client = as_person(world.people["member"])
    history = history_of(client.get(f"/history/event/{changed_event.uid}/").content.decode())
    assert_readable(history)
    assert ("Counterparty", "", "Big Leisure plc") in rows_of(history)
    assert f"5{NBSP}May{NBSP}2020" in history


def test_who_added_it_is_named_to_researchers_alone(world, as_person, changed_event):
    author = world.people["member"].username
    seen_by_member = history_of(
        as_person(world.people["member"])
        .get(f"/workspace/event/{changed_event.uid}/")
        .content.decode()
    )
    assert "Added by" not in seen_by_member
    assert author not in seen_by_member
    seen_by_researcher = history_of(
        as_person(world.people["researcher"])
        .get(f"/workspace/event/{changed_event.uid}/")
        .content.decode()
    )
    assert ("Added by", author) in rows_of(seen_by_researcher)


def published_event_once_citing_a_hidden_provider(world):
    """A researcher's event, for the branch, first naming a provider nobody has published
    (later replaced by a published one), then published."""
    researcher = world.people["researcher"]
    hidden = build_provider(name="Undisclosed Bidder Ltd", state="draft")
    event = services.add_event(
        researcher,
        sources=[build_source(title="Tender notice")],
        branch_id=world.branch.pk,
        event_type="re-tender",
        date="2024-01-01",
        arrangement=world.arrangement,
        counterparty=hidden,
    )
    services.edit(researcher, event, counterparty=build_provider(name="Big Leisure plc"))
    services.move_through_review(researcher, event, "submit")
    services.move_through_review(world.people["second researcher"], event, "verify")
    services.move_through_review(researcher, event, "publish")
    return event


def test_a_linked_record_the_reader_may_not_see_is_not_named(world, as_person):
    event = published_event_once_citing_a_hidden_provider(world)
    for path in (f"/history/event/{event.uid}/", f"/workspace/event/{event.uid}/"):
        html = as_person(world.people["other branch member"]).get(path).content.decode()
        history = history_of(html)
        assert_readable(history)
        assert "Undisclosed Bidder Ltd" not in html
        assert "a provider not yet published" in history
        assert "Big Leisure plc" in history
        # Nor which branch recorded it: the other branch's member may not see that branch.
        assert "Exemplar Branch" not in html
        assert "another branch" in history
        # Each review step by what it did.
        for step, done in (
            ("submit", "submitted"),
            ("verify", "verified"),
            ("publish", "published"),
        ):
            assert f"({done})" in history
            assert f"({step})" not in history
    seen_by_researcher = as_person(world.people["researcher"]).get(f"/history/event/{event.uid}/")
    assert "Undisclosed Bidder Ltd" in seen_by_researcher.content.decode()


def test_a_linked_record_since_deleted_is_said_to_be(world, as_person):
    event = published_event_once_citing_a_hidden_provider(world)
    Provider.objects.filter(name="Undisclosed Bidder Ltd").delete()
    history = history_of(
        as_person(world.people["researcher"]).get(f"/history/event/{event.uid}/").content.decode()
    )
    assert "a provider since deleted" in history


def test_linked_records_are_named_in_a_few_queries_however_long_the_history(world, changed_event):
    viewer = world.people["member"]

    def queries_to_read() -> int:
        with CaptureQueriesContext(connection) as read:
            history_seen_by(changed_event, viewer, names_visible=False)
        return len(read)

    before = queries_to_read()
    for number in range(6):
        provider = build_provider(name=f"Bidder {number}")
        services.edit(
            viewer, changed_event, counterparty=provider, date=datetime.date(2021, 1, number + 1)
        )
        services.change_citations(viewer, changed_event, [build_source(), changed_event.source])
    assert Event.history.filter(id=changed_event.pk).count() > 14
    assert queries_to_read() == before


def test_a_day_is_written_one_way_and_never_broken():
    assert day(datetime.date(2026, 12, 5)) == f"5{NBSP}December{NBSP}2026"
    # A moment is the day it was in the UK: 23:30 UTC on 30 June is 00:30 on 1 July in London.
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert day(late) == f"1{NBSP}July{NBSP}2026"
    assert day(None) == ""
    template = Template("{% load dates %}{{ when|day }} · {{ on|day }}")
    assert template.render(Context({"when": late, "on": datetime.date(2014, 4, 1)})) == (
        f"1{NBSP}July{NBSP}2026 · 1{NBSP}April{NBSP}2014"
    )


def test_a_sources_history_names_its_copy_and_leaves_out_its_fingerprint(world, as_person):
    member = world.people["member"]
    source = services.add_source(
        member,
        branch_id=world.branch.pk,
        title="Cabinet minutes",
        kind="council-paper",
        url="https://example.org/minutes",
        published_on=datetime.date(2023, 11, 30),
        stored_copy=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    history = history_of(as_person(member).get(f"/workspace/source/{source.uid}/").content.decode())
    rows = rows_of(history)
    assert ("Kind", "Council paper") in rows
    assert ("Web address", "https://example.org/minutes") in rows
    assert ("Date published", f"30{NBSP}November{NBSP}2023") in rows
    assert ("Stored copy", "minutes.pdf") in rows
    assert source.sha256 not in history
    assert "SHA-256" not in history
    assert "council-paper" not in history
