"""Long pickers (sources, providers, arrangements) show a page of options and a search box,
with and without JavaScript; any record the person may cite is still accepted."""

import re

import pytest

from mutualwatch.register.models import Event, Source
from mutualwatch.workspace.forms import SHOWN_OPTIONS
from tests.conftest import build_source

from .test_submissions import draft_event, event_form

pytestmark = pytest.mark.django_db


def options_of(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return re.findall(r'<option value="(\d+)"', select.group(1))


@pytest.fixture
def many_sources(world):
    """The oldest first: "Leisure trust accounts", then enough cabinet papers to hide it."""
    oldest = build_source(title="Leisure trust accounts", url="https://example.org/accounts")
    return [oldest] + [build_source(title=f"Cabinet paper {n}") for n in range(SHOWN_OPTIONS + 10)]


def test_a_long_picker_shows_the_newest_and_says_how_many_there_are(world, as_person, many_sources):
    html = as_person(world.people["member"]).get("/workspace/events/new/").content.decode()
    shown = options_of(html, "existing_sources")
    assert len(shown) == SHOWN_OPTIONS
    assert str(many_sources[-1].pk) in shown
    assert str(many_sources[0].pk) not in shown
    total = Source.objects.filter(state="published").count()
    assert f"The {SHOWN_OPTIONS} newest of {total}: search to find the others." in html
    assert 'name="existing_sources_search"' in html


def test_searching_narrows_the_picker_keeps_what_was_filled_in_and_saves_nothing(
    world, as_person, many_sources
):
    client = as_person(world.people["member"])
    chosen = many_sources[1]  # too old to be shown unsearched
    response = client.post(
        "/workspace/events/new/",
        event_form(world)
        | {
            "intent": "search",
            "existing_sources": [chosen.pk],
            "existing_sources_search": "trust  LEISURE",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    shown = options_of(html, "existing_sources")
    assert set(shown) == {str(many_sources[0].pk), str(chosen.pk)}  # and what was chosen
    assert re.search(rf'<option value="{chosen.pk}" selected>', html)
    assert "1 match “trust  LEISURE”." in html
    assert "Bought by Big Leisure plc" in html  # the description typed before searching
    assert "There is a problem" not in html
    assert not Event.objects.exists()


def test_a_source_not_shown_is_still_accepted(world, as_person, many_sources):
    client = as_person(world.people["member"])
    response = client.post(
        "/workspace/events/new/", event_form(world) | {"existing_sources": [many_sources[0].pk]}
    )
    assert response.status_code == 302
    assert Event.objects.get().source == many_sources[0]


def test_a_search_matching_nothing_says_so(world, as_person, many_sources):
    response = as_person(world.people["member"]).post(
        "/workspace/events/new/",
        event_form(world) | {"intent": "search", "provider_search": "no such provider"},
    )
    assert "Nothing matches “no such provider”." in response.content.decode()
    assert options_of(response.content.decode(), "provider") == []


def test_a_short_picker_has_no_search_box(world, as_person):
    html = as_person(world.people["member"]).get("/workspace/events/new/").content.decode()
    assert 'name="existing_sources_search"' not in html
    assert options_of(html, "existing_sources")  # every source, shown whole


def test_an_edited_record_keeps_its_old_source_shown_and_can_search_for_another(
    world, as_person, many_sources
):
    member = world.people["member"]
    event = draft_event(world, member)
    cited = many_sources[1]  # older than any shown
    Event.objects.filter(pk=event.pk).update(source=cited)
    url = f"/workspace/event/{event.uid}/edit/"
    client = as_person(member)
    html = client.get(url).content.decode()
    assert re.search(rf'<option value="{cited.pk}" selected>', html)
    assert 'name="source_search"' in html

    response = client.post(
        url,
        {"description": "Re-tendered twice", "intent": "search", "source_search": "leisure"}
        | {"source": cited.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert set(options_of(html, "source")) == {str(many_sources[0].pk), str(cited.pk)}
    assert "Re-tendered twice" in html
    event.refresh_from_db()
    assert event.description == "Re-tendered"  # nothing saved by a search
