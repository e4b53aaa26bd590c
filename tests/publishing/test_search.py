"""Search finds what people type: a council by any name it is known by, before the contracts
that mention it; a provider by its name, before the contracts that mention it; results in
groups by kind, with counts. The same on SQLite and PostgreSQL."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mutualwatch.councils import services
from mutualwatch.councils.importers import normalise_authority_name
from mutualwatch.councils.models import AuthorityName
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.publishing.models import SearchDocument
from mutualwatch.publishing.search import search
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Authority
from tests.conftest import build_arrangement, build_authority, build_provider
from tests.demoworld.conftest import tiny_world
from tests.publishing.search_world import import_councils, ingest_notices
from tests.shared_data import OCDS_STANDARD, require

pytestmark = pytest.mark.django_db
__all__ = ["tiny_world"]


@pytest.fixture
def world(tmp_path: Path, settings) -> dict[str, Authority]:
    settings.OCDS_STANDARD_DIR = require(OCDS_STANDARD)
    councils = import_councils(tmp_path)
    wearside = build_provider(name="Wearside Leisure Trust")
    build_arrangement(authority=councils["SND"], provider=wearside)
    build_provider(name="Sunderland Community Care Mutual")
    ingest_notices(tmp_path)
    return councils


def first_url(text: str, kind: str = "") -> str:
    return search(text, kind)[0].results[0].url


def council_url(council: Authority) -> str:
    return f"/authorities/{council.gss_code}/"


def test_a_councils_short_name_finds_it_first(world):
    groups = search("Sunderland")
    assert groups[0].label == "Councils"
    assert [r.title for r in groups[0].results] == ["Sunderland City Council"]
    assert groups[-1].label == "Contracts"
    assert groups[-1].count == "50+"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        # official names, as the register gives them
        ("Sunderland City Council", "SND"),
        ("Council of the Isles of Scilly", "IOS"),
        ("Folkestone and Hythe District Council", "SHE"),
        # short names
        ("Isles of Scilly", "IOS"),
        ("scilly", "IOS"),
        ("Folkestone & Hythe", "SHE"),
        # a former name and its official form, from the names lookup
        ("Shepway", "SHE"),
        ("Shepway District Council", "SHE"),
        # spellings from the names lookup
        ("sunderland district", "SND"),
        ("South Tyneside", "STY"),
        # style words no name of the council holds
        ("Sunderland Borough Council", "SND"),
        ("City of Sunderland", "SND"),
        ("The Council of Shepway", "SHE"),
        ("south tyneside metropolitan borough council", "STY"),
    ],
)
def test_a_council_is_found_first_by_any_name_it_is_known_by(world, typed, code):
    assert first_url(typed) == council_url(world[code])


def test_the_whole_name_comes_before_longer_names_holding_it(world):
    build_authority(name="Sunderland and Wearside Joint Committee")
    build_authority(name="Aardvark Sunderland Council")
    titles = [result.title for result in search("sunderland")[0].results]
    assert titles[0] == "Sunderland City Council"
    assert set(titles[1:]) == {
        "Aardvark Sunderland Council",
        "Sunderland and Wearside Joint Committee",
    }


def test_a_providers_name_ranks_it_above_the_contracts_that_mention_it(world):
    groups = search("Wearside Leisure Trust")
    # The council matches only by who delivered its services: after every group a name matched.
    assert [group.label for group in groups] == ["Providers", "Contracts", "Councils"]
    assert groups[0].results[0].title == "Wearside Leisure Trust"
    assert groups[2].results[0].title == "Sunderland City Council"
    contracts = groups[1]
    assert contracts.results[0].title == "Wearside Leisure Trust: extension of the leisure contract"
    assert contracts.count == "50+"  # Sunderland's notices name the trust as supplier


def test_groups_count_their_matches(world):
    groups = {group.label: group for group in search("sunderland")}
    assert list(groups) == ["Councils", "Providers", "Contracts"]
    assert (groups["Councils"].found, groups["Councils"].count) == (1, "1")
    # The care mutual by its name, then the trust by what it delivers to Sunderland.
    assert [r.title for r in groups["Providers"].results] == [
        "Sunderland Community Care Mutual",
        "Wearside Leisure Trust",
    ]
    assert groups["Providers"].count == "2"
    assert (groups["Contracts"].count, len(groups["Contracts"].results)) == ("50+", 10)
    assert groups["Contracts"].more
    assert not groups["Providers"].more


def test_a_search_of_one_kind_shows_a_page_of_it(world):
    (contracts,) = search("sunderland", "contract")
    assert (contracts.label, contracts.count, len(contracts.results)) == ("Contracts", "50+", 50)
    assert not contracts.more
    (councils,) = search("Shepway", "authority")
    assert [r.title for r in councils.results] == ["Folkestone and Hythe District Council"]
    assert search("Shepway", "provider") == []


def test_the_page_shows_a_heading_and_list_for_each_group(client, world):
    page = client.get("/search/", {"q": "Sunderland"}).content.decode()
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", page)
    assert headings == ["Councils (1)", "Providers (2)", "Contracts (50+)"]
    first = re.search(r'<ol class="results"><li><a href="([^"]+)">([^<]+)</a>', page)
    assert first is not None
    assert first.groups() == (council_url(world["SND"]), "Sunderland City Council")
    assert "More contracts found for “Sunderland”" in page
    assert 'href="/search/?q=Sunderland&amp;kind=contract"' in page
    assert "contract</" not in page  # labels, never slugs
    assert "authority</" not in page

    partial = client.get("/search/", {"q": "Sunderland"}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "<html" not in text
    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", text) == headings

    only = client.get("/search/", {"q": "Sunderland", "kind": "authority"}).content.decode()
    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", only) == ["Councils (1)"]


def test_a_spelling_loaded_later_is_searchable_at_once(world, tmp_path):
    assert search("Mackem District", "authority") == []
    names = tmp_path / "more-names.csv"
    names.write_text("la-name,local-authority-code\nCity of Mackems,SND\n", encoding="utf-8")
    services.import_authority_names(names)
    assert first_url("Mackem District") == council_url(world["SND"])
    AuthorityName.objects.get(name="City of Mackems").delete()
    assert search("Mackem District") == []


def test_rebuilding_the_index_gives_the_index_the_signals_keep(world):
    def index() -> list[tuple[str, str, str, str, str, str]]:
        return sorted(
            SearchDocument.objects.values_list("kind", "key", "title", "names", "body", "url")
        )

    kept = index()
    names = dict(SearchDocument.objects.filter(kind="authority").values_list("title", "names"))
    assert "\nshepway\n" in names["Folkestone and Hythe District Council"]
    call_command("rebuild_search_index", stdout=StringIO())
    assert index() == kept
    assert first_url("Shepway") == council_url(world["SHE"])


def test_councils_and_providers_indexed_before_names_get_them_at_the_next_migrate(world):
    SearchDocument.objects.filter(kind__in=["authority", "provider"]).update(names="")
    assert search("Shepway") == []
    call_command("migrate", verbosity=0)
    assert first_url("Shepway") == council_url(world["SHE"])
    assert not SearchDocument.objects.filter(kind__in=["authority", "provider"], names="").exists()


def test_every_demo_world_council_is_found_first_by_its_short_name(settings, tiny_world):
    """The demo world's contracts name their councils in their titles, as the issue found."""
    settings.OCDS_STANDARD_DIR = require(OCDS_STANDARD)
    import_register(tiny_world / "register.json")
    ingest_paths([tiny_world / "ocds"])
    for council in Authority.objects.all():
        short = normalise_authority_name(council.name)
        assert first_url(short) == council_url(council), (short, search(short))
        assert first_url(council.name) == council_url(council)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_what_was_indexed_searchable():
    before, after = (
        [("publishing", "0004_title_search_vector")],
        [("publishing", "0005_search_names")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("publishing", "SearchDocument")
    old.objects.create(kind="provider", key="k", title="Migrated Mutual", body="", url="/m/")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    assert first_url("migrated") == "/m/"
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    with connection.cursor() as cursor:  # the index of 0004 is back, and filled
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM publishing_searchdocument WHERE title_vector @@ 'migrat'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM publishing_search_fts "
                "WHERE publishing_search_fts MATCH 'migrated'"
            )
        assert cursor.fetchone()[0] == 1
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
