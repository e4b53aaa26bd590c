"""One real-world happening is one event, and an event's description does not repeat what its
row already shows (the service's name)."""

from collections import Counter
from pathlib import Path

from mutualwatch.demoworld.histories import SERVICE_NAMES
from tests.demoworld.conftest import read_register


def test_no_two_events_tell_of_the_same_happening(tiny_world: Path):
    records = read_register(tiny_world)
    arrangements = {r["uid"]: r for r in records if r["record_type"] == "arrangement"}
    events = [r for r in records if r["record_type"] == "event"]
    assert events
    # The same council and service, the same day, the same source: the same happening.
    happenings = Counter(
        (
            arrangements[e["arrangement"]]["authority"],
            arrangements[e["arrangement"]]["service_area"],
            e["date"],
            e["sources"].split(" | ")[0],
        )
        for e in events
        if e.get("arrangement")
    )
    repeated = {key: count for key, count in happenings.items() if count > 1}
    assert not repeated


def test_no_event_description_starts_with_its_services_name(tiny_world: Path):
    records = read_register(tiny_world)
    arrangements = {r["uid"]: r for r in records if r["record_type"] == "arrangement"}
    repeating = [
        e["description"]
        for e in records
        if e["record_type"] == "event"
        and e.get("arrangement")
        and e["description"].startswith(
            SERVICE_NAMES[arrangements[e["arrangement"]]["service_area"]]
        )
    ]
    assert not repeating
