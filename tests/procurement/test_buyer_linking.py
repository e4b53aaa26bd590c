"""Every buyer the register knows is linked to its council by the one resolver, by date where
a name is shared, and names no rule places are listed for researchers."""

import datetime
from pathlib import Path

import pytest

from mutualwatch.councils.models import Succession, UnresolvedBuyer
from mutualwatch.councils.resolution import resolve_authority
from mutualwatch.councils.services import remember_choice
from mutualwatch.procurement.models import Party, ProcurementProcess
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Authority
from tests.conftest import build_authority
from tests.demoworld.conftest import tiny_world

from .conftest import package, release, write_json

pytestmark = pytest.mark.django_db
__all__ = ["tiny_world"]


def buyer_release(ocid: str, name: str, date: str, identifier: str | None = None) -> dict:
    party: dict = {"id": "buyer-1", "name": name, "roles": ["buyer"]}
    if identifier:
        party["identifier"] = {"scheme": "GB-GSS", "id": identifier}
    return release(ocid, "1", date=date, buyer={"id": "buyer-1", "name": name}, parties=[party])


def test_every_demo_world_buyer_is_linked_to_its_council(ocds_standard: Path, tiny_world: Path):
    import_register(tiny_world / "register.json")
    ingest_paths([tiny_world / "ocds"])
    processes = ProcurementProcess.objects.filter(compiled__isnull=False)
    assert processes.count() > 0
    assert not processes.filter(authority__isnull=True).exists(), list(
        processes.filter(authority__isnull=True).values_list("buyer_name", flat=True)[:5]
    )
    assert not Party.objects.filter(roles__contains="buyer", authority__isnull=True).exists()
    assert not UnresolvedBuyer.objects.exists()


def test_a_name_shared_by_a_council_and_its_successor_is_settled_by_the_notice_date(
    ocds_standard: Path, tmp_path: Path
) -> None:
    old = build_authority(name="Dralby District Council", end_date=datetime.date(2019, 3, 31))
    new = build_authority(name="Dralby Council", start_date=datetime.date(2019, 4, 1))
    Succession.objects.create(predecessor=old, successor=new)
    path = write_json(
        tmp_path / "dralby.json",
        package(
            buyer_release("ocds-d-1", "Dralby", "2018-06-01T00:00:00Z"),
            buyer_release("ocds-d-2", "Dralby", "2020-06-01T00:00:00Z"),
        ),
    )
    ingest_paths([path])
    linked = dict(ProcurementProcess.objects.values_list("ocid", "authority"))
    assert linked == {"ocds-d-1": old.pk, "ocds-d-2": new.pk}


def test_a_researchers_choice_wins_over_a_gss_code(ocds_standard: Path, tmp_path: Path):
    coded = build_authority(name="Coded Borough Council")
    chosen = build_authority(name="Chosen Borough Council")
    remember_choice("Shared Services Partnership", chosen)
    path = write_json(
        tmp_path / "choice.json",
        package(
            buyer_release(
                "ocds-c-1", "Shared Services Partnership", "2020-01-01T00:00:00Z", coded.gss_code
            )
        ),
    )
    ingest_paths([path])
    assert ProcurementProcess.objects.get().authority == chosen


def test_a_buyer_no_rule_places_is_listed_for_researchers(ocds_standard: Path, tmp_path: Path):
    path = write_json(
        tmp_path / "other.json",
        package(buyer_release("ocds-o-1", "Crown Commercial Service", "2020-01-01T00:00:00Z")),
    )
    ingest_paths([path])
    assert ProcurementProcess.objects.get().authority is None
    assert list(UnresolvedBuyer.objects.values_list("name", flat=True)) == [
        "Crown Commercial Service"
    ]


def test_an_authority_recorded_by_any_path_is_known_by_its_official_name():
    authority = Authority.objects.create(
        gss_code="X00000123", name="Exemplar Vale Council", kind="unitary", nation="fictional"
    )
    assert resolve_authority("EXEMPLAR VALE COUNCIL") == authority
    assert resolve_authority("Exemplar Vale") == authority
