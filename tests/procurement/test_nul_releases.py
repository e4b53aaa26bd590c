"""An OCDS release holding a NUL character (U+0000) is quarantined with the paths that hold
it, on either database; before, PostgreSQL refused the whole batch with a traceback."""

from pathlib import Path

import pytest

from mutualwatch.procurement.models import ProcurementProcess, QuarantinedRelease
from mutualwatch.procurement.services import ingest_paths

from .conftest import package, release, write_json

pytestmark = pytest.mark.django_db


def test_an_ocds_release_holding_nul_is_quarantined_and_the_rest_stored(
    ocds_standard: Path, tmp_path: Path
) -> None:
    bad = release(
        "ocds-nul-1",
        "1",
        buyer={"name": "Dralby\x00Council"},
        tender={"id": "t1", "title": "Lib\x00raries"},
    )
    path = write_json(tmp_path / "nul.json", package(bad, release("ocds-fine-1")))

    summary = ingest_paths([path])

    assert (summary.new, summary.quarantined) == (1, 1)
    assert ProcurementProcess.objects.filter(ocid="ocds-fine-1").exists()
    quarantined = QuarantinedRelease.objects.get()
    assert {e["path"] for e in quarantined.errors if e["validator"] == "nul"} == {
        "/buyer/name",
        "/tender/title",
    }


def test_a_nul_in_an_ocid_is_quarantined_too(ocds_standard: Path, tmp_path: Path) -> None:
    path = write_json(tmp_path / "nul-ocid.json", package(release("ocds-\x00-1")))
    summary = ingest_paths([path])
    assert (summary.new, summary.quarantined) == (0, 1)
    assert QuarantinedRelease.objects.get().ocid == "ocds--1"
