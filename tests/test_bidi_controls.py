"""A name with a right-to-left override or another bidirectional control shows text in an order
other than it is stored; such controls are taken out wherever names enter."""

from pathlib import Path

import pytest
from django.test import Client

from mutualwatch.procurement.models import AwardSupplier, ProcurementProcess
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.register import services
from mutualwatch.register.exchange import write_records
from mutualwatch.register.exporting import export_records
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Provider
from mutualwatch.untrusted_text import BIDI_CONTROLS
from tests.conftest import build_arrangement
from tests.procurement.conftest import package, release, write_json
from tests.shared_data import OCDS_STANDARD, require

pytestmark = pytest.mark.django_db

SPOOFED = "Care \u202eLtd Mutual\u202c \u2066CIC\u2069\u200f"
CLEAN = "Care Ltd Mutual CIC"


def test_a_name_entered_in_the_workspace_is_stored_without_controls(person):
    provider = services.add_provider(person("national researcher"), name=SPOOFED, legal_form="cic")
    provider.refresh_from_db()
    assert provider.name == CLEAN


def test_a_name_changed_in_the_admin_is_stored_without_controls(django_user_model):
    admin_user = django_user_model.objects.create_superuser("bidi-admin", password="x")
    provider = services.add_provider(admin_user, name="Plain Ltd", legal_form="cic")
    client = Client()
    client.force_login(admin_user)
    client.post(
        f"/admin/register/provider/{provider.pk}/change/",
        {
            "name": SPOOFED,
            "legal_form": "cic",
            "notes": "",
            **{
                f"{prefix}-{suffix}": value
                for prefix in ("former_names", "identifiers", "controls")
                for suffix, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
            },
        },
    )
    provider.refresh_from_db()
    assert provider.name == CLEAN


def test_a_name_imported_from_a_register_file_is_stored_without_controls(tmp_path: Path):
    build_arrangement()
    records = list(export_records())
    position = next(i for i, r in enumerate(records) if r["record_type"] == "provider")
    records[position]["name"] = SPOOFED
    path = tmp_path / "bidi.json"
    write_records(path, records)
    import_register(path)
    assert Provider.objects.filter(name=CLEAN).exists()
    assert not [
        n for n in Provider.objects.values_list("name", flat=True) if BIDI_CONTROLS.search(n)
    ]


def test_buyer_and_supplier_names_from_ocds_are_stored_without_controls(settings, tmp_path: Path):
    settings.OCDS_STANDARD_DIR = require(OCDS_STANDARD)
    award = {
        "id": "a1",
        "suppliers": [{"id": "GB-COH-1", "name": SPOOFED}],
        "status": "active",
    }
    data = release(
        "ocds-bidi-1",
        "1",
        tag=["award"],
        buyer={"id": "GB-X", "name": "Dralby \u202eCouncil"},
        parties=[{"id": "GB-COH-1", "name": SPOOFED, "roles": ["supplier"]}],
        awards=[award],
    )
    ingest_paths([write_json(tmp_path / "bidi.json", package(data))])
    assert ProcurementProcess.objects.get().buyer_name == "Dralby Council"
    assert list(AwardSupplier.objects.values_list("name", flat=True)) == [CLEAN]
