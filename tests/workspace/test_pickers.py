"""Long pickers (sources, providers, arrangements) show a page of options and a search box,
with and without JavaScript; any record the person may cite is still accepted."""

import re

import pytest

from mutualwatch.branches.models import BranchMembership
from mutualwatch.register import services
from mutualwatch.register.models import Event, Source
from mutualwatch.workspace.forms import SHOWN_OPTIONS
from tests.conftest import build_arrangement, build_provider, build_source

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


def groups_of(html: str, name: str) -> list[tuple[str, list[str]]]:
    """A picker's options in order, by the label of their group ("" for options in none)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    groups: list[tuple[str, list[str]]] = []
    for label, grouped, loose in re.findall(
        r'<optgroup label="([^"]*)">(.*?)</optgroup>|(<option value="\d+".*?</option>)',
        select.group(1),
        re.S,
    ):
        options = re.findall(r'<option value="(\d+)"', grouped or loose)
        if not label and groups and groups[-1][0] == "":
            groups[-1][1].extend(options)
        else:
            groups.append((label, options))
    return groups


@pytest.fixture
def two_branches_sources(world):
    """Each branch's own sources (a draft only it sees, and one published), and sources of
    no branch, added after them."""
    member, other = world.people["member"], world.people["other branch member"]
    own = {
        "exemplar draft": services.add_source(
            member, branch_id=world.branch.pk, title="Exemplar branch notes",
            kind="branch-report", url="https://example.org/exemplar",
        ),
        "exemplar published": build_source(title="Exemplar FOI reply", branch=world.branch),
        "elsewhere draft": services.add_source(
            other, branch_id=world.other_branch.pk, title="Elsewhere branch notes",
            kind="branch-report", url="https://example.org/elsewhere",
        ),
        "elsewhere published": build_source(title="Elsewhere FOI reply", branch=world.other_branch),
    }  # fmt: skip
    national = [build_source(title=f"National report {n}") for n in range(3)]
    return {name: str(source.pk) for name, source in own.items()}, [str(s.pk) for s in national]


def test_a_members_source_picker_lists_their_branchs_sources_first(
    world, as_person, two_branches_sources
):
    own, national = two_branches_sources
    cited_already = str(world.arrangement.source.pk)
    html = as_person(world.people["member"]).get("/workspace/events/new/").content.decode()
    groups = groups_of(html, "existing_sources")
    assert [label for label, _ in groups] == ["Sources from Exemplar Branch", "Other sources"]
    # Within each group, in the register's order (by title).
    assert groups[0][1] == [own["exemplar published"], own["exemplar draft"]]
    assert set(groups[1][1]) == {*national, own["elsewhere published"], cited_already}
    assert own["elsewhere draft"] not in options_of(html, "existing_sources")

    html = as_person(world.people["other branch member"]).get("/workspace/events/new/")
    groups = groups_of(html.content.decode(), "existing_sources")
    assert [label for label, _ in groups] == ["Sources from Elsewhere Branch", "Other sources"]
    assert groups[0][1] == [own["elsewhere published"], own["elsewhere draft"]]
    assert own["exemplar draft"] not in options_of(html.content.decode(), "existing_sources")


def test_someone_of_no_branch_sees_the_sources_in_the_registers_order(
    world, as_person, two_branches_sources
):
    html = as_person(world.people["researcher"]).get("/workspace/events/new/").content.decode()
    assert groups_of(html, "existing_sources") == [
        ("", [str(s.pk) for s in Source.objects.order_by("title")])
    ]


def test_a_member_of_two_branches_sees_each_branchs_sources_in_turn(
    world, as_person, two_branches_sources
):
    member = world.people["member"]
    BranchMembership.objects.create(user=member, branch=world.other_branch, role="member")
    html = as_person(member).get("/workspace/events/new/").content.decode()
    assert [label for label, _ in groups_of(html, "existing_sources")] == [
        "Sources from Elsewhere Branch",
        "Sources from Exemplar Branch",
        "Other sources",
    ]


def test_editing_a_record_lists_the_branchs_sources_first_too(
    world, as_person, two_branches_sources
):
    own, _ = two_branches_sources
    member = world.people["member"]
    event = draft_event(world, member)
    html = as_person(member).get(f"/workspace/event/{event.uid}/edit/").content.decode()
    for name in ("source", "additional_sources"):
        groups = groups_of(html, name)
        assert groups[0][0] == "Sources from Exemplar Branch", name
        assert {own["exemplar draft"], own["exemplar published"], str(event.source.pk)} == set(
            groups[0][1]
        )
        assert groups[1][0] == "Other sources"


def test_the_arrangement_picker_lists_the_branchs_councils_first(world, as_person):
    """A researcher who is also a branch member picks from every council's arrangements:
    those of the councils the branch covers first. Without a branch, the register's order."""
    researcher = world.people["researcher"]
    elsewhere = build_arrangement(
        authority=world.elsewhere, provider=build_provider(name="Aardvark Trust")
    )
    html = as_person(researcher).get("/workspace/events/new/").content.decode()
    assert groups_of(html, "arrangement") == [("", [str(elsewhere.pk), str(world.arrangement.pk)])]

    BranchMembership.objects.create(user=researcher, branch=world.branch, role="member")
    html = as_person(researcher).get("/workspace/events/new/").content.decode()
    assert groups_of(html, "arrangement") == [
        ("At the councils Exemplar Branch covers", [str(world.arrangement.pk)]),
        ("At other councils", [str(elsewhere.pk)]),
    ]


def test_a_long_picker_shows_the_branchs_own_however_old(world, as_person):
    member = world.people["member"]
    oldest = services.add_source(
        member, branch_id=world.branch.pk, title="Zeta branch notes",
        kind="branch-report", url="https://example.org/zeta",
    )  # fmt: skip
    for n in range(SHOWN_OPTIONS + 5):
        build_source(title=f"Cabinet paper {n}")
    html = as_person(member).get("/workspace/events/new/").content.decode()
    groups = groups_of(html, "existing_sources")
    assert groups[0] == ("Sources from Exemplar Branch", [str(oldest.pk)])
    assert len(groups[1][1]) == SHOWN_OPTIONS - 1
    total = Source.objects.exclude(state="draft").count() + 1
    assert (
        f"{SHOWN_OPTIONS} of {total}, those of your branch first, then the newest: "
        "search to find the others." in html
    )
