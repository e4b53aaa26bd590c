"""An abolished council keeps its arrangements; its successor inherits them, and an
abolition is not the end of a service.
"""

from datetime import date

import pytest
from django.test import Client

from mutualwatch.councils import queries, services
from mutualwatch.councils.models import Succession
from mutualwatch.register.models import Arrangement

from .builders import arrangement, authority

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected-static folder is missing."""
    settings.STATIC_ROOT = tmp_path


@pytest.fixture
def reorganisation():
    """Two districts merged into a unitary in 2019, which was itself merged in 2023."""
    unitary = authority("E06000099", "Southshire Council", start_date=date(2019, 4, 1))
    west = authority(
        "E07000991",
        "West Southshire District Council",
        end_date=date(2019, 3, 31),
        replaced_by=unitary,
    )
    east = authority(
        "E07000992",
        "East Southshire District Council",
        end_date=date(2019, 3, 31),
        replaced_by=unitary,
    )
    old = authority("E07000990", "Old Southshire Borough Council", end_date=date(2015, 3, 31))
    Succession.objects.create(predecessor=old, successor=west)
    old.replaced_by = west
    old.save()
    return unitary, west, east, old


def test_a_successor_inherits_its_predecessors_arrangements_transitively(reorganisation):
    unitary, west, east, old = reorganisation
    from_west = arrangement(west)
    from_old = arrangement(old, end_date=date(2015, 3, 31))
    own = arrangement(unitary)
    inherited = set(queries.inherited_arrangements(unitary))
    assert inherited == {from_west, from_old}
    assert own not in inherited
    assert Arrangement.objects.get(pk=from_west.pk).authority == west, "stays attached"
    assert queries.all_predecessors(unitary) == [east, old, west]
    assert queries.current_successors(old) == [unitary]


def test_an_abolition_is_not_the_end_of_a_service(reorganisation):
    _, west, east, _ = reorganisation
    ended_with_council = arrangement(west, end_date=date(2019, 3, 31))
    ended_before = arrangement(west, end_date=date(2017, 6, 30))
    still_running = arrangement(east)
    assert not queries.counts_as_end_of_service(ended_with_council)
    assert queries.counts_as_end_of_service(ended_before)
    assert not queries.counts_as_end_of_service(still_running)
    assert queries.ended_by_abolition(date(2019, 3, 1), date(2019, 3, 31), True)
    assert queries.ended_by_abolition(date(2019, 4, 1), date(2019, 3, 31), True)
    assert not queries.ended_by_abolition(date(2019, 4, 2), date(2019, 3, 31), True)
    assert not queries.ended_by_abolition(date(2019, 3, 31), date(2019, 3, 31), False)
    assert not queries.ended_by_abolition(None, date(2019, 3, 31), True)


def test_the_authority_pages_show_predecessors_successors_and_inheritance(reorganisation):
    unitary, west, _, _ = reorganisation
    arrangement(west)
    client = Client()
    page = client.get(f"/authorities/{unitary.gss_code}/").content.decode()
    assert "Replaced</dt>" in page
    assert "West Southshire District Council" in page
    assert "East Southshire District Council" in page
    assert "Inherited</dt>" in page
    assert "West Southshire District Council Leisure Trust" in page
    page = client.get(f"/authorities/{west.gss_code}/").content.decode()
    assert "Replaced by</dt>" in page
    assert "Southshire Council" in page
    assert "Abolished</dt><dd>31\u00a0March\u00a02019" in page
    assert "Old Southshire Borough Council" in page


def test_the_real_register_pages(register_csv):
    services.import_authorities(register_csv)
    page = Client().get("/authorities/E06000060/").content.decode()
    assert "Buckinghamshire Council" in page
    assert "Aylesbury Vale District Council" in page
    assert "Unitary authority" in page
    assert "South East" in page
    page = Client().get("/authorities/E07000004/").content.decode()
    assert "Replaced by</dt>" in page
    assert "Buckinghamshire Council" in page
